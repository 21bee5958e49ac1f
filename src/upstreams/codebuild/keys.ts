/**
 * The shape of a CodeBuild build key, checked before any lookup: a root field's argument, a nested lookup and
 * an `_entities` representation all pass here (through the loader's `validate` and the module's
 * `entities`), so a key that cannot exist never costs an upstream call, and a message never
 * quotes more than MAX_QUOTED_CHARS of it. Bounds come from the API model where it has them
 * and are stated where it does not.
 */
import { badUserInput, quote, type SubgraphError } from '../../errors.js';
import { CODEBUILD } from './model.js';

/**
 * CodeBuild: `BatchGetBuilds.ids` members are `NonEmptyString` (no maximum in the model). A build
 * id is `<projectName>:<build uuid>` (ProjectName: 2..150 characters) and a build ARN
 * `arn:<partition>:codebuild:<region>:<account>:build/<id>`: both hold a `:`, both fit in 256
 * printable ASCII characters without spaces. Anything longer or otherwise cannot name a build.
 */
export const MAX_BUILD_ID_CHARS = 256;
const BUILD_ID = /^[\x21-\x7e]*:[\x21-\x7e]*$/;

export function buildIdProblem(id: unknown): SubgraphError | undefined {
  if (typeof id === 'string' && id.length <= MAX_BUILD_ID_CHARS && BUILD_ID.test(id)) return undefined;
  return badUserInput(
    `${typeof id === 'string' ? `Build id ${quote(id)}` : 'The build id'} is not a CodeBuild build id ("<project>:<build id>", at most ${MAX_BUILD_ID_CHARS} printable characters without spaces).`,
    CODEBUILD,
  );
}
