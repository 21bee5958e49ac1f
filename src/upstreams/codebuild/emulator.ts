import type { Build } from '@aws-sdk/client-codebuild';
import { authFailureResponse, awsJson11Error, credentialScopeRegion, toAwsJson, verifySigV4 } from '../../emulator/aws-wire.js';
import type { EmulatorRequest, EmulatorRoute, RouteResult } from '../../emulator/server.js';
import { EMULATOR_ACCOUNT } from './emulator-data.js';

const TARGET = 'CodeBuild_20161006.BatchGetBuilds';
/** The model's BuildIds constraint. */
const MAX_IDS = 100;

// The service's own parsing of an id, written independently of the loader's (see inspector2/emulator.ts).
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

/**
 * CodeBuild over awsJson1_1, as the model defines it: `POST /`, `X-Amz-Target`,
 * `application/x-amz-json-1.1`, epoch-second timestamps, `InvalidInputException` in `__type`
 * for an empty or oversized id list, an empty id or one it cannot parse (the whole call fails),
 * and `buildsNotFound` for unknown ids. A build ARN of this region and account names its build.
 */
export function codebuildRoute(builds: readonly Build[]): EmulatorRoute {
  // Serialized once: the emulator should cost the benchmark as little CPU as a real service would.
  const wireById = new Map(builds.map((build) => [build.id!, toAwsJson(build)]));
  return {
    api: 'codebuild',
    matches: (request: EmulatorRequest) =>
      request.method === 'POST' && request.url.pathname === '/' && String(request.headers['x-amz-target'] ?? '').startsWith('CodeBuild_20161006.'),
    async handle(request): Promise<RouteResult> {
      const operation = String(request.headers['x-amz-target']).slice('CodeBuild_20161006.'.length);
      const signature = await verifySigV4(request, 'codebuild');
      const call = { operation, keys: [] as string[], region: signature.region };
      if (!signature.ok) return { response: authFailureResponse(signature.failure!, 'awsJson1_1'), call };
      if (request.headers['x-amz-target'] !== TARGET) {
        return { response: awsJson11Error('UnknownOperationException', `Operation ${operation} is not emulated.`), call };
      }
      if (!String(request.headers['content-type'] ?? '').startsWith('application/x-amz-json-1.1')) {
        return { response: awsJson11Error('SerializationException', 'Expected Content-Type application/x-amz-json-1.1.'), call };
      }
      let input: { ids?: unknown };
      try {
        input = JSON.parse(request.body) as { ids?: unknown };
      } catch {
        return { response: awsJson11Error('SerializationException', 'Request body is not valid JSON.'), call };
      }
      const ids = input.ids;
      if (!Array.isArray(ids) || ids.length === 0) {
        return { response: awsJson11Error('InvalidInputException', 'The input build ID list cannot be empty.'), call };
      }
      call.keys = ids.map(String);
      if (ids.length > MAX_IDS) {
        return { response: awsJson11Error('InvalidInputException', `1 validation error detected: Value at 'ids' failed to satisfy constraint: Member must have length less than or equal to ${MAX_IDS}`), call };
      }
      if (ids.some((id) => typeof id !== 'string' || id.length === 0)) {
        return { response: awsJson11Error('InvalidInputException', "1 validation error detected: Value at 'ids' failed to satisfy constraint: Member must have length greater than or equal to 1"), call };
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
          headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': crypto.randomUUID() },
          body: `{"builds":[${found.join(',')}],"buildsNotFound":${JSON.stringify(notFound)}}`,
        },
        call,
      };
    },
    describe(request) {
      const operation = String(request.headers['x-amz-target'] ?? '').slice('CodeBuild_20161006.'.length);
      let keys: string[] = [];
      try {
        const ids = (JSON.parse(request.body) as { ids?: unknown }).ids;
        if (Array.isArray(ids)) keys = ids.map(String);
      } catch {
        // An unparseable body asks for nothing.
      }
      return { operation, keys, region: credentialScopeRegion(request) };
    },
    throttled: () => awsJson11Error('ThrottlingException', 'Rate exceeded', 400),
    internalError: () => awsJson11Error('InternalFailure', 'We encountered an internal error. Please try again.', 500),
  };
}
