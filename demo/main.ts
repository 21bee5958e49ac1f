/**
 * `npm run demo`: the subgraph against the embedded emulator, seeded with realistic data.
 * The clients reach the emulator through the standard endpoint variables, as they would AWS
 * (given to loadConfig, not written into process.env).
 */
import { SeededEmulator } from '../emulator/index.js';
import { loadConfig, type Env } from '../src/config/index.js';
import { demoExamples } from './examples.js';
import { createLogger } from '../src/logger.js';
import { Metrics } from '../src/observability/metrics.js';
import { startSubgraph } from '../src/subgraph.js';
import { installProcessGuard } from '../src/process-guard.js';
import { installShutdown } from '../src/shutdown.js';
import { createUpstreams } from '../src/upstreams/registry.js';

// The AWS SDK's notice that releases after January 2027 need Node 22 would be the demo's first
// output on Node 20. It is emitted when the first client is built (in demo(), after this line);
// `??=` leaves a value the user set (false shows it again).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

async function demo(): Promise<void> {
  const emulator = new SeededEmulator();
  const emulatorPort = Number(process.env.EMULATOR_PORT ?? 4010);
  // A port in use names the variable that moves it, as the subgraph's PORT/METRICS_PORT do
  // (the emulator itself is not the subgraph's: it rejects with Node's bare listen error).
  await emulator.start(emulatorPort).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    throw new Error(`EMULATOR_PORT=${emulatorPort}: the port is already in use on 127.0.0.1; choose a free one (0 = any).`);
  });
  const env: Env = {
    ...process.env,
    ...emulator.environment(),
    // Emulator data holds no real secrets: show the sensitive fields too (never the default live).
    SENSITIVE_FIELDS: process.env.SENSITIVE_FIELDS ?? 'allow',
    // The demo prints its metrics URL, so any free port will do: 9090 is often Prometheus's own.
    METRICS_PORT: process.env.METRICS_PORT ?? '0',
  };
  const config = await loadConfig(env);
  const logger = createLogger(env.LOG_LEVEL ?? 'warn');
  const metrics = new Metrics({ processMetrics: true });
  installProcessGuard(logger, metrics);
  const subgraph = await startSubgraph({
    config,
    upstreams: createUpstreams(config, { logger, metrics }),
    logger,
    metrics,
    examples: demoExamples(emulator.data),
  });
  installShutdown(subgraph, logger, () => emulator.stop());

  const { builds, findings, inspector, scans } = emulator.data;
  const ids = builds.slice(0, 3).map((build) => build.id!);
  const finding = findings[0]!;
  process.stdout.write(
    [
      '',
      `  Subgraph (demo, against the embedded emulator at ${emulator.url})`,
      `  GraphiQL: ${subgraph.url}/graphql  (open it in a browser: example queries for every type)`,
      `  GraphQL:  ${subgraph.url}/graphql`,
      `  Health:   ${subgraph.url}/health`,
      `  Metrics:  ${subgraph.metricsUrl}`,
      '',
      '  Build ids to try:',
      ...ids.map((id) => `    ${id}`),
      `  Finding (scanName, id):   ${finding.scanName}  ${finding.finding.id}`,
      `  FindingDetail ARNs:       ${inspector.details[0]!.findingArn}`,
      `                            ${inspector.details.at(-1)!.findingArn}`,
      `  Scan ids:                 ${scans
        .slice(0, 3)
        .map((scan) => scan.id)
        .join(', ')}`,
      '',
      '  For example:',
      `    curl -s ${subgraph.url}/graphql -H 'content-type: application/json' \\`,
      `      -d '{"query":"{ builds(ids: [\\"${ids[0]}\\", \\"nope:0\\"]) { id buildStatus projectName startTime } }"}'`,
      '',
      '  Ctrl-C stops it.',
      '',
    ].join('\n'),
  );
}

demo().catch((error: unknown) => {
  process.stderr.write(`Demo failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
