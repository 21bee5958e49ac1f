import type { Build } from '@aws-sdk/client-codebuild';
import { authFailureResponse, awsJson11Error, credentialScopeRegion, EMULATOR_ACCOUNT, toAwsJson, verifySigV4 } from '../core/aws-wire.js';
import type { CallDetails, EmulatedApi, EmulatorRequest, RouteResult } from '../core/route.js';
import { codebuildLists, type CodeBuildLists, type ListInput } from './lists.js';

const TARGET_PREFIX = 'CodeBuild_20161006.';
const TARGET = `${TARGET_PREFIX}BatchGetBuilds`;
/** The list operations, each answered by emulator/codebuild/lists.ts. */
const LISTS: Record<string, keyof CodeBuildLists> = {
  ListProjects: 'listProjects',
  ListBuildsForProject: 'listBuildsForProject',
  ListBuilds: 'listBuilds',
};
/** The model's BuildIds constraint. */
const MAX_IDS = 100;

// The service's own parsing of an id, written independently of the loader's (see inspector2/route.ts).
const PROJECT = '[A-Za-z0-9][A-Za-z0-9\\-_]{1,149}';
const PLAIN_ID = new RegExp(`^${PROJECT}:[^\\s:/]+$`);
const ARN_ID = new RegExp(`^arn:aws[a-z-]*:codebuild:([a-z0-9-]+):(\\d{12}):build/(${PROJECT}:[^\\s:/]+)$`);

/**
 * What CodeBuild makes of one entry of `ids`: the build id it names, `null` for a well-formed
 * name of a build this region and account cannot have (answered in buildsNotFound), or
 * `undefined` when it cannot be parsed at all, which rejects the whole call with
 * InvalidInputException. The model only says NonEmptyString; rejecting an id that is neither
 * `<project>:<build>` nor a build ARN is this emulator's reading of "The input value that was
 * provided is not valid", the one error the operation declares.
 */
function parseId(raw: string, region: string | undefined): string | null | undefined {
  if (PLAIN_ID.test(raw)) return raw;
  const arn = ARN_ID.exec(raw);
  if (!arn) return undefined;
  return arn[1] === region && arn[2] === EMULATOR_ACCOUNT ? arn[3]! : null;
}

/** A request read once: the operation its target names and its body, `undefined` when that is not JSON. */
function read(request: EmulatorRequest): { operation: string; input: ({ ids?: unknown } & ListInput) | undefined } {
  const operation = String(request.headers['x-amz-target'] ?? '').slice(TARGET_PREFIX.length);
  try {
    const input = JSON.parse(request.body) as unknown;
    return { operation, input: input !== null && typeof input === 'object' ? (input as { ids?: unknown }) : undefined };
  } catch {
    return { operation, input: undefined };
  }
}

const JSON_HEADERS = (): Record<string, string> => ({
  'content-type': 'application/x-amz-json-1.1',
  'x-amzn-requestid': crypto.randomUUID(),
});

/**
 * CodeBuild over awsJson1_1, as the model defines it: `POST /`, `X-Amz-Target`,
 * `application/x-amz-json-1.1`, epoch-second timestamps, `InvalidInputException` in `__type`
 * for an empty or oversized id list, an empty id or one it cannot parse (the whole call fails),
 * and `buildsNotFound` for unknown ids. A build ARN of this region and account names its build.
 * ListProjects, ListBuildsForProject and ListBuilds page the same builds 100 at a time (lists.ts).
 */
export function emulateCodebuild(builds: readonly Build[]): EmulatedApi {
  // Serialized once: the emulator should cost the benchmark as little CPU as a real service would.
  const wireById = new Map(builds.map((build) => [build.id!, toAwsJson(build)]));
  const lists = codebuildLists(builds);
  // A list call's keys: the project it names (ListBuildsForProject), none for the others.
  const keysOf = (operation: string, input: ({ ids?: unknown } & ListInput) | undefined): string[] => {
    if (operation === 'ListBuildsForProject') return typeof input?.projectName === 'string' ? [input.projectName] : [];
    if (operation in LISTS) return [];
    return Array.isArray(input?.ids) ? input.ids.map(String) : [];
  };
  const describe = (request: EmulatorRequest): CallDetails => {
    const { operation, input } = read(request);
    return { operation, keys: keysOf(operation, input), region: credentialScopeRegion(request) };
  };
  const handle = async (request: EmulatorRequest): Promise<RouteResult> => {
    const { operation, input } = read(request);
    const signature = await verifySigV4(request, 'codebuild');
    const call: CallDetails & { keys: string[] } = { operation, keys: [], region: signature.region };
    if (!signature.ok) return { response: authFailureResponse(signature.failure!, 'awsJson1_1'), call };
    const list = LISTS[operation];
    if (request.headers['x-amz-target'] !== TARGET && !list) {
      return { response: awsJson11Error('UnknownOperationException', `Operation ${operation} is not emulated.`), call };
    }
    if (!String(request.headers['content-type'] ?? '').startsWith('application/x-amz-json-1.1')) {
      return { response: awsJson11Error('SerializationException', 'Expected Content-Type application/x-amz-json-1.1.'), call };
    }
    if (!input) return { response: awsJson11Error('SerializationException', 'Request body is not valid JSON.'), call };
    if (list) {
      call.keys = keysOf(operation, input);
      const outcome = lists[list](input);
      if (!outcome.ok) return { response: outcome.response, call };
      return { response: { status: 200, headers: JSON_HEADERS(), body: JSON.stringify(outcome.body) }, call };
    }
    const ids = input.ids;
    if (!Array.isArray(ids) || ids.length === 0) {
      return { response: awsJson11Error('InvalidInputException', 'The input build ID list cannot be empty.'), call };
    }
    call.keys = ids.map(String);
    if (ids.length > MAX_IDS) {
      return {
        response: awsJson11Error(
          'InvalidInputException',
          `1 validation error detected: Value at 'ids' failed to satisfy constraint: Member must have length less than or equal to ${MAX_IDS}`,
        ),
        call,
      };
    }
    if (ids.some((id) => typeof id !== 'string' || id.length === 0)) {
      return {
        response: awsJson11Error(
          'InvalidInputException',
          "1 validation error detected: Value at 'ids' failed to satisfy constraint: Member must have length greater than or equal to 1",
        ),
        call,
      };
    }
    const parsed = (ids as string[]).map((id) => parseId(id, signature.region));
    const unparseable = parsed.indexOf(undefined);
    if (unparseable >= 0) {
      return { response: awsJson11Error('InvalidInputException', `Invalid build ID provided: ${JSON.stringify(ids[unparseable])}`), call };
    }
    const found: string[] = [];
    const notFound: string[] = [];
    for (const [index, id] of (ids as string[]).entries()) {
      if (ids.indexOf(id) !== index) continue;
      const resolved = parsed[index];
      const wire = resolved ? wireById.get(resolved) : undefined;
      if (wire) found.push(wire);
      else notFound.push(id);
    }
    return {
      response: {
        status: 200,
        headers: JSON_HEADERS(),
        body: `{"builds":[${found.join(',')}],"buildsNotFound":${JSON.stringify(notFound)}}`,
      },
      call,
    };
  };
  return {
    route: {
      api: 'codebuild',
      matches: (request) =>
        request.method === 'POST' &&
        request.url.pathname === '/' &&
        String(request.headers['x-amz-target'] ?? '').startsWith(TARGET_PREFIX),
      describe,
      handle,
      throttled: () => awsJson11Error('ThrottlingException', 'Rate exceeded', 400),
      internalError: () => awsJson11Error('InternalFailure', 'We encountered an internal error. Please try again.', 500),
    },
    controls: {},
  };
}
