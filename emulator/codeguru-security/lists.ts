import { credentialScopeRegion, EMULATOR_ACCOUNT, restJson1Error, toAwsJson } from '../core/aws-wire.js';
import type { CallDetails, EmulatorRequest, EmulatorResponse } from '../core/route.js';
import type { SeededFinding, SeededScan } from './data.js';

/**
 * CodeGuru Security's two list operations as the model binds them (restJson1, `@readonly`, `@paginated`):
 *
 * - `ListScans`:   `GET /scans?nextToken=&maxResults=` (maxResults 1..100, default 100) → `{summaries, nextToken}`
 * - `GetFindings`: `GET /findings/{scanName}?nextToken=&maxResults=&status=` (maxResults 1..1000, default 1000;
 *   status Closed | Open | All) → `{findings, nextToken}`; a well-formed name of no scan is ResourceNotFoundException.
 *
 * nextToken is present exactly when more items follow. Tokens are opaque to the caller; here they
 * name the operation, the arguments that shape the list and the position, so a token replayed
 * on another scan, another status or the other operation is a ValidationException (the
 * emulator's reading of the model's "fails to satisfy the constraints"; the service does not
 * document it). Without `status` every finding is listed (the model names no default).
 */
export type ListOperation = 'ListScans' | 'GetFindings';

export interface ListRequest {
  operation: ListOperation;
  /** GetFindings' `{scanName}` label, percent-decoded (undefined when undecodable). */
  scanName?: string | undefined;
}

const LIST_SCANS_MAX = 100;
const GET_FINDINGS_MAX = 1000;
const STATUSES = ['Closed', 'Open', 'All'] as const;
const SCAN_NAME = /^[a-zA-Z0-9\-_$:.]{1,140}$/;
/** The model's NextToken shape: 1..2048 characters, `^[\S]+$`. */
const NEXT_TOKEN = /^\S{1,2048}$/;

/** Which list operation a request is, if any: GET on `…/scans` or `…/findings/{scanName}` (an endpoint may carry a path prefix). */
export function listOperationOf(request: EmulatorRequest): ListRequest | undefined {
  if (request.method !== 'GET') return undefined;
  const path = request.url.pathname;
  if (path.endsWith('/scans')) return { operation: 'ListScans' };
  const label = /\/findings\/([^/]+)$/.exec(path)?.[1];
  if (label === undefined) return undefined;
  try {
    return { operation: 'GetFindings', scanName: decodeURIComponent(label) };
  } catch {
    return { operation: 'GetFindings', scanName: undefined };
  }
}

/** The call log's entry: the operation, the scan asked for (GetFindings) and the credential scope's region. */
export function describeList(request: EmulatorRequest, list: ListRequest): CallDetails {
  return {
    operation: list.operation,
    keys: list.operation === 'GetFindings' ? [String(list.scanName)] : [],
    region: credentialScopeRegion(request),
  };
}

interface Lists {
  scans: readonly SeededScan[];
  findings: readonly SeededFinding[];
}

export function listScans(request: EmulatorRequest, lists: Lists): EmulatorResponse {
  const paging = pagingOf(request, LIST_SCANS_MAX, ['ListScans']);
  if ('error' in paging) return paging.error;
  const region = credentialScopeRegion(request) ?? 'us-east-1';
  const page = lists.scans.slice(paging.start, paging.start + paging.size);
  const next = paging.start + page.length < lists.scans.length ? tokenOf(['ListScans'], paging.start + page.length) : undefined;
  const summaries = page.map((scan) => ({
    ...scan,
    scanNameArn: `arn:aws:codeguru-security:${region}:${EMULATOR_ACCOUNT}:scans/${scan.scanName}`,
  }));
  return ok(next === undefined ? { summaries } : { summaries, nextToken: next });
}

export function listFindings(request: EmulatorRequest, scanName: string | undefined, lists: Lists): EmulatorResponse {
  if (scanName === undefined || !SCAN_NAME.test(scanName)) {
    return invalid('scanName', 'scanName must be 1-140 characters of a-z, A-Z, 0-9, -, _, $, :, .');
  }
  const status = request.url.searchParams.get('status');
  if (status !== null && !(STATUSES as readonly string[]).includes(status)) {
    return invalid('status', `status must be one of ${STATUSES.join(', ')}.`);
  }
  const binding = ['GetFindings', scanName, status ?? 'All'];
  const paging = pagingOf(request, GET_FINDINGS_MAX, binding);
  if ('error' in paging) return paging.error;
  if (!lists.scans.some((scan) => scan.scanName === scanName)) {
    return restJson1Error('ResourceNotFoundException', 404, {
      errorCode: 'RESOURCE_NOT_FOUND',
      message: `Scan ${scanName} does not exist.`,
      resourceId: scanName,
      resourceType: 'Scan',
    });
  }
  const all = lists.findings.filter(
    (seeded) => seeded.scanName === scanName && (status === null || status === 'All' || seeded.finding.status === status),
  );
  const page = all.slice(paging.start, paging.start + paging.size);
  const next = paging.start + page.length < all.length ? tokenOf(binding, paging.start + page.length) : undefined;
  // Raw JSON per finding, as BatchGetFindings serves them: timestamps as epoch seconds.
  const findings = `[${page.map((seeded) => toAwsJson(seeded.finding)).join(',')}]`;
  return {
    status: 200,
    headers: { 'content-type': 'application/json', 'x-amzn-requestid': crypto.randomUUID() },
    body: next === undefined ? `{"findings":${findings}}` : `{"findings":${findings},"nextToken":${JSON.stringify(next)}}`,
  };
}

/** maxResults and nextToken, checked as the model constrains them; the token must be one this list gave out. */
function pagingOf(
  request: EmulatorRequest,
  max: number,
  binding: readonly string[],
): { start: number; size: number } | { error: EmulatorResponse } {
  const params = request.url.searchParams;
  const maxResults = params.get('maxResults');
  let size = max;
  if (maxResults !== null) {
    if (!/^-?\d{1,10}$/.test(maxResults)) return { error: invalid('maxResults', 'maxResults must be an integer.') };
    size = Number(maxResults);
    if (size < 1 || size > max) return { error: invalid('maxResults', `maxResults must be between 1 and ${max}, got ${size}.`) };
  }
  const token = params.get('nextToken');
  if (token === null) return { start: 0, size };
  if (!NEXT_TOKEN.test(token)) return { error: invalid('nextToken', 'nextToken must be 1-2048 non-whitespace characters.') };
  const start = positionOf(token, binding);
  if (start === undefined) return { error: invalid('nextToken', 'The nextToken is not valid for this request.') };
  return { start, size };
}

function tokenOf(binding: readonly string[], position: number): string {
  return Buffer.from(JSON.stringify([...binding, position])).toString('base64url');
}

function positionOf(token: string, binding: readonly string[]): number | undefined {
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (!Array.isArray(decoded) || decoded.length !== binding.length + 1) return undefined;
    if (binding.some((part, index) => decoded[index] !== part)) return undefined;
    const position = decoded[binding.length] as unknown;
    return typeof position === 'number' && Number.isSafeInteger(position) && position > 0 ? position : undefined;
  } catch {
    return undefined;
  }
}

function invalid(field: string, message: string): EmulatorResponse {
  return restJson1Error('ValidationException', 400, {
    errorCode: 'VALIDATION_ERROR',
    message,
    reason: 'fieldValidationFailed',
    fieldList: [{ name: field, message }],
  });
}

function ok(body: unknown): EmulatorResponse {
  return {
    status: 200,
    headers: { 'content-type': 'application/json', 'x-amzn-requestid': crypto.randomUUID() },
    body: toAwsJson(body),
  };
}
