import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config/index.js';
import { CODEGURU_SECURITY_REGIONS } from '../src/upstreams/codeguru-security/regions.js';
import { startStack, type Stack } from '../testkit/stack.js';

// CodeGuru Security's own region (checked against where the service existed) and its off
// switch: switched off, its fields answer at once with one clear error and call nothing.

const base = { AWS_REGION: 'eu-west-1', ADVALIDATION_API_KEY: 'k', AWS_CONFIG_FILE: '/nonexistent/config' };

describe('CODEGURU_SECURITY_REGION and CODEGURU_SECURITY', () => {
  it('falls back to AWS_REGION, and may differ from it', async () => {
    expect((await loadConfig(base)).codeguruSecurity).toEqual({ enabled: true, region: 'eu-west-1', leanDeserializer: true });
    expect((await loadConfig({ ...base, AWS_REGION: 'ap-south-1', CODEGURU_SECURITY_REGION: 'eu-central-1' })).codeguruSecurity).toEqual({
      enabled: true,
      region: 'eu-central-1',
      leanDeserializer: true,
    });
    expect((await loadConfig({ ...base, AWS_REGION: 'ap-south-1', CODEGURU_SECURITY_REGION: 'eu-central-1' })).aws.region).toBe(
      'ap-south-1',
    );
  });

  it('refuses a region where the service never existed, in one line naming the variable and the regions', async () => {
    const refuse = (env: Record<string, string>) =>
      loadConfig(env).then(
        () => {
          throw new Error('accepted');
        },
        (error: unknown) => error as Error,
      );
    const fromAws = await refuse({ ...base, AWS_REGION: 'ap-south-1' });
    expect(fromAws).toBeInstanceOf(ConfigError);
    expect(fromAws.message).toMatch(
      /^AWS_REGION \(CODEGURU_SECURITY_REGION is not set\) "ap-south-1" is not a region where Amazon CodeGuru Security existed/,
    );
    expect(fromAws.message).toContain(CODEGURU_SECURITY_REGIONS.join(', '));
    expect(fromAws.message).toContain('CODEGURU_SECURITY=off');
    expect(fromAws.message).not.toContain('\n');
    expect((await refuse({ ...base, CODEGURU_SECURITY_REGION: 'cn-north-1' })).message).toMatch(
      /^CODEGURU_SECURITY_REGION "cn-north-1" is not a region/,
    );
    expect((await refuse({ ...base, CODEGURU_SECURITY_REGION: 'Frankfurt' })).message).toMatch(
      /^CODEGURU_SECURITY_REGION "Frankfurt" is not an AWS region name/,
    );
    expect((await refuse({ ...base, CODEGURU_SECURITY: 'maybe' })).message).toMatch(/^CODEGURU_SECURITY must be one of on, off/);
  });

  it('accepts any region when switched off, or when an endpoint is configured for it (the region then only scopes signatures)', async () => {
    expect((await loadConfig({ ...base, AWS_REGION: 'ap-south-1', CODEGURU_SECURITY: 'off' })).codeguruSecurity).toEqual({
      enabled: false,
      region: 'ap-south-1',
      leanDeserializer: true,
    });
    expect(
      (await loadConfig({ ...base, AWS_REGION: 'ap-south-1', AWS_ENDPOINT_URL_CODEGURU_SECURITY: 'http://127.0.0.1:1' })).codeguruSecurity
        .enabled,
    ).toBe(true);
    await expect(
      loadConfig({
        ...base,
        AWS_REGION: 'ap-south-1',
        AWS_ENDPOINT_URL: 'http://127.0.0.1:1',
        AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true',
      }),
    ).rejects.toThrow(ConfigError);
  });
});

describe('through the subgraph', () => {
  let stack: Stack | undefined;
  afterEach(async () => {
    await stack?.stop();
    stack = undefined;
  });

  it('signs CodeGuru Security calls for its own region, CodeBuild for AWS_REGION', async () => {
    stack = await startStack({ env: { CODEGURU_SECURITY_REGION: 'eu-central-1' } });
    const [seeded] = stack.emulator.data.findings;
    const build = stack.emulator.data.builds[0]!;
    const response = await stack.query(
      `query($s: String!, $f: ID!, $b: ID!) { finding(scanName: $s, id: $f) { id } build(id: $b) { id } }`,
      {
        s: seeded!.scanName,
        f: seeded!.finding.id,
        b: build.id,
      },
    );
    expect(response.errors).toBeUndefined();
    expect(stack.emulator.calls.of('codeguru-security').map((call) => call.region)).toEqual(['eu-central-1']);
    expect(stack.emulator.calls.of('codebuild').map((call) => call.region)).toEqual(['us-east-1']);
  });

  it('CODEGURU_SECURITY=off: finding, findings and _entities answer with one clear error each, and nothing is called', async () => {
    stack = await startStack({ env: { CODEGURU_SECURITY: 'off' } });
    const [a, b] = stack.emulator.data.findings;
    const build = stack.emulator.data.builds[0]!;
    const response = await stack.query<{ finding: unknown; findings: unknown[]; build: { id: string } }>(
      `query($s: String!, $f: ID!, $ids: [FindingIdentifier!]!, $b: ID!) {
        finding(scanName: $s, id: $f) { id }
        findings(identifiers: $ids) { id }
        build(id: $b) { id }
      }`,
      {
        s: a!.scanName,
        f: a!.finding.id,
        ids: [
          { scanName: b!.scanName, findingId: b!.finding.id },
          { scanName: 'not a scan name!', findingId: 'x' },
        ],
        b: build.id,
      },
    );
    expect(response.data).toEqual({ finding: null, findings: [null, null], build: { id: build.id } });
    const errors = response.errors ?? [];
    expect(errors.map((error) => error.path)).toEqual([['finding'], ['findings', 0], ['findings', 1]]);
    for (const error of errors) {
      expect(error.extensions).toMatchObject({ code: 'UPSTREAM_ERROR', upstream: 'codeguru-security' });
      expect(error.message).toMatch(/switched off.*CODEGURU_SECURITY=off.*ended support.*2025-11-20/);
    }
    const entities = await stack.query(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Finding { id } } }`, {
      r: [{ __typename: 'Finding', scanName: a!.scanName, id: a!.finding.id }],
    });
    expect(entities.data).toEqual({ _entities: [null] });
    expect(entities.errors?.[0]).toMatchObject({ path: ['_entities', 0], extensions: { code: 'UPSTREAM_ERROR' } });
    expect(stack.emulator.calls.count('codeguru-security')).toBe(0);
    expect(stack.emulator.calls.count('codebuild')).toBe(1);
  });
});
