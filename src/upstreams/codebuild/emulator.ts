import type { Build } from '@aws-sdk/client-codebuild';
import { authFailureResponse, awsJson11Error, credentialScopeRegion, toAwsJson, verifySigV4 } from '../../emulator/aws-wire.js';
import type { EmulatorRequest, EmulatorRoute, RouteResult } from '../../emulator/server.js';

const TARGET = 'CodeBuild_20161006.BatchGetBuilds';
/** The model's BuildIds constraint. */
const MAX_IDS = 100;

/**
 * CodeBuild over awsJson1_1, as the model defines it: `POST /`, `X-Amz-Target`,
 * `application/x-amz-json-1.1`, epoch-second timestamps, `InvalidInputException` in `__type`
 * for an empty or oversized id list or an empty id, and `buildsNotFound` for unknown ids.
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
      const found: string[] = [];
      const notFound: string[] = [];
      for (const id of new Set(ids as string[])) {
        const wire = wireById.get(id);
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
