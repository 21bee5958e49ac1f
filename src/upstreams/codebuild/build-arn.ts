import { quote } from '../../errors.js';
/**
 * Build ids and build ARNs. CodeBuild names a build `<project>:<build uuid>` and its ARN
 * `arn:<partition>:codebuild:<region>:<account>:build/<project>:<build uuid>`; its own fields
 * (`autoRetryConfig.nextAutoRetry`, `previousAutoRetry`) hold ARNs. Either names the same
 * build, so the loader keys both by the id.
 */

/** The model's ProjectName (2..150 characters): a build id's part before its first `:`. */
export const PROJECT_NAME = '[A-Za-z0-9][A-Za-z0-9_-]{1,149}';
const BUILD_UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const BUILD_ARN = new RegExp(
  `^arn:(aws(?:-[a-z]+)*):codebuild:([a-z]{2}(?:-[a-z]+)+-\\d{1,2}):(\\d{12}):build/(${PROJECT_NAME}):(${BUILD_UUID})$`,
);

export interface BuildArn {
  partition: string;
  region: string;
  account: string;
  project: string;
  /** `<project>:<build uuid>`, what BatchGetBuilds is asked for. */
  id: string;
}

/** Whether a key is meant as an ARN (and so must parse as a build ARN). */
export const looksLikeArn = (key: string): boolean => key.startsWith('arn:');

/** The parts of a build ARN, or undefined when it is not one (wrong service, resource, shape, account or region form). */
export function parseBuildArn(value: string): BuildArn | undefined {
  if (value.length > 400) return undefined;
  const match = BUILD_ARN.exec(value);
  if (!match) return undefined;
  const [, partition, region, account, project, uuid] = match;
  return { partition: partition!, region: region!, account: account!, project: project!, id: `${project}:${uuid}` };
}

/**
 * Why a key cannot name a build of this subgraph's CodeBuild region, or undefined when it can.
 * Plain ids are only required to be non-blank (the model's NonEmptyString: the service checks
 * the rest); ARNs are checked strictly, and must name the region the client reads.
 */
export function buildKeyProblem(key: string, region: string): string | undefined {
  if (key.trim() === '') return 'A build id must be a non-empty string such as "my-project:0f1e2d3c-…" or a build ARN.';
  if (!looksLikeArn(key)) return undefined;
  const arn = parseBuildArn(key);
  if (!arn)
    return `${quote(key)} is not a CodeBuild build ARN (arn:aws:codebuild:<region>:<12-digit account>:build/<project>:<build uuid>).`;
  if (arn.region !== region) return `Build ARN ${quote(key)} names region ${arn.region}, but this subgraph reads CodeBuild in ${region}.`;
  return undefined;
}

/** The build id a valid key names: the key itself, or the id inside an ARN. */
export const buildIdOf = (key: string): string => (looksLikeArn(key) ? (parseBuildArn(key)?.id ?? key) : key);
