import { authFailureResponse, credentialScopeRegion, EMULATOR_ACCOUNT, restJson1Error, toAwsJson, verifySigV4 } from '../core/aws-wire.js';
import type { CallDetails, EmulatedApi, EmulatorRequest, RouteResult } from '../core/route.js';
import { REJECTED_ACCOUNT, type InspectorData } from './data.js';
import { LIST_FINDINGS_PATH, listFindings } from './list-findings.js';

const PATH = '/findings/details/batch/get';
const MAX_ARNS = 10;
// The service's own check, written independently of the loader's: an emulator that shares
// the client's code would agree with the client's mistakes.
const FINDING_ARN = /^arn:(aws[a-zA-Z-]*)?:inspector2:[a-z]{2}(-gov)?-[a-z]+-\d{1}:\d{12}:finding\/[a-f0-9]{32}$/;

function arnsOf(request: EmulatorRequest): unknown[] | undefined {
  try {
    const body = JSON.parse(request.body) as { findingArns?: unknown };
    return Array.isArray(body.findingArns) ? body.findingArns : undefined;
  } catch {
    return undefined;
  }
}

/** Seconds to wait, sent with throttling as the service does (`Retry-After`), unless the data says otherwise. */
export const THROTTLE_RETRY_AFTER_SECONDS = 1;

/**
 * Inspector over restJson1 as the model defines it: `POST /findings/details/batch/get`, SigV4
 * verified (service inspector2; the credential scope's region is logged per call), 1..10 ARNs,
 * and - as the real service does - the whole request refused with ValidationException when
 * any ARN breaks the pattern. Unknown ARNs come back in `errors[]`, and so do ARNs of another
 * region than the one the call was signed for: a finding lives in its region's service.
 * Another account's ARN is refused per item with ACCESS_DENIED, as in the model's example.
 * `POST /findings/list` is ListFindings over the same findings (./list-findings.ts).
 */
export function emulateInspector2(data: InspectorData): EmulatedApi {
  const wire = new Map(data.details.map((detail) => [detail.findingArn!, toAwsJson(detail)]));
  const itemErrors = new Map(data.itemErrors.map((error) => [error.findingArn!, error]));
  const isList = (request: EmulatorRequest) => request.url.pathname.endsWith(LIST_FINDINGS_PATH);
  // A list call asks for no ids: its keys stay empty, so keysAsked() counts lookups only.
  const callOf = (request: EmulatorRequest, arns: unknown[] | undefined): CallDetails =>
    isList(request)
      ? { operation: 'ListFindings', keys: [], region: credentialScopeRegion(request) }
      : { operation: 'BatchGetFindingDetails', keys: (arns ?? []).map(String), region: credentialScopeRegion(request) };
  const validation = (message: string, name = 'findingArns') =>
    restJson1Error('ValidationException', 400, { message, reason: 'FIELD_VALIDATION_FAILED', fields: [{ name, message }] });
  return {
    route: {
      api: 'inspector2',
      matches: (request) => request.method === 'POST' && (request.url.pathname.endsWith(PATH) || isList(request)),
      describe: (request) => callOf(request, isList(request) ? undefined : arnsOf(request)),
      async handle(request): Promise<RouteResult> {
        const arns = isList(request) ? undefined : arnsOf(request);
        const call = callOf(request, arns);
        const signature = await verifySigV4(request, 'inspector2');
        if (!signature.ok) return { response: authFailureResponse(signature.failure!, 'restJson1'), call };
        if (isList(request)) return { response: listFindings(data.findings, call.region, request.body).response, call };
        if (!arns || arns.length < 1 || arns.length > MAX_ARNS) {
          return {
            response: validation(
              `1 validation error detected: Value at 'findingArns' failed to satisfy constraint: Member must have length between 1 and ${MAX_ARNS}`,
            ),
            call,
          };
        }
        const bad = arns.findIndex(
          (arn) => typeof arn !== 'string' || arn.length > 100 || !FINDING_ARN.test(arn) || arn.split(':')[4] === REJECTED_ACCOUNT,
        );
        if (bad >= 0) {
          return {
            response: validation(
              `1 validation error detected: Value at 'findingArns.${bad + 1}.member' failed to satisfy constraint`,
              `findingArns.${bad + 1}.member`,
            ),
            call,
          };
        }
        const found: string[] = [];
        const errors: unknown[] = [];
        for (const arn of new Set(arns as string[])) {
          // Another account's finding: the model's own example answers it per item with ACCESS_DENIED.
          if (arn.split(':')[4] !== EMULATOR_ACCOUNT) {
            errors.push({ findingArn: arn, errorCode: 'ACCESS_DENIED', errorMessage: "You don't have permission to access this finding" });
            continue;
          }
          const here = arn.split(':')[3] === call.region;
          const detail = here ? wire.get(arn) : undefined;
          if (detail) found.push(detail);
          else
            errors.push(
              (here ? itemErrors.get(arn) : undefined) ?? {
                findingArn: arn,
                errorCode: 'FINDING_DETAILS_NOT_FOUND',
                errorMessage: 'Finding details not found.',
              },
            );
        }
        return {
          response: {
            status: 200,
            headers: { 'content-type': 'application/json', 'x-amzn-requestid': crypto.randomUUID() },
            body: `{"findingDetails":[${found.join(',')}],"errors":${JSON.stringify(errors)}}`,
          },
          call,
        };
      },
      throttled: () =>
        restJson1Error(
          'ThrottlingException',
          429,
          { message: 'Rate exceeded' },
          { 'retry-after': String(data.throttleRetryAfterSeconds ?? THROTTLE_RETRY_AFTER_SECONDS) },
        ),
      internalError: () => restJson1Error('InternalServerException', 500, { message: 'Internal server error' }),
    },
    controls: {},
  };
}
