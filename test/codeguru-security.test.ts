import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfiguredRetryStrategy } from '@smithy/util-retry';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/index.js';
import { EMULATOR_CREDENTIALS } from '../emulator/core/aws-wire.js';
import {
  BatchGetFindingsCommand,
  CodeGuruSecurityClient,
  resolveCodeGuruSecurityEndpoint,
  ThrottlingException,
} from '../src/upstreams/codeguru-security/sdk/index.js';
import { awsClientOptions, withEndpoint } from '../src/upstreams/aws/client-options.js';
import { asGraphQLJson, withoutNulls } from '../testkit/stack.js';
import { selectAll } from '../testkit/selection.js';
import { useStack } from '../testkit/use-stack.js';

const stack = useStack({ env: { AWS_RETRY_BASE_DELAY_MS: '5' } });

const FINDING = selectAll('Finding');
const seeded = () => stack.emulator.data.findings;
const identifiers = (n: number, offset = 0) =>
  seeded()
    .slice(offset, offset + n)
    .map(({ scanName, finding }) => ({ scanName, findingId: finding.id! }));
const calls = () => stack.emulator.calls.of('codeguru-security');
const FINDINGS = `query($identifiers: [FindingIdentifier!]!) { findings(identifiers: $identifiers) { scanName id title severity status } }`;

describe('Query.finding', () => {
  it('returns every field exactly as the emulator holds it, with the scan name asked', async () => {
    const { scanName, finding } = seeded()[3]!;
    const response = await stack.query<{ finding: Record<string, unknown> }>(
      `query($s: String!, $id: ID!) { finding(scanName: $s, id: $id) ${FINDING} }`,
      { s: scanName, id: finding.id },
    );
    expect(response.errors).toBeUndefined();
    const { severity, status, ...rest } = withoutNulls(response.data!.finding) as Record<string, unknown>;
    const { severity: wireSeverity, status: wireStatus, ...expected } = asGraphQLJson(finding) as Record<string, unknown>;
    expect(rest).toEqual({ ...expected, scanName });
    // Wire values are mixed case; GraphQL serves them upper case.
    expect(severity).toBe(String(wireSeverity).toUpperCase());
    expect(status).toBe(String(wireStatus).toUpperCase());
  });

  it('maps by scan name and id: two scans sharing a finding id each get their own finding', async () => {
    const [a, b] = [seeded()[0]!, seeded()[100]!];
    expect(a.finding.id).toBe(b.finding.id);
    expect(a.scanName).not.toBe(b.scanName);
    const response = await stack.query<{ findings: Array<{ scanName: string; id: string; title: string }> }>(FINDINGS, {
      identifiers: [a, b].map(({ scanName, finding }) => ({ scanName, findingId: finding.id })),
    });
    expect(response.data!.findings.map((finding) => [finding.scanName, finding.title])).toEqual([
      [a.scanName, a.finding.title],
      [b.scanName, b.finding.title],
    ]);
    expect(calls()).toHaveLength(1);
  });
});

describe('Query.findings batching', () => {
  it.each([
    [1, 1],
    [25, 1],
    [26, 2],
    [250, 10],
  ])('%i distinct identifiers cost exactly %i signed BatchGetFindings calls', async (n, expectedCalls) => {
    const wanted = identifiers(n);
    const response = await stack.query<{ findings: Array<{ scanName: string; id: string }> }>(FINDINGS, { identifiers: wanted });
    expect(response.errors).toBeUndefined();
    expect(response.data!.findings.map((finding) => ({ scanName: finding.scanName, findingId: finding.id }))).toEqual(wanted);
    expect(calls()).toHaveLength(expectedCalls);
    expect(calls().every((call) => call.status === 200 && call.keys.length <= 25 && call.region === 'us-east-1')).toBe(true);
  });

  it('answers 250 identifiers with every field matching the emulator, in 10 calls', async () => {
    const wanted = seeded().slice(0, 250);
    const response = await stack.query<{ findings: Array<Record<string, unknown>> }>(
      `query($identifiers: [FindingIdentifier!]!) { findings(identifiers: $identifiers) ${FINDING} }`,
      { identifiers: wanted.map(({ scanName, finding }) => ({ scanName, findingId: finding.id })) },
    );
    expect(response.errors).toBeUndefined();
    response.data!.findings.forEach((got, index) => {
      const { scanName, finding } = wanted[index]!;
      const expected = asGraphQLJson({
        ...finding,
        scanName,
        severity: finding.severity!.toUpperCase(),
        status: finding.status!.toUpperCase(),
      });
      expect(withoutNulls(got)).toEqual(expected);
    });
    expect(calls()).toHaveLength(10);
  });

  it('asks duplicates once', async () => {
    const [a, b] = identifiers(2);
    const response = await stack.query<{ findings: Array<{ id: string }> }>(FINDINGS, { identifiers: [a, b, a, a] });
    expect(response.data!.findings.map((finding) => finding.id)).toEqual([a!.findingId, b!.findingId, a!.findingId, a!.findingId]);
    expect(stack.emulator.calls.keysAsked('codeguru-security')).toEqual([
      `${a!.scanName}/${a!.findingId}`,
      `${b!.scanName}/${b!.findingId}`,
    ]);
  });

  it('reports per-item failures beside successes, and never sends a malformed scan name', async () => {
    const [a, b] = identifiers(2, 40);
    const response = await stack.query<{ findings: Array<{ id: string } | null> }>(FINDINGS, {
      identifiers: [
        a,
        { scanName: a!.scanName, findingId: 'does-not-exist' },
        { scanName: 'bad/scan name!', findingId: 'x' },
        { scanName: a!.scanName, findingId: ' ' },
        b,
      ],
    });
    expect(response.data!.findings.map((finding) => finding?.id ?? null)).toEqual([a!.findingId, null, null, null, b!.findingId]);
    const codes = Object.fromEntries(
      response.errors!.map((error) => [error.path![1], [error.extensions!.code, error.extensions!.upstreamCode ?? null]]),
    );
    expect(codes).toEqual({ 1: ['NOT_FOUND', 'ITEM_DOES_NOT_EXIST'], 2: ['BAD_USER_INPUT', null], 3: ['BAD_USER_INPUT', null] });
    expect(stack.emulator.calls.keysAsked('codeguru-security').some((key) => key.startsWith('bad/'))).toBe(false);
    expect(calls()).toHaveLength(1);
  });

  it('retries a throttled call (429 ThrottlingException) and answers every finding', async () => {
    stack.emulator.faults.set('codeguru-security', { throttleRate: 1, times: 1 });
    const wanted = identifiers(5);
    const response = await stack.query<{ findings: Array<{ id: string }> }>(FINDINGS, { identifiers: wanted });
    expect(response.errors).toBeUndefined();
    expect(calls().map((call) => call.status)).toEqual([429, 200]);
  });

  it('a failing batch marks only its own items', async () => {
    const wanted = identifiers(50);
    const poisoned = `"findingId":"${wanted[30]!.findingId}"`;
    stack.emulator.faults.set('codeguru-security', { down: true, when: (request) => request.body.includes(poisoned) });
    const response = await stack.query<{ findings: Array<{ id: string } | null> }>(FINDINGS, { identifiers: wanted });
    const failed = response.errors!.map((error) => error.path![1] as number).sort((x, y) => x - y);
    expect(failed).toEqual(Array.from({ length: 25 }, (_, i) => 25 + i));
    expect(new Set(response.errors!.map((error) => error.extensions!.code))).toEqual(new Set(['UPSTREAM_ERROR']));
    expect(response.data!.findings.slice(0, 25).every(Boolean)).toBe(true);
  });
});

describe('_entities', () => {
  it('resolves hundreds of Finding representations with one call per 25, in order', async () => {
    const wanted = seeded().slice(0, 300);
    const response = await stack.query<{ _entities: Array<{ scanName: string; id: string; ruleId: string }> }>(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Finding { scanName id ruleId } } }`,
      { r: wanted.map(({ scanName, finding }) => ({ __typename: 'Finding', scanName, id: finding.id })) },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!._entities).toEqual(wanted.map(({ scanName, finding }) => ({ scanName, id: finding.id, ruleId: finding.ruleId })));
    expect(calls()).toHaveLength(12);
  });
});

describe('the hand-built client', () => {
  // As the subgraph creates it: endpoint and credentials given, never read from process.env.
  const atEmulator = () => ({ region: 'us-east-1', endpoint: stack.emulator.url, credentials: { ...EMULATOR_CREDENTIALS } });

  it('signs its requests: a wrong secret is refused by the emulator as InvalidSignatureException', async () => {
    const client = new CodeGuruSecurityClient({
      region: 'us-east-1',
      endpoint: stack.emulator.url,
      credentials: async () => ({ accessKeyId: EMULATOR_CREDENTIALS.accessKeyId, secretAccessKey: 'not-the-secret' }),
    });
    const [identifier] = identifiers(1);
    await expect(client.send(new BatchGetFindingsCommand({ findingIdentifiers: [identifier!] }))).rejects.toMatchObject({
      name: 'InvalidSignatureException',
      message: expect.stringContaining('The request signature we calculated does not match'),
    });
    expect(calls().map((call) => call.status)).toEqual([403]);
    // A signature check that passed anything would let this through: the same call signed right succeeds.
    const good = new CodeGuruSecurityClient(atEmulator());
    const output = await good.send(new BatchGetFindingsCommand({ findingIdentifiers: [identifier!] }));
    expect(output.findings).toHaveLength(1);
    expect(output.findings[0]!.createdAt).toBeInstanceOf(Date);
    client.destroy();
    good.destroy();
  });

  it('gives up after maxAttempts on persistent throttling with a typed error', async () => {
    stack.emulator.faults.set('codeguru-security', { throttleRate: 1 });
    const client = new CodeGuruSecurityClient({ ...atEmulator(), maxAttempts: 2, retryStrategy: new ConfiguredRetryStrategy(2, 1) });
    const error = await client.send(new BatchGetFindingsCommand({ findingIdentifiers: identifiers(1) })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ThrottlingException);
    expect((error as ThrottlingException).$metadata).toMatchObject({ httpStatusCode: 429, attempts: 2 });
    expect(calls()).toHaveLength(2);
    client.destroy();
  });

  it('does not retry a validation error', async () => {
    const client = new CodeGuruSecurityClient(atEmulator());
    const error = await client.send(new BatchGetFindingsCommand({ findingIdentifiers: identifiers(26) })).catch((e: unknown) => e);
    expect((error as Error).name).toBe('ValidationException');
    expect((error as { reason?: string }).reason).toBe('fieldValidationFailed');
    expect(calls()).toHaveLength(1);
    client.destroy();
  });
});

describe('endpoint resolution (the SDK precedence, resolved once in config from the environment given)', () => {
  const base = { AWS_REGION: 'eu-west-1', ADVALIDATION_API_KEY: 'k', AWS_CONFIG_FILE: '/nonexistent/config' };
  /** Where the subgraph's CodeGuru Security client goes for this environment (and an explicit endpoint, if any). */
  const resolve = async (env: Record<string, string>, region = 'eu-west-1', endpoint?: string) => {
    const config = await loadConfig({ ...base, CODEGURU_SECURITY_REGION: region, ...env });
    const options = awsClientOptions(withEndpoint(config.aws, config.codeguruSecurity.endpoint), config.codeguruSecurity.region);
    return resolveCodeGuruSecurityEndpoint({ ...options, ...(endpoint ? { endpoint } : {}) });
  };

  it('explicit endpoint > AWS_ENDPOINT_URL_CODEGURU_SECURITY > AWS_ENDPOINT_URL > regional default', async () => {
    const both = { AWS_ENDPOINT_URL_CODEGURU_SECURITY: 'http://service.example:1/prefix', AWS_ENDPOINT_URL: 'http://global.example:2' };
    expect((await resolve(both, 'eu-west-1', 'http://explicit.example:3')).href).toBe('http://explicit.example:3/');
    expect((await resolve(both)).href).toBe('http://service.example:1/prefix');
    expect((await resolve({ AWS_ENDPOINT_URL: 'http://global.example:2' })).href).toBe('http://global.example:2/');
    expect((await resolve({})).href).toBe('https://codeguru-security.eu-west-1.amazonaws.com/');
  });

  it('reads the shared config services section, below the environment, and honours the ignore switch', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aws-config-'));
    const file = join(dir, 'config');
    writeFileSync(
      file,
      '[default]\nservices = local\n\n[services local]\ncodeguru_security =\n  endpoint_url = http://from-config.example:4\n',
    );
    const env = { AWS_CONFIG_FILE: file, AWS_PROFILE: 'default' };
    expect((await resolve(env)).href).toBe('http://from-config.example:4/');
    expect((await resolve({ ...env, AWS_ENDPOINT_URL: 'http://global.example:2' })).href).toBe('http://global.example:2/');
    expect((await resolve({ ...env, AWS_ENDPOINT_URL: 'http://global.example:2', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' })).href).toBe(
      'https://codeguru-security.eu-west-1.amazonaws.com/',
    );
  });

  const configFile = (text: string) => {
    const file = join(mkdtempSync(join(tmpdir(), 'aws-config-')), 'config');
    writeFileSync(file, text);
    return file;
  };

  it('services section beats the profile endpoint_url, which beats the regional default; paths are kept', async () => {
    const ci = { AWS_PROFILE: 'ci' };
    let file = configFile(
      '[profile ci]\nendpoint_url = http://profile.example:5/base\nservices = ci-services\n\n[services ci-services]\ncodeguru_security =\n  endpoint_url = http://service-section.example:6/cgs\n',
    );
    expect((await resolve({ ...ci, AWS_CONFIG_FILE: file })).href).toBe('http://service-section.example:6/cgs');
    file = configFile(
      '[profile ci]\nendpoint_url = http://profile.example:5/base\nservices = ci-services\n\n[services ci-services]\ninspector2 =\n  endpoint_url = http://not-ours.example:7\n',
    );
    expect((await resolve({ ...ci, AWS_CONFIG_FILE: file })).href).toBe('http://profile.example:5/base');
    expect((await resolve({ ...ci, AWS_CONFIG_FILE: file }, 'eu-west-1', 'http://explicit.example:3/prefix/')).href).toBe(
      'http://explicit.example:3/prefix/',
    );
  });

  it('a profile may switch configured endpoints off (ignore_configured_endpoint_urls), environment ones included', async () => {
    const file = configFile('[profile ci]\nendpoint_url = http://profile.example:5\nignore_configured_endpoint_urls = true\n');
    const env = { AWS_PROFILE: 'ci', AWS_ENDPOINT_URL_CODEGURU_SECURITY: 'http://service.example:1', AWS_CONFIG_FILE: file };
    expect((await resolve(env, 'ap-southeast-2')).href).toBe('https://codeguru-security.ap-southeast-2.amazonaws.com/');
    // An explicit endpoint is not a configured one: it still wins.
    expect((await resolve(env, 'ap-southeast-2', 'http://explicit.example:3')).href).toBe('http://explicit.example:3/');
  });
});
