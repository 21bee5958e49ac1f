import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { EmulatorRequest, EmulatorResponse } from './server.js';

/**
 * The credentials the emulator accepts. The demo and tests export them as AWS_ACCESS_KEY_ID /
 * AWS_SECRET_ACCESS_KEY, so the clients' default provider chain finds them as it would real ones.
 */
export const EMULATOR_CREDENTIALS = {
  accessKeyId: 'AKIAEMULATOR00000000',
  secretAccessKey: 'emulator/secret/key/not-a-real-credential',
} as const;

/** AWS JSON bodies carry timestamps as epoch seconds, fractional for milliseconds. */
export function toAwsJson(value: unknown): string {
  return JSON.stringify(value, function replacer(this: Record<string, unknown>, key: string, current: unknown) {
    const original = this[key];
    return original instanceof Date ? original.getTime() / 1000 : current;
  });
}

/** awsJson1_1 error: the shape name in `__type`, members in the body. */
export function awsJson11Error(type: string, message: string, status = 400): EmulatorResponse {
  return {
    status,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId() },
    body: JSON.stringify({ __type: type, message }),
  };
}

/** restJson1 error: the shape name in `X-Amzn-Errortype`, members in the body (and @httpHeader members as headers). */
export function restJson1Error(type: string, status: number, members: Record<string, unknown>, headers: Record<string, string> = {}): EmulatorResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': type, 'x-amzn-requestid': requestId(), ...headers },
    body: JSON.stringify(members),
  };
}

let counter = 0;
function requestId(): string {
  counter += 1;
  return `00000000-0000-4000-8000-${counter.toString(16).padStart(12, '0')}`;
}

/** The region of a request's SigV4 credential scope, read without verifying the signature. */
export function credentialScopeRegion(request: EmulatorRequest): string | undefined {
  return /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(String(request.headers.authorization ?? ''))?.[1];
}

export interface SigV4Check {
  ok: boolean;
  /** Why a signature was refused (for the emulator's error message). */
  reason?: string;
  region?: string;
  service?: string;
}

const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;

/**
 * Verifies a SigV4 signature the way AWS does: parse the credential scope, rebuild the
 * canonical request from the signed headers and recompute the signature with the emulator's
 * secret. A wrong key, region, service, body or clock gives a refusal with a reason.
 */
export async function verifySigV4(request: EmulatorRequest, expectedService: string): Promise<SigV4Check> {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? AUTHORIZATION.exec(header) : null;
  if (!match) return { ok: false, reason: 'Missing or malformed SigV4 Authorization header.' };
  const [, accessKeyId, , region, service, signedHeaderList, signature] = match as unknown as string[];
  if (accessKeyId !== EMULATOR_CREDENTIALS.accessKeyId) return { ok: false, reason: 'The security token included in the request is invalid.', region, service };
  if (service !== expectedService) return { ok: false, reason: `Credential should be scoped to correct service: '${expectedService}'.`, region, service };
  const amzDate = request.headers['x-amz-date'];
  if (typeof amzDate !== 'string') return { ok: false, reason: 'Missing X-Amz-Date.', region, service };
  const signingDate = parseAmzDate(amzDate);
  if (!signingDate || Math.abs(Date.now() - signingDate.getTime()) > 5 * 60_000) {
    return { ok: false, reason: 'Signature expired or X-Amz-Date malformed.', region, service };
  }
  const headers: Record<string, string> = {};
  for (const name of signedHeaderList!.split(';')) {
    const value = request.headers[name];
    if (value === undefined) return { ok: false, reason: `Signed header ${name} is missing.`, region, service };
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of request.url.searchParams) {
    const existing = query[name];
    query[name] = existing === undefined ? value : ([] as string[]).concat(existing, value);
  }
  const unsigned = new HttpRequest({
    method: request.method,
    protocol: 'http:',
    hostname: headers.host?.split(':')[0] ?? 'localhost',
    path: request.url.pathname,
    query,
    headers,
    body: request.body,
  });
  const signer = new SignatureV4({ credentials: EMULATOR_CREDENTIALS, region: region!, service: service!, sha256: Sha256, uriEscapePath: true });
  const resigned = await signer.sign(unsigned, { signingDate, signingRegion: region, signingService: service });
  const expected = AUTHORIZATION.exec(String(resigned.headers.authorization))?.[6];
  if (expected !== signature) {
    return { ok: false, reason: 'The request signature we calculated does not match the signature you provided.', region, service };
  }
  return { ok: true, region, service };
}

function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
}
