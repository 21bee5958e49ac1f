import { Sha256 } from '@aws-crypto/sha256-js';
import { BatchGetFindingDetailsCommand, Inspector2Client } from '@aws-sdk/client-inspector2';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EMULATOR_ACCOUNT, EMULATOR_CREDENTIALS, formatAmzDate } from '../emulator/core/aws-wire.js';
import { SeededEmulator, seedData } from '../emulator/index.js';
import { findingArn } from '../emulator/inspector2/data.js';

// The emulator refuses unauthenticated AWS requests as AWS's front ends do: the real error
// names, messages and status codes (400 + __type for awsJson1_1, 403 + X-Amzn-Errortype for
// restJson1), judged against its own clock, with a Date header on every answer.

let emulator: SeededEmulator;
beforeAll(async () => {
  emulator = new SeededEmulator();
  await emulator.start();
});
afterAll(() => emulator.stop());
beforeEach(() => emulator.reset());

interface Api {
  name: 'codebuild' | 'codeguru-security' | 'inspector2';
  service: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  protocol: 'awsJson1_1' | 'restJson1';
}
// Keys the emulator holds, so a correctly signed request is answered 200 (a malformed id would
// be refused for the whole call, as CodeBuild and CodeGuru Security do).
const seeded = seedData();
const someBuild = seeded.builds[0]!.id!;
const someFinding = seeded.findings[0]!;
const APIS: Api[] = [
  {
    name: 'codebuild',
    service: 'codebuild',
    path: '/',
    protocol: 'awsJson1_1',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'CodeBuild_20161006.BatchGetBuilds' },
    body: JSON.stringify({ ids: [someBuild] }),
  },
  {
    name: 'codeguru-security',
    service: 'codeguru-security',
    path: '/batchGetFindings',
    protocol: 'restJson1',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ findingIdentifiers: [{ scanName: someFinding.scanName, findingId: someFinding.finding.id }] }),
  },
  {
    name: 'inspector2',
    service: 'inspector2',
    path: '/findings/details/batch/get',
    protocol: 'restJson1',
    headers: { 'content-type': 'application/json' },
    body: `{"findingArns":["${findingArn('us-east-1', EMULATOR_ACCOUNT, 'a'.repeat(32))}"]}`,
  },
];

async function send(
  api: Api,
  options: {
    sign?: boolean;
    date?: Date;
    credentials?: { accessKeyId: string; secretAccessKey: string };
    service?: string;
    authorization?: string;
  } = {},
) {
  const url = new URL(emulator.url);
  let request = new HttpRequest({
    method: 'POST',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: api.path,
    headers: { host: url.host, ...api.headers },
    body: api.body,
  });
  if (options.sign !== false) {
    const signer = new SignatureV4({
      credentials: options.credentials ?? EMULATOR_CREDENTIALS,
      region: 'us-east-1',
      service: options.service ?? api.service,
      sha256: Sha256,
    });
    request = (await signer.sign(request, { signingDate: options.date ?? new Date() })) as HttpRequest;
  }
  if (options.authorization !== undefined) request.headers.authorization = options.authorization;
  const response = await fetch(`${emulator.url}${api.path}`, { method: 'POST', headers: request.headers, body: api.body });
  const body = (await response.json()) as { __type?: string; message?: string };
  const type = api.protocol === 'awsJson1_1' ? body.__type : (response.headers.get('x-amzn-errortype') ?? undefined);
  return { status: response.status, type, message: body.message, date: response.headers.get('date') };
}

const status = (api: Api) => (api.protocol === 'awsJson1_1' ? 400 : 403);

describe.each(APIS)('$name', (api) => {
  it('accepts a correctly signed request, and dates its answer', async () => {
    const answer = await send(api);
    expect(answer.status).toBe(200);
    expect(Date.parse(answer.date!)).toBeGreaterThan(0);
  });

  it('no Authorization header: MissingAuthenticationTokenException', async () => {
    expect(await send(api, { sign: false })).toMatchObject({
      status: status(api),
      type: 'MissingAuthenticationTokenException',
      message: 'Missing Authentication Token',
    });
  });

  it('a malformed Authorization header: IncompleteSignatureException, without echoing it', async () => {
    const answer = await send(api, { authorization: 'AWS4-HMAC-SHA256 Credential=secret-ish-value' });
    expect(answer).toMatchObject({ status: status(api), type: 'IncompleteSignatureException' });
    expect(answer.message).toMatch(
      /^Authorization header requires 'Signature' parameter\. Authorization header requires 'SignedHeaders' parameter\./,
    );
    expect(answer.message).not.toContain('secret-ish-value');
  });

  it('an unknown access key: UnrecognizedClientException', async () => {
    const answer = await send(api, { credentials: { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' } });
    expect(answer).toMatchObject({
      status: status(api),
      type: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
    });
  });

  it('a wrong secret: InvalidSignatureException (signature mismatch)', async () => {
    const answer = await send(api, { credentials: { accessKeyId: EMULATOR_CREDENTIALS.accessKeyId, secretAccessKey: 'wrong' } });
    expect(answer).toMatchObject({ status: status(api), type: 'InvalidSignatureException' });
    expect(answer.message).toMatch(/^The request signature we calculated does not match the signature you provided\./);
  });

  it("another service's scope: InvalidSignatureException naming the right one", async () => {
    const answer = await send(api, { service: 'sts' });
    expect(answer).toMatchObject({
      status: status(api),
      type: 'InvalidSignatureException',
      message: `Credential should be scoped to correct service: '${api.service}'. `,
    });
  });

  it("a signature older than 5 minutes by the emulator's clock: Signature expired, worded as AWS does", async () => {
    emulator.clockOffsetMs = 3_600_000;
    const signed = new Date();
    const answer = await send(api, { date: signed });
    expect(answer).toMatchObject({ status: status(api), type: 'InvalidSignatureException' });
    const match = /^Signature expired: (\d{8}T\d{6}Z) is now earlier than (\d{8}T\d{6}Z) \((\d{8}T\d{6}Z) - 5 min\.\)$/.exec(
      answer.message ?? '',
    );
    expect(match?.[1]).toBe(formatAmzDate(signed));
    // The Date header shows the emulator's clock, from which a client corrects its skew.
    expect(Math.abs(Date.parse(answer.date!) - (Date.now() + 3_600_000))).toBeLessThan(5_000);
  });

  it('a signature from the future: Signature not yet current', async () => {
    emulator.clockOffsetMs = -3_600_000;
    const answer = await send(api);
    expect(answer.type).toBe('InvalidSignatureException');
    expect(answer.message).toMatch(
      /^Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 5 min\.\)$/,
    );
  });

  it('a skew inside 5 minutes is accepted', async () => {
    emulator.clockOffsetMs = 4 * 60_000 - 5_000;
    expect((await send(api)).status).toBe(200);
    emulator.clockOffsetMs = -(4 * 60_000 - 5_000);
    expect((await send(api)).status).toBe(200);
  });
});

it('every answer carries a Date header, non-AWS ones included', async () => {
  for (const path of ['/v2/scans/1', '/nowhere']) {
    const response = await fetch(`${emulator.url}${path}`);
    await response.arrayBuffer();
    expect(Date.parse(response.headers.get('date') ?? '')).toBeGreaterThan(0);
  }
});

it("Inspector answers another account's finding per item with ACCESS_DENIED, as the model's example does", async () => {
  const client = new Inspector2Client({ region: 'us-east-1', endpoint: emulator.url, credentials: { ...EMULATOR_CREDENTIALS } });
  const own = emulator.data.inspector.details.find((detail) => detail.findingArn!.split(':')[3] === 'us-east-1')!.findingArn!;
  const foreign = findingArn('us-east-1', '111111111111', 'b'.repeat(32));
  const output = await client.send(new BatchGetFindingDetailsCommand({ findingArns: [own, foreign] }));
  expect(output.findingDetails?.map((detail) => detail.findingArn)).toEqual([own]);
  expect(output.errors).toEqual([
    { findingArn: foreign, errorCode: 'ACCESS_DENIED', errorMessage: "You don't have permission to access this finding" },
  ]);
  expect(emulator.calls.of('inspector2').map((call) => call.status)).toEqual([200]);
  client.destroy();
});
