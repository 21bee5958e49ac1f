import { ConfiguredRetryStrategy } from '@smithy/util-retry';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { scansOf } from '../emulator/codeguru-security/data.js';
import { EMULATOR_CREDENTIALS } from '../emulator/core/aws-wire.js';
import type { EmulatorRequest } from '../emulator/core/route.js';
import { SeededEmulator } from '../emulator/index.js';
import {
  CodeGuruSecurityClient,
  GetFindingsCommand,
  ListScansCommand,
  type GetFindingsCommandInput,
  ResourceNotFoundException,
  ValidationException,
  type Status,
} from '../src/upstreams/codeguru-security/sdk/index.js';
import { startStack, type Stack } from '../testkit/stack.js';

// ListScans and GetFindings on the wire: the hand-built client's requests (the model's HTTP
// bindings) and the emulator's answers (maxResults ranges, nextToken, the model's errors),
// read from what the emulator received. Then the off switch: discovery calls nothing.

let emulator: SeededEmulator;
let client: CodeGuruSecurityClient;
beforeAll(async () => {
  emulator = new SeededEmulator();
  await emulator.start();
  client = new CodeGuruSecurityClient({
    region: 'eu-central-1',
    endpoint: `${emulator.url}/prefix`,
    credentials: { ...EMULATOR_CREDENTIALS },
    retryStrategy: new ConfiguredRetryStrategy(1, 1),
  });
});
afterAll(async () => {
  client.destroy();
  await emulator.stop();
});
beforeEach(() => emulator.reset());

function watch(): EmulatorRequest[] {
  const seen: EmulatorRequest[] = [];
  emulator.faults.set('codeguru-security', { when: (request) => (seen.push(request), false) });
  return seen;
}
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as Record<string, unknown>,
  );

describe('ListScans', () => {
  it('is GET /scans with maxResults and nextToken in the query string; nextToken only while more follow', async () => {
    const seen = watch();
    const scans = scansOf(emulator.data.findings);
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await client.send(new ListScansCommand({ maxResults: 4, nextToken }));
      names.push(...(page.summaries ?? []).map((summary) => summary.scanName));
      page.summaries!.forEach((summary) => {
        expect(summary.createdAt).toBeInstanceOf(Date);
        expect(summary.scanNameArn).toBe(`arn:aws:codeguru-security:eu-central-1:123456789012:scans/${summary.scanName}`);
      });
      nextToken = page.nextToken;
    } while (nextToken !== undefined && names.length < 1000);
    expect(names).toEqual(scans.map((scan) => scan.scanName));
    expect(seen.map((request) => [request.method, request.url.pathname, request.url.searchParams.get('maxResults')])).toEqual(
      Array(Math.ceil(scans.length / 4)).fill(['GET', '/prefix/scans', '4']),
    );
    expect(emulator.calls.of('codeguru-security').map((call) => call.operation)).toEqual(Array(seen.length).fill('ListScans'));
  });

  it('serves summaries the model accepts: required members, ScanName, Uuid and ScanNameArn patterns, ScanState values', async () => {
    // From the model (ScanSummary and its targets; the fixture keeps members, these are the constraints).
    const SCAN_NAME = /^[a-zA-Z0-9-_$:.]*$/;
    const UUID = /^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$/;
    const SCAN_NAME_ARN = /^arn:aws:codeguru-security:[\S]+:[\d]{12}:scans\/[a-zA-Z0-9-_$:.]*$/;
    const { summaries } = await client.send(new ListScansCommand({}));
    expect(summaries!.length).toBe(scansOf(emulator.data.findings).length);
    for (const summary of summaries!) {
      expect(['InProgress', 'Successful', 'Failed']).toContain(summary.scanState);
      expect(summary.scanName.length).toBeGreaterThanOrEqual(1);
      expect(summary.scanName.length).toBeLessThanOrEqual(140);
      expect(summary.scanName).toMatch(SCAN_NAME);
      expect(summary.runId).toMatch(UUID);
      expect(summary.scanNameArn!.length).toBeLessThanOrEqual(300);
      expect(summary.scanNameArn).toMatch(SCAN_NAME_ARN);
      expect(summary.createdAt.getTime()).toBeLessThanOrEqual(summary.updatedAt!.getTime());
    }
  });

  it("refuses maxResults outside 1..100 and a token it did not give out with the model's ValidationException", async () => {
    for (const maxResults of [0, 101]) {
      const error = await failure(client.send(new ListScansCommand({ maxResults })));
      expect(error).toBeInstanceOf(ValidationException);
      expect(error).toMatchObject({
        reason: 'fieldValidationFailed',
        fieldList: [{ name: 'maxResults' }],
        $metadata: { httpStatusCode: 400 },
      });
    }
    expect((await client.send(new ListScansCommand({ maxResults: 100 }))).nextToken).toBeUndefined();
    const scanName = emulator.data.findings[0]!.scanName;
    const findingsToken = (await client.send(new GetFindingsCommand({ scanName, maxResults: 1 }))).nextToken!;
    for (const nextToken of ['garbage', findingsToken]) {
      expect(await failure(client.send(new ListScansCommand({ nextToken })))).toMatchObject({
        name: 'ValidationException',
        fieldList: [{ name: 'nextToken' }],
      });
    }
  });
});

describe('GetFindings', () => {
  it('is GET /findings/{scanName} (label percent-encoded) with maxResults, status and nextToken in the query', async () => {
    const seen = watch();
    const { scanName } = emulator.data.findings[0]!;
    const expected = emulator.data.findings.filter((seeded) => seeded.scanName === scanName && seeded.finding.status === 'Open');
    const ids: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await client.send(new GetFindingsCommand({ scanName, status: 'Open', maxResults: 25, nextToken }));
      ids.push(...page.findings!.map((finding) => finding.id!));
      nextToken = page.nextToken;
    } while (nextToken !== undefined && ids.length < 10_000);
    expect(ids).toEqual(expected.map(({ finding }) => finding.id));
    expect(seen[0]!.url.pathname).toBe(`/prefix/findings/${scanName}`);
    expect(seen.every((request) => request.url.searchParams.get('status') === 'Open')).toBe(true);
    expect(seen.map((request) => request.url.searchParams.get('maxResults'))).toEqual(Array(seen.length).fill('25'));
    expect(emulator.calls.of('codeguru-security').map((call) => [call.operation, call.keys])).toEqual(
      Array(seen.length).fill(['GetFindings', [scanName]]),
    );
  });

  it('answers a well-formed name of no scan with ResourceNotFoundException (404, resourceId the scan)', async () => {
    const error = await failure(client.send(new GetFindingsCommand({ scanName: 'a$b:c.d-none' })));
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error).toMatchObject({ resourceId: 'a$b:c.d-none', resourceType: 'Scan', $metadata: { httpStatusCode: 404 } });
  });

  it('validates maxResults (1..1000), status, the scan name and the token, which is bound to its scan and status', async () => {
    const [a, b] = scansOf(emulator.data.findings);
    const invalid = async (input: GetFindingsCommandInput, field: string) =>
      expect(await failure(client.send(new GetFindingsCommand(input)))).toMatchObject({
        name: 'ValidationException',
        fieldList: [{ name: field }],
      });
    await invalid({ scanName: a!.scanName, maxResults: 0 }, 'maxResults');
    await invalid({ scanName: a!.scanName, maxResults: 1001 }, 'maxResults');
    await invalid({ scanName: a!.scanName, status: 'Pending' as Status }, 'status');
    await invalid({ scanName: 'has space' }, 'scanName');
    const token = (await client.send(new GetFindingsCommand({ scanName: a!.scanName, maxResults: 1 }))).nextToken!;
    await invalid({ scanName: b!.scanName, nextToken: token }, 'nextToken');
    await invalid({ scanName: a!.scanName, status: 'Closed', nextToken: token }, 'nextToken');
    // Without a status, every finding is listed (the model names no default); the token goes on with the same list.
    const rest = await client.send(new GetFindingsCommand({ scanName: a!.scanName, nextToken: token }));
    expect(rest.findings!.length).toBe(emulator.data.findings.filter((seeded) => seeded.scanName === a!.scanName).length - 1);
    expect(rest.nextToken).toBeUndefined();
  });
});

describe('CODEGURU_SECURITY=off', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { CODEGURU_SECURITY: 'off' } });
  });
  afterAll(() => stack.stop());

  it('answers every discovery field with the one UPSTREAM_ERROR and calls nothing; other upstreams are served', async () => {
    const build = stack.emulator.data.builds[0]!;
    const response = await stack.query<Record<string, unknown>>(
      `query($id: ID!) { scans: codeGuruSecurityScans { nodes { scanName } }
         findings: codeGuruSecurityScanFindings(scanName: "any-scan") { nodes { id } }
         build(id: $id) { id } }`,
      { id: build.id },
    );
    expect(response.errors!.map((error) => [error.path, error.extensions?.code]).sort()).toEqual([
      [['findings'], 'UPSTREAM_ERROR'],
      [['scans'], 'UPSTREAM_ERROR'],
    ]);
    expect(response.errors![0]!.message).toContain('CODEGURU_SECURITY=off');
    expect(response.data!.build).toEqual({ id: build.id });
    expect(stack.emulator.calls.count('codeguru-security')).toBe(0);
  });
});
