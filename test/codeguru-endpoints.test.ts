import { BatchGetFindingDetailsCommand, Inspector2Client } from '@aws-sdk/client-inspector2';
import { getEndpointFromInstructions } from '@smithy/core/endpoints';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/index.js';
import { EMULATOR_CREDENTIALS } from '../emulator/core/aws-wire.js';
import { CodeGuruSecurityClient, defaultEndpointResolver, resolveClientEndpoint } from '../src/upstreams/codeguru-security/sdk/index.js';
import { withEndpoint } from '../src/upstreams/aws/client-options.js';
import { endpointTests } from './fixtures/codeguru-security-endpoint-tests.js';

// The CodeGuru Security endpoint comes from the model's own rule set through Smithy's rules
// engine: every endpoint test case the model publishes holds, and configured through the
// client (region, FIPS, dual-stack, and the environment as the subgraph's config reads it) it resolves
// as the generated Inspector2 client does.

describe("the model's endpoint test cases", () => {
  for (const testCase of endpointTests) {
    it(testCase.documentation, () => {
      const resolve = () => defaultEndpointResolver({ ...testCase.params });
      if (testCase.expect.error) expect(resolve).toThrow(testCase.expect.error);
      else expect(resolve().url.href).toBe(new URL(testCase.expect.endpoint!.url).href);
    });
  }
});

describe('through the client, as the generated Inspector2 client resolves the same settings', () => {
  interface Settings {
    region?: string;
    endpoint?: string;
    useFipsEndpoint?: boolean;
    useDualstackEndpoint?: boolean;
  }

  /** Both clients' endpoint (or configuration error) for the same settings, service names made comparable. */
  async function resolveBoth(config: Settings, env: Record<string, string>) {
    // The environment is read by the subgraph's config, which hands both clients the result.
    const loaded = await loadConfig({
      AWS_REGION: 'us-east-1',
      ADVALIDATION_API_KEY: 'k',
      CODEGURU_SECURITY: 'off',
      AWS_CONFIG_FILE: '/nonexistent/config',
      ...env,
    });
    const { region, useFipsEndpoint, useDualstackEndpoint, endpoint } = withEndpoint(loaded.aws, loaded.codeguruSecurity.endpoint);
    const configured = endpoint ? { endpoint: endpoint.url } : { ignoreConfiguredEndpointUrls: true };
    const options = { region, useFipsEndpoint, useDualstackEndpoint, ...configured, credentials: { ...EMULATOR_CREDENTIALS }, ...config };
    const codeguru = new CodeGuruSecurityClient(options);
    const inspector = new Inspector2Client(options);
    const settle = (promise: Promise<URL>) =>
      promise.then(
        (url) => url.href,
        (error: Error) => `error: ${error.message}`,
      );
    try {
      return {
        codeguru: await settle(resolveClientEndpoint(codeguru)),
        inspector: (
          await settle(
            getEndpointFromInstructions({ findingArns: [] }, BatchGetFindingDetailsCommand as never, inspector.config as never).then(
              (endpoint) => new URL(endpoint.url.href),
            ),
          )
        ).replace('inspector2', 'codeguru-security'),
      };
    } finally {
      codeguru.destroy();
      inspector.destroy();
    }
  }

  const cases: Array<[string, Settings, Record<string, string>, string]> = [
    ['a commercial region', { region: 'eu-west-1' }, {}, 'https://codeguru-security.eu-west-1.amazonaws.com/'],
    ['the China partition', { region: 'cn-north-1' }, {}, 'https://codeguru-security.cn-north-1.amazonaws.com.cn/'],
    ['FIPS from the client option', { useFipsEndpoint: true }, {}, 'https://codeguru-security-fips.us-east-1.amazonaws.com/'],
    ['FIPS from AWS_USE_FIPS_ENDPOINT', {}, { AWS_USE_FIPS_ENDPOINT: 'true' }, 'https://codeguru-security-fips.us-east-1.amazonaws.com/'],
    [
      'dual-stack from AWS_USE_DUALSTACK_ENDPOINT',
      {},
      { AWS_USE_DUALSTACK_ENDPOINT: 'true' },
      'https://codeguru-security.us-east-1.api.aws/',
    ],
    [
      'FIPS and dual-stack in GovCloud',
      { region: 'us-gov-west-1', useFipsEndpoint: true, useDualstackEndpoint: true },
      {},
      'https://codeguru-security-fips.us-gov-west-1.api.aws/',
    ],
    ['an explicit endpoint', { endpoint: 'http://127.0.0.1:9/base' }, {}, 'http://127.0.0.1:9/base'],
    ['AWS_ENDPOINT_URL', {}, { AWS_ENDPOINT_URL: 'http://127.0.0.1:8' }, 'http://127.0.0.1:8/'],
    [
      'FIPS with a custom endpoint',
      { endpoint: 'http://127.0.0.1:9', useFipsEndpoint: true },
      {},
      'error: Invalid Configuration: FIPS and custom endpoint are not supported',
    ],
    [
      'dual-stack with a custom endpoint',
      { endpoint: 'http://127.0.0.1:9', useDualstackEndpoint: true },
      {},
      'error: Invalid Configuration: Dualstack and custom endpoint are not supported',
    ],
    [
      'dual-stack in an ISO partition (the partition data of this SDK release)',
      { region: 'us-iso-east-1', useDualstackEndpoint: true },
      {},
      'https://codeguru-security.us-iso-east-1.api.aws.ic.gov/',
    ],
  ];
  for (const [label, config, env, expected] of cases) {
    it(label, async () => {
      const { codeguru, inspector } = await resolveBoth(config, env);
      expect(codeguru).toBe(expected);
      expect(codeguru).toBe(inspector);
    });
  }

  it('a send with an impossible configuration fails before any request, as generated clients do', async () => {
    const { BatchGetFindingsCommand } = await import('../src/upstreams/codeguru-security/sdk/index.js');
    const client = new CodeGuruSecurityClient({
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:9',
      useFipsEndpoint: true,
      credentials: { ...EMULATOR_CREDENTIALS },
    });
    await expect(client.send(new BatchGetFindingsCommand({ findingIdentifiers: [{ scanName: 's', findingId: 'f' }] }))).rejects.toThrow(
      'FIPS and custom endpoint are not supported',
    );
    client.destroy();
  });
});
