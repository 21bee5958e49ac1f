/**
 * The shape of a CodeBuild build key, checked before any lookup: a root field's argument, a nested lookup and
 * an `_entities` representation all pass here (through the loader's `validate` and the module's
 * `entities`), so a key that cannot exist never costs an upstream call, and a message never
 * quotes more than MAX_QUOTED_CHARS of it. Bounds come from the API model where it has them
 * and are stated where it does not.
 */
import { badUserInput, quote, type SubgraphError } from '../../errors.js';
import { PROJECT_NAME } from './build-arn.js';
import { CODEBUILD } from './model.js';

/**
 * CodeBuild: `BatchGetBuilds.ids` members are `NonEmptyString` (no maximum in the model). A build
 * id is `<projectName>:<build uuid>` and a build ARN
 * `arn:<partition>:codebuild:<region>:<account>:build/<id>`: both hold a `:`, both fit in 256
 * printable ASCII characters without spaces. Anything longer or otherwise cannot name a build.
 * What comes before the first `:` is a project name (an ARN's `arn`, checked whole later), so it
 * must be the model's ProjectName: CodeBuild refuses a whole call for one id naming a project
 * that cannot exist (e.g. of one character), so such an id is refused here, without a call.
 */
export const MAX_BUILD_ID_CHARS = 256;
const BUILD_ID = /^[\x21-\x7e]*:[\x21-\x7e]*$/;
const PROJECT = new RegExp(`^${PROJECT_NAME}$`);

export function buildIdProblem(id: unknown): SubgraphError | undefined {
  if (typeof id !== 'string' || id.length > MAX_BUILD_ID_CHARS || !BUILD_ID.test(id)) {
    return badUserInput(
      `${typeof id === 'string' ? `Build id ${quote(id)}` : 'The build id'} is not a CodeBuild build id ("<project>:<build id>", at most ${MAX_BUILD_ID_CHARS} printable characters without spaces).`,
      CODEBUILD,
    );
  }
  const project = id.slice(0, id.indexOf(':'));
  if (PROJECT.test(project)) return undefined;
  return badUserInput(
    `Build id ${quote(id)} names project ${quote(project)}, which is not a CodeBuild project name (2-150 letters, digits, - or _, starting with a letter or digit).`,
    CODEBUILD,
  );
}
