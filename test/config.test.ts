import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ConfigError, describeAwsEndpoint, loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('reads the standard AWS settings and applies defaults', () => {
    const config = loadConfig({ AWS_REGION: 'eu-west-1', ADVALIDATION_API_KEY: 'k' });
    expect(config.port).toBe(4001);
    expect(config.aws).toMatchObject({ region: 'eu-west-1', retryMode: 'standard', maxAttempts: 3 });
    expect(config).toMatchObject({ metricsPort: 9090, metricsHost: '127.0.0.1', maxConnections: 1024, keepAliveTimeoutMs: 5000 });
  });

  it('refuses to start without an Advalidation API key, and never echoes a key it was given', () => {
    expect(() => loadConfig({ AWS_REGION: 'eu-west-1' })).toThrow(/ADVALIDATION_API_KEY is not set/);
    const error = (() => {
      try {
        loadConfig({ AWS_REGION: 'eu-west-1', ADVALIDATION_API_KEY: 'super-secret-key', ADVALIDATION_BASE_URL: 'ftp://nope' });
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(error?.message).toMatch(/ADVALIDATION_BASE_URL/);
    expect(error?.message).not.toContain('super-secret-key');
  });

  it('refuses to start without a region, naming the variable', () => {
    expect(() => loadConfig({})).toThrow(ConfigError);
    expect(() => loadConfig({})).toThrow(/AWS_REGION is not set/);
  });

  it.each([
    [{ AWS_REGION: 'eu-west-1', ADVALIDATION_API_KEY: 'k', PORT: 'eighty' }, /PORT must be an integer/],
    [{ AWS_REGION: 'Europe', ADVALIDATION_API_KEY: 'k' }, /not an AWS region name/],
    [{ AWS_REGION: 'eu-west-1', ADVALIDATION_API_KEY: 'k', AWS_RETRY_MODE: 'legacy' }, /AWS_RETRY_MODE must be one of standard, adaptive/],
    [{ AWS_REGION: 'eu-west-1', ADVALIDATION_API_KEY: 'k', BATCH_CONCURRENCY: '0' }, /BATCH_CONCURRENCY must be an integer between 1/],
    [{ AWS_REGION: 'eu-west-1', ADVALIDATION_API_KEY: 'k', ADVALIDATION_RATE_PER_SECOND: 'fast' }, /ADVALIDATION_RATE_PER_SECOND must be a number/],
    [{ AWS_REGION: 'eu-west-1', ADVALIDATION_API_KEY: 'k', METRICS_PORT: '99999' }, /METRICS_PORT must be an integer between 0 and 65535/],
    [{ AWS_REGION: 'eu-west-1', ADVALIDATION_API_KEY: 'k', MAX_CONNECTIONS: '0' }, /MAX_CONNECTIONS must be an integer between 1/],
    [{ AWS_REGION: 'eu-west-1', ADVALIDATION_API_KEY: 'k', KEEP_ALIVE_TIMEOUT_MS: 'soon' }, /KEEP_ALIVE_TIMEOUT_MS must be an integer/],
  ])('rejects %o with a clear message', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});

describe('describeAwsEndpoint', () => {
  it('follows the SDK precedence: service variable, then AWS_ENDPOINT_URL, then the regional endpoint', () => {
    expect(describeAwsEndpoint({ AWS_ENDPOINT_URL_CODEBUILD: 'http://a', AWS_ENDPOINT_URL: 'http://b' }, 'CodeBuild', 'codebuild', 'eu-west-1')).toMatch(/^http:\/\/a/);
    expect(describeAwsEndpoint({ AWS_ENDPOINT_URL: 'http://b' }, 'CodeBuild', 'codebuild', 'eu-west-1')).toMatch(/^http:\/\/b/);
    expect(describeAwsEndpoint({}, 'CodeBuild', 'codebuild', 'eu-west-1')).toBe('https://codebuild.eu-west-1.amazonaws.com');
    expect(describeAwsEndpoint({ AWS_ENDPOINT_URL: 'http://b', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }, 'CodeBuild', 'codebuild', 'eu-west-1')).toBe(
      'https://codebuild.eu-west-1.amazonaws.com',
    );
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
