/**
 * Live mode: serves against the real upstream APIs, configured the standard AWS way. It never
 * falls back to the emulator: missing configuration stops the process with one clear line.
 */
import { ConfigError, loadConfig } from './config/index.js';
import { createLogger } from './logger.js';
import { Metrics } from './observability/metrics.js';
import { startSubgraph } from './subgraph.js';
import { createUpstreams, describeUpstreams } from './upstreams/registry.js';
import { installProcessGuard } from './process-guard.js';
import { installShutdown } from './shutdown.js';

async function main(): Promise<void> {
  // The one read of the environment: everything below gets its settings from `config`.
  const config = await loadConfig(process.env);
  const logger = createLogger(config.logLevel);
  const metrics = new Metrics({ processMetrics: true });
  installProcessGuard(logger, metrics);
  try {
    // Resolve once now so that a machine without credentials fails at start, not on the first query.
    await config.aws.credentials();
  } catch {
    throw new ConfigError(
      'No AWS credentials found by the default provider chain (environment, SSO/profile, web identity, container or instance role).',
    );
  }
  const upstreams = createUpstreams(config, { logger, metrics });
  logger.info({ region: config.aws.region, upstreams: await describeUpstreams(config) }, 'talking to upstream APIs');
  const tracing = config.telemetry.tracing;
  // The OpenTelemetry SDK and its OTLP exporter (some 180 modules; 3.6 MB of old space after
  // start-up, measured) load only when tracing is configured: with tracing off nothing pays for them.
  const { logSdkDiagnostics, startTracingSdk } = tracing ? await import('./observability/tracing-sdk.js') : {};
  const sdk = tracing && startTracingSdk!(tracing);
  if (tracing) {
    logSdkDiagnostics!(logger, { secrets: Object.values(tracing.otlp?.headers ?? {}) });
    // Where spans go, never the headers (they carry the collector's credentials).
    logger.info(
      { exporters: tracing.exporters, endpoint: tracing.otlp?.url, sampler: tracing.sampler, serviceName: tracing.serviceName },
      'tracing on',
    );
  }
  const subgraph = await startSubgraph({ config, upstreams, logger, metrics, tracer: sdk?.tracer });
  logger.info({ url: `${subgraph.url}/graphql`, metrics: subgraph.metricsUrl }, 'subgraph ready');
  // After the drain, so the spans of the last requests are exported too.
  installShutdown(subgraph, logger, async () => sdk?.shutdown());
}

main().catch((error: unknown) => {
  const message =
    error instanceof ConfigError ? error.message : `Start-up failed: ${error instanceof Error ? error.message : String(error)}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
