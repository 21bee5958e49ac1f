import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../src/config/index.js';
import { describeUpstreams } from '../src/upstreams/registry.js';
import { startStack } from '../testkit/stack.js';

describe('loadConfig', () => {
  it('reads the standard AWS settings and applies defaults', async () => {
    const config = await loadConfig({ AWS_REGION: 'eu-west-1', ADVALIDATION_API_KEY: 'k' });
    expect(config.port).toBe(4001);
    expect(config.aws).toMatchObject({ region: 'eu-west-1', retryMode: 'standard', maxAttempts: 3 });
    expect(config).toMatchObject({ metricsPort: 9090, metricsHost: '127.0.0.1', maxConnections: 1024, keepAliveTimeoutMs: 5000 });
  });

  it('refuses to start without an Advalidation API key, and never echoes a key it was given', async () => {
    await expect(loadConfig({ AWS_REGION: 'eu-west-1' })).rejects.toThrow(/ADVALIDATION_API_KEY is not set/);
    const error = await loadConfig({
      AWS_REGION: 'eu-west-1',
      ADVALIDATION_API_KEY: 'super-secret-key',
      ADVALIDATION_BASE_URL: 'ftp://nope',
    }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/ADVALIDATION_BASE_URL/);
    expect(error?.message).not.toContain('super-secret-key');
  });

  it('refuses to start without a region, naming the variable', async () => {
    await expect(loadConfig({})).rejects.toThrow(ConfigError);
    await expect(loadConfig({})).rejects.toThrow(/AWS_REGION is not set/);
  });

  it.each([
    [{ AWS_REGION: 'eu-west-1', ADVALIDATION_API_KEY: 'k', PORT: 'eighty' }, /PORT must be an integer/],
    [{ AWS_REGION: 'Europe', ADVALIDATION_API_KEY: 'k' }, /not an AWS region name/],
    [{ AWS_REGION: 'eu-west-1', ADVALIDATION_API_KEY: 'k', AWS_RETRY_MODE: 'legacy' }, /AWS_RETRY_MODE must be one of standard, adaptive/],
    [{ AWS_REGION: 'eu-west-1', ADVALIDATION_API_KEY: 'k', BATCH_SHARING: 'yes' }, /BATCH_SHARING must be one of on, off, got "yes"/],
    [{ AWS_REGION: 'eu-west-1', ADVALIDATION_API_KEY: 'k', BATCH_WINDOW_MS: '3' }, /BATCH_WINDOW_MS must be an integer between 0 and 2/],
    [{ AWS_REGION: 'eu-west-1', ADVALIDATION_API_KEY: 'k', BATCH_CONCURRENCY: '8' }, /BATCH_CONCURRENCY is no longer read/],
    [
      { AWS_REGION: 'eu-west-1', ADVALIDATION_API_KEY: 'k', ADVALIDATION_RATE_PER_SECOND: 'fast' },
      /ADVALIDATION_RATE_PER_SECOND must be a number/,
    ],
    [{ AWS_REGION: 'eu-west-1', ADVALIDATION_API_KEY: 'k', METRICS_PORT: '99999' }, /METRICS_PORT must be an integer between 0 and 65535/],
    [{ AWS_REGION: 'eu-west-1', ADVALIDATION_API_KEY: 'k', MAX_CONNECTIONS: '0' }, /MAX_CONNECTIONS must be an integer between 1/],
    [{ AWS_REGION: 'eu-west-1', ADVALIDATION_API_KEY: 'k', KEEP_ALIVE_TIMEOUT_MS: 'soon' }, /KEEP_ALIVE_TIMEOUT_MS must be an integer/],
  ])('rejects %o with a clear message', async (env, message) => {
    await expect(loadConfig(env)).rejects.toThrow(message);
  });
});

describe('where the AWS clients go (resolved once, from the environment given)', () => {
  const base = {
    AWS_REGION: 'eu-west-1',
    ADVALIDATION_API_KEY: 'k',
    AWS_CONFIG_FILE: '/nonexistent/config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
  };
  const codebuild = async (env: Record<string, string>) => (await describeUpstreams(await loadConfig({ ...base, ...env }))).codebuild;

  it('follows the SDK precedence: service variable, then AWS_ENDPOINT_URL, then the regional endpoint', async () => {
    expect(await codebuild({ AWS_ENDPOINT_URL_CODEBUILD: 'http://a', AWS_ENDPOINT_URL: 'http://b' })).toMatch(/^http:\/\/a/);
    expect(await codebuild({ AWS_ENDPOINT_URL: 'http://b' })).toMatch(/^http:\/\/b/);
    expect(await codebuild({})).toBe('regional default https://codebuild.eu-west-1.amazonaws.com/');
    expect(await codebuild({ AWS_ENDPOINT_URL: 'http://b', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' })).toBe(
      'regional default https://codebuild.eu-west-1.amazonaws.com/',
    );
  });

  it("names where an endpoint came from, and asks each client (FIPS, CodeGuru's own region, Advalidation's base URL)", async () => {
    expect(await codebuild({ AWS_ENDPOINT_URL_CODEBUILD: 'http://a:1' })).toBe('http://a:1/ (AWS_ENDPOINT_URL_CODEBUILD)');
    expect(await codebuild({ AWS_USE_FIPS_ENDPOINT: 'true' })).toBe('regional default https://codebuild-fips.eu-west-1.amazonaws.com/');
    const all = await describeUpstreams(
      await loadConfig({ ...base, CODEGURU_SECURITY_REGION: 'eu-central-1', ADVALIDATION_BASE_URL: 'http://adv.example' }),
    );
    expect(all).toEqual({
      codebuild: 'regional default https://codebuild.eu-west-1.amazonaws.com/',
      codeguruSecurity: 'regional default https://codeguru-security.eu-central-1.amazonaws.com/',
      inspector2: expect.stringMatching(
        /^regional default https:\/\/inspector2\.eu-west-1\.amazonaws\.com\/ \(for eu-west-1; each finding ARN's own region/,
      ),
      advalidation: 'http://adv.example/v2 (API key set)',
    });
    expect((await describeUpstreams(await loadConfig({ ...base, CODEGURU_SECURITY: 'off' }))).codeguruSecurity).toBe(
      'off (CODEGURU_SECURITY=off)',
    );
  });

  it("reads the shared config file's services section for the profile of the environment given", async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'aws-config-')), 'config');
    writeFileSync(file, '[profile ci]\nservices = local\n\n[services local]\ncodebuild =\n  endpoint_url = http://from-config.example:4\n');
    expect(await codebuild({ AWS_CONFIG_FILE: file, AWS_PROFILE: 'ci' })).toBe(
      `http://from-config.example:4/ ([services local] of ${file})`,
    );
    expect(await codebuild({ AWS_CONFIG_FILE: file })).toBe('regional default https://codebuild.eu-west-1.amazonaws.com/');
    writeFileSync(file, '[profile ci]\nservices = missing\n');
    await expect(loadConfig({ ...base, AWS_CONFIG_FILE: file, AWS_PROFILE: 'ci' })).rejects.toThrow(/services section "missing"/);
  });

  it('refuses a malformed endpoint or switch at start, naming the variable (it used to fail every query instead)', async () => {
    await expect(loadConfig({ ...base, AWS_ENDPOINT_URL_CODEBUILD: 'not a url' })).rejects.toThrow(
      /^AWS_ENDPOINT_URL_CODEBUILD "not a url" is not a URL/,
    );
    await expect(loadConfig({ ...base, AWS_ENDPOINT_URL: 'ftp://x' })).rejects.toThrow(
      /^AWS_ENDPOINT_URL "ftp:\/\/x" is not an http\(s\) URL/,
    );
    await expect(loadConfig({ ...base, AWS_USE_FIPS_ENDPOINT: 'maybe' })).rejects.toThrow(/^AWS_USE_FIPS_ENDPOINT must be true or false/);
    await expect(loadConfig({ ...base, AWS_ENDPOINT_URL: 'not a url' })).rejects.toThrow(ConfigError);
  });

  it('credentials: static keys of the environment given, one provider for every client', async () => {
    const config = await loadConfig({
      ...base,
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_SESSION_TOKEN: 'token',
    });
    expect(await config.aws.credentials()).toMatchObject({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' });
    expect(JSON.stringify(config)).not.toContain('secret');
  });
});

describe('settings the red-team pass found lenient', () => {
  const base = { AWS_REGION: 'eu-west-1', ADVALIDATION_API_KEY: 'k' };
  const refusal = (env: Record<string, string>) =>
    loadConfig({ ...base, ...env }).then(
      () => 'started',
      (e: unknown) => (e instanceof ConfigError ? e.message : `not a ConfigError: ${String(e)}`),
    );

  it('refuses a URL carrying credentials without quoting it (it reached the start-up log)', async () => {
    for (const [name, value] of [
      ['ADVALIDATION_BASE_URL', 'http://user:pa55word@127.0.0.1:4120'],
      ['AWS_ENDPOINT_URL_CODEBUILD', 'http://user:pa55word@127.0.0.1:4120'],
    ] as const) {
      const message = await refusal({ [name]: value });
      expect(message).toMatch(new RegExp(`^${name} .*must not carry credentials`));
      expect(message).not.toContain('pa55word');
    }
  });

  it('refuses FIPS or dual-stack with a configured endpoint at start, naming both (the SDK failed every call)', async () => {
    expect(await refusal({ AWS_USE_FIPS_ENDPOINT: 'true', AWS_ENDPOINT_URL: 'http://127.0.0.1:4010' })).toMatch(
      /^AWS_USE_FIPS_ENDPOINT=true cannot be combined with a configured endpoint \(AWS_ENDPOINT_URL\)/,
    );
    expect(await refusal({ AWS_USE_DUALSTACK_ENDPOINT: 'true', AWS_ENDPOINT_URL_INSPECTOR2: 'http://127.0.0.1:4010' })).toMatch(
      /^AWS_USE_DUALSTACK_ENDPOINT=true cannot be combined with a configured endpoint \(AWS_ENDPOINT_URL_INSPECTOR2\)/,
    );
  });

  it('checks a shadowed AWS_ENDPOINT_URL too', async () => {
    expect(await refusal({ AWS_ENDPOINT_URL_CODEBUILD: 'http://127.0.0.1:4010', AWS_ENDPOINT_URL: 'nope' })).toMatch(
      /^AWS_ENDPOINT_URL "nope" is not a URL/,
    );
  });

  it('takes integers in decimal notation only', async () => {
    for (const value of ['0x3', '3e0', '0b11', '3.0'])
      expect(await refusal({ AWS_MAX_ATTEMPTS: value })).toMatch(/^AWS_MAX_ATTEMPTS must be an integer/);
    expect(await refusal({ ADVALIDATION_RATE_PER_SECOND: '1e3' })).toMatch(/^ADVALIDATION_RATE_PER_SECOND must be a number/);
    expect((await loadConfig({ ...base, AWS_MAX_ATTEMPTS: ' 4 ', ADVALIDATION_RATE_PER_SECOND: '0.5' })).aws.maxAttempts).toBe(4);
  });
});

describe('every endpoint the configuration reads is an absolute http(s) URL, refused by name at start', () => {
  const base = {
    AWS_REGION: 'eu-west-1',
    ADVALIDATION_API_KEY: 'k',
    AWS_CONFIG_FILE: '/nonexistent/config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
  };
  const refusal = (env: Record<string, string>) =>
    loadConfig({ ...base, ...env }).then(
      () => 'started',
      (e: unknown) => (e instanceof ConfigError ? e.message : `not a ConfigError: ${String(e)}`),
    );
  const VARIABLES = [
    'AWS_ENDPOINT_URL_CODEBUILD',
    'AWS_ENDPOINT_URL_CODEGURU_SECURITY',
    'AWS_ENDPOINT_URL_INSPECTOR2',
    'AWS_ENDPOINT_URL',
    'ADVALIDATION_BASE_URL',
  ];
  // A relative path, a host without a scheme (URL reads "localhost:" as the scheme), another scheme, no URL at all.
  const BAD: Array<[string, string]> = [
    ['/v2', 'is not a URL'],
    ['localhost:4010', 'is not an http(s) URL'],
    ['ftp://127.0.0.1:4010', 'is not an http(s) URL'],
    ['not a url', 'is not a URL'],
  ];

  it.each(VARIABLES)('%s', async (name) => {
    for (const [value, reason] of BAD)
      expect(await refusal({ [name]: value })).toBe(
        `${name} "${value}" ${reason}${reason === 'is not a URL' ? ' (for example http://127.0.0.1:4010).' : '.'}`,
      );
    // Accepted: http and https, with a port and a path.
    expect(await refusal({ [name]: 'https://127.0.0.1:4010/base' })).toBe('started');
  });

  it("checks a switched-off upstream's endpoint too (CODEGURU_SECURITY=off)", async () => {
    expect(await refusal({ CODEGURU_SECURITY: 'off', AWS_ENDPOINT_URL_CODEGURU_SECURITY: 'nope' })).toMatch(
      /^AWS_ENDPOINT_URL_CODEGURU_SECURITY "nope" is not a URL/,
    );
  });

  it("the shared config file's endpoint_url, in a services section and in the profile, naming the file and key", async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'aws-config-')), 'config');
    writeFileSync(file, '[default]\nservices = local\n[services local]\ninspector2 =\n  endpoint_url = localhost:4010\n');
    expect(await refusal({ AWS_CONFIG_FILE: file })).toBe(
      `inspector2.endpoint_url in [services local] of ${file} "localhost:4010" is not an http(s) URL.`,
    );
    writeFileSync(file, '[default]\nendpoint_url = /v2\n');
    expect(await refusal({ AWS_CONFIG_FILE: file })).toMatch(
      new RegExp(`^endpoint_url in profile "default" of ${file} "/v2" is not a URL`),
    );
  });
});

describe('listeners that cannot listen name their setting', () => {
  it('PORT in use, METRICS_PORT in use, HOST not of this machine, HOST and METRICS_HOST that do not resolve', async () => {
    const first = await startStack();
    try {
      const busy = new URL(first.subgraph.url).port;
      const busyMetrics = new URL(first.subgraph.metricsUrl).port;
      await expect(startStack({ env: { PORT: busy } })).rejects.toThrow(new RegExp(`^PORT=${busy}: the port is already in use`));
      await expect(startStack({ env: { METRICS_PORT: busyMetrics } })).rejects.toThrow(
        new RegExp(`^METRICS_PORT=${busyMetrics}: the port is already in use`),
      );
      // TEST-NET-1 (RFC 5737): never an address of this machine.
      await expect(startStack({ env: { HOST: '192.0.2.1' } })).rejects.toThrow(/^HOST=192\.0\.2\.1: not an address of this machine/);
      // .invalid never resolves (RFC 6761).
      await expect(startStack({ env: { HOST: 'no-such-host.invalid' } })).rejects.toThrow(
        /^HOST=no-such-host\.invalid: the host name does not resolve\./,
      );
      await expect(startStack({ env: { METRICS_HOST: 'no-such-host.invalid' } })).rejects.toThrow(
        /^METRICS_HOST=no-such-host\.invalid: the host name does not resolve\./,
      );
    } finally {
      await first.stop();
    }
  });
});

describe('live start-up (src/main.ts)', () => {
  const start = (env: Record<string, string>) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
      encoding: 'utf8',
      timeout: 15_000,
    });

  it('exits 1 with one line naming what is missing, and never falls back to the emulator', () => {
    const result = start({});
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/AWS_REGION is not set/);
    expect(result.stdout).not.toMatch(/emulator/i);
  });
});
