/**
 * Live mode: serves against the real upstream APIs, configured the standard AWS way. It never
 * falls back to the emulator: missing configuration stops the process with one clear line.
 */
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { ConfigError, describeAwsEndpoint, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { Metrics } from './observability/metrics.js';
import { startSubgraph } from './subgraph.js';
import { createUpstreams } from './upstreams/index.js';
import { installProcessGuard } from './process-guard.js';
import { installShutdown } from './shutdown.js';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel);
  const metrics = new Metrics({ processMetrics: true });
  installProcessGuard(logger, metrics);
  try {
    // Resolve once now so that a machine without credentials fails at start, not on the first query.
    await defaultProvider()();
  } catch {
    throw new ConfigError(
      'No AWS credentials found by the default provider chain (environment, SSO/profile, web identity, container or instance role).',
    );
  }
  const upstreams = createUpstreams(config, { logger, metrics });
  logger.info(
    {
      region: config.aws.region,
      upstreams: {
        codebuild: describeAwsEndpoint(process.env, 'CodeBuild', 'codebuild', config.aws.region),
        codeguruSecurity: config.codeguruSecurity.enabled ? describeAwsEndpoint(process.env, 'CodeGuru Security', 'codeguru-security', config.codeguruSecurity.region) : 'off (CODEGURU_SECURITY=off)',
        inspector2: `${describeAwsEndpoint(process.env, 'Inspector2', 'inspector2', '<region of each ARN>')}`,
        advalidation: `${config.advalidation.baseUrl}/v2 (API key set)`,
      },
    },
    'talking to upstream APIs',
  );
  const subgraph = await startSubgraph({ config, upstreams, logger, metrics });
  logger.info({ url: `${subgraph.url}/graphql`, metrics: subgraph.metricsUrl }, 'subgraph ready');
  installShutdown(subgraph, logger);
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigError ? error.message : `Start-up failed: ${error instanceof Error ? error.message : String(error)}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
