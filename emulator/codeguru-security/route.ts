import { authFailureResponse, credentialScopeRegion, restJson1Error, toAwsJson, verifySigV4 } from '../core/aws-wire.js';
import type { CallDetails, EmulatedApi, EmulatorRequest, RouteResult } from '../core/route.js';
import { scansOf, type SeededFinding } from './data.js';
import { describeList, listFindings, listOperationOf, listScans } from './lists.js';

/** The model's FindingIdentifiers constraint. */
const MAX_IDENTIFIERS = 25;
// The service's own check, written independently of the loader's (see inspector2/route.ts).
const SCAN_NAME = /^[a-zA-Z0-9\-_$:.]{1,140}$/;
/**
 * A finding id the service can parse. The model leaves `findingId` unconstrained; real ids are
 * printable tokens (hex digests, `detector@version`), so whitespace, control characters or an
 * absurd length fail the whole call with ValidationException: this emulator's reading of
 * "The input fails to satisfy the specified constraints".
 */
const FINDING_ID = /^[\x21-\x7e]{1,512}$/;

interface Identifier {
  scanName?: unknown;
  findingId?: unknown;
}

const keyOf = (scanName: unknown, findingId: unknown) => `${String(scanName)}/${String(findingId)}`;

function identifiersOf(request: EmulatorRequest): Identifier[] | undefined {
  try {
    const body = JSON.parse(request.body) as { findingIdentifiers?: unknown };
    return Array.isArray(body.findingIdentifiers) ? (body.findingIdentifiers as Identifier[]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * CodeGuru Security over restJson1 as the model defines it: `POST /batchGetFindings`, the two
 * list operations `GET /scans` and `GET /findings/{scanName}` (./lists.ts), SigV4
 * verified (AWS's authentication errors otherwise, see aws-wire.ts), 1..25 identifiers (else 400
 * ValidationException with X-Amzn-Errortype), `failedFindings` per bad or unknown item.
 * The call log names each asked item `scanName/findingId`.
 */
export function emulateCodeguruSecurity(seeded: readonly SeededFinding[]): EmulatedApi {
  const wire = new Map(seeded.map(({ scanName, finding }) => [keyOf(scanName, finding.id), toAwsJson(finding)]));
  const scans = new Set(seeded.map(({ scanName }) => scanName));
  const lists = { findings: seeded, scans: scansOf(seeded) };
  const callOf = (request: EmulatorRequest, identifiers: Identifier[] | undefined): CallDetails => ({
    operation: 'BatchGetFindings',
    keys: (identifiers ?? []).map((identifier) => keyOf(identifier.scanName, identifier.findingId)),
    region: credentialScopeRegion(request),
  });
  return {
    route: {
      api: 'codeguru-security',
      matches: (request) =>
        (request.method === 'POST' && request.url.pathname.endsWith('/batchGetFindings')) || listOperationOf(request) !== undefined,
      describe: (request) => {
        const list = listOperationOf(request);
        return list ? describeList(request, list) : callOf(request, identifiersOf(request));
      },
      async handle(request): Promise<RouteResult> {
        const list = listOperationOf(request);
        if (list) {
          const call = describeList(request, list);
          const signature = await verifySigV4(request, 'codeguru-security');
          if (!signature.ok) return { response: authFailureResponse(signature.failure!, 'restJson1'), call };
          const response = list.operation === 'ListScans' ? listScans(request, lists) : listFindings(request, list.scanName!, lists);
          return { response, call };
        }
        const identifiers = identifiersOf(request);
        const call = callOf(request, identifiers);
        const signature = await verifySigV4(request, 'codeguru-security');
        if (!signature.ok) return { response: authFailureResponse(signature.failure!, 'restJson1'), call };
        const invalid = (message: string) => ({
          response: restJson1Error('ValidationException', 400, {
            errorCode: 'VALIDATION_ERROR',
            message,
            reason: 'fieldValidationFailed',
            fieldList: [{ name: 'findingIdentifiers', message }],
          }),
          call,
        });
        if (!identifiers) return invalid('findingIdentifiers is required.');
        if (identifiers.length < 1 || identifiers.length > MAX_IDENTIFIERS) {
          return invalid(`findingIdentifiers must have between 1 and ${MAX_IDENTIFIERS} items, got ${identifiers.length}.`);
        }
        // Whole-call rejections for one bad identifier, as the service validates before it looks anything up.
        const unparseable = identifiers.findIndex(
          ({ findingId }) => typeof findingId === 'string' && findingId.length > 0 && !FINDING_ID.test(findingId),
        );
        if (unparseable >= 0) {
          const message = `findingIdentifiers.${unparseable}.findingId is not a valid finding id.`;
          return {
            response: restJson1Error('ValidationException', 400, {
              errorCode: 'VALIDATION_ERROR',
              message,
              reason: 'fieldValidationFailed',
              fieldList: [{ name: `findingIdentifiers.${unparseable}.findingId`, message }],
            }),
            call,
          };
        }
        // A well-formed name of a scan that does not exist: the service's ResourceNotFoundException
        // (declared by its other operations, not by this one) for the whole call.
        const missingScan = identifiers.find(
          ({ scanName }) => typeof scanName === 'string' && SCAN_NAME.test(scanName) && !scans.has(scanName),
        );
        if (missingScan) {
          const name = String(missingScan.scanName);
          return {
            response: restJson1Error('ResourceNotFoundException', 404, {
              errorCode: 'RESOURCE_NOT_FOUND',
              message: `Scan ${name} does not exist.`,
              resourceId: name,
              resourceType: 'Scan',
            }),
            call,
          };
        }
        const found: string[] = [];
        const failed: Array<Record<string, string>> = [];
        const seen = new Set<string>();
        for (const { scanName, findingId } of identifiers) {
          const key = keyOf(scanName, findingId);
          const fail = (errorCode: string, message: string) =>
            failed.push({ scanName: String(scanName), findingId: String(findingId), errorCode, message });
          if (typeof scanName !== 'string' || !SCAN_NAME.test(scanName)) fail('INVALID_SCAN_NAME', 'The scan name is not valid.');
          else if (typeof findingId !== 'string' || findingId.length === 0) fail('INVALID_FINDING_ID', 'The finding id is not valid.');
          else if (seen.has(key)) fail('DUPLICATE_IDENTIFIER', 'The identifier appears more than once in the request.');
          else if (wire.has(key)) found.push(wire.get(key)!);
          else fail('ITEM_DOES_NOT_EXIST', 'The finding does not exist.');
          seen.add(key);
        }
        return {
          response: {
            status: 200,
            headers: { 'content-type': 'application/json', 'x-amzn-requestid': crypto.randomUUID() },
            body: `{"findings":[${found.join(',')}],"failedFindings":${JSON.stringify(failed)}}`,
          },
          call,
        };
      },
      throttled: () =>
        restJson1Error('ThrottlingException', 429, {
          errorCode: 'THROTTLING',
          message: 'Rate exceeded',
          serviceCode: 'codeguru-security',
          quotaCode: 'L-BATCHGET',
        }),
      internalError: () =>
        restJson1Error('InternalServerException', 500, { error: 'InternalFailure', message: 'An internal error occurred.' }),
    },
    controls: {},
  };
}
