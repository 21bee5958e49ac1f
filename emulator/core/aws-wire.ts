import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { EmulatorRequest, EmulatorResponse } from './route.js';

/**
 * The credentials the emulator accepts. The demo and tests export them as AWS_ACCESS_KEY_ID /
 * AWS_SECRET_ACCESS_KEY, so the clients' default provider chain finds them as it would real ones.
 */
export const EMULATOR_CREDENTIALS = {
  accessKeyId: 'AKIAEMULATOR00000000',
  secretAccessKey: 'emulator/secret/key/not-a-real-credential',
} as const;

/** The account those credentials belong to: its records are readable, another account's are not. */
export const EMULATOR_ACCOUNT = '123456789012';

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
export function restJson1Error(
  type: string,
  status: number,
  members: Record<string, unknown>,
  headers: Record<string, string> = {},
): EmulatorResponse {
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

/** How an AWS front end refuses a request it cannot authenticate (never reaching the API). */
export interface AuthFailure {
  type:
    'MissingAuthenticationTokenException' | 'IncompleteSignatureException' | 'UnrecognizedClientException' | 'InvalidSignatureException';
  message: string;
}

export interface SigV4Check {
  ok: boolean;
  /** Why a signature was refused, with the error AWS answers for it. */
  failure?: AuthFailure;
  region?: string;
  service?: string;
}

/** How far a signature's time may be from the service's clock, as AWS allows. */
export const SIGNATURE_TOLERANCE_MS = 5 * 60_000;

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;

/**
 * Verifies a SigV4 signature the way AWS does, against the emulator's clock (`now`): parse the
 * credential scope, check the key, the scope's service, the signing time (within 5 minutes),
 * rebuild the canonical request from the signed headers and recompute the signature with the
 * emulator's secret. Each refusal carries the error name and message AWS uses for it (messages
 * as AWS words them in answers seen in public bug reports).
 */
export async function verifySigV4(request: EmulatorRequest, expectedService: string): Promise<SigV4Check> {
  const now = request.now ?? new Date();
  const header = request.headers.authorization;
  if (typeof header !== 'string' || header === '') {
    return { ok: false, failure: { type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' } };
  }
  const match = AUTHORIZATION.exec(header);
  if (!match) {
    const missing = ['Credential', 'Signature', 'SignedHeaders'].filter((part) => !header.includes(`${part}=`));
    const detail = missing.length
      ? missing.map((part) => `Authorization header requires '${part}' parameter.`).join(' ')
      : 'Authorization header is not a valid AWS4-HMAC-SHA256 header.';
    // The header is echoed by AWS; the emulator does not echo what a caller sent.
    return { ok: false, failure: { type: 'IncompleteSignatureException', message: `${detail} Authorization=AWS4-HMAC-SHA256` } };
  }
  const [, accessKeyId, , region, service, signedHeaderList, signature] = match as unknown as string[];
  const invalidSignature = (message: string): SigV4Check => ({
    ok: false,
    failure: { type: 'InvalidSignatureException', message },
    region,
    service,
  });
  if (accessKeyId !== EMULATOR_CREDENTIALS.accessKeyId) {
    return {
      ok: false,
      failure: { type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' },
      region,
      service,
    };
  }
  if (service !== expectedService) return invalidSignature(`Credential should be scoped to correct service: '${expectedService}'. `);
  const amzDate = request.headers['x-amz-date'];
  const signingDate = typeof amzDate === 'string' ? parseAmzDate(amzDate) : undefined;
  if (!signingDate) {
    return {
      ok: false,
      failure: {
        type: 'IncompleteSignatureException',
        message: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256",
      },
      region,
      service,
    };
  }
  if (signingDate.getTime() < now.getTime() - SIGNATURE_TOLERANCE_MS) {
    return invalidSignature(
      `Signature expired: ${amzDate as string} is now earlier than ${formatAmzDate(new Date(now.getTime() - SIGNATURE_TOLERANCE_MS))} (${formatAmzDate(now)} - 5 min.)`,
    );
  }
  if (signingDate.getTime() > now.getTime() + SIGNATURE_TOLERANCE_MS) {
    return invalidSignature(
      `Signature not yet current: ${amzDate as string} is still later than ${formatAmzDate(new Date(now.getTime() + SIGNATURE_TOLERANCE_MS))} (${formatAmzDate(now)} + 5 min.)`,
    );
  }
  const headers: Record<string, string> = {};
  for (const name of signedHeaderList!.split(';')) {
    const value = request.headers[name];
    if (value === undefined)
      return invalidSignature(
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      );
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
  const signer = new SignatureV4({
    credentials: EMULATOR_CREDENTIALS,
    region: region!,
    service: service!,
    sha256: Sha256,
    uriEscapePath: true,
  });
  const resigned = await signer.sign(unsigned, { signingDate, signingRegion: region, signingService: service });
  const expected = AUTHORIZATION.exec(String(resigned.headers.authorization))?.[6];
  if (expected !== signature) {
    return invalidSignature(
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  }
  return { ok: true, region, service };
}

/**
 * The answer to a request that failed authentication. JSON-RPC (awsJson1_1) front ends answer
 * 400 with `__type`, as CodeBuild, DynamoDB or Cognito do; restJson1 ones answer 403 with
 * `X-Amzn-Errortype`, as Lambda and API Gateway-fronted services do. Both carry `message`.
 */
export function authFailureResponse(failure: AuthFailure, protocol: 'awsJson1_1' | 'restJson1'): EmulatorResponse {
  if (protocol === 'awsJson1_1') return awsJson11Error(failure.type, failure.message, 400);
  return restJson1Error(failure.type, 403, { message: failure.message });
}

/** `20250101T000000Z`, the SigV4 time format. */
export function formatAmzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
}
