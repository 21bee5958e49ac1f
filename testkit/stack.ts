import { Writable } from 'node:stream';
import type { Tracer } from '@opentelemetry/api';
import { SeededEmulator, type EmulatorData } from '../emulator/index.js';
import { loadConfig, type Config } from '../src/config/index.js';
import { createLogger } from '../src/logger.js';
import { Metrics } from '../src/observability/metrics.js';
import { startSubgraph, type SubgraphServer } from '../src/subgraph.js';
import { createUpstreams, type UpstreamModules } from '../src/upstreams/registry.js';

export interface GraphQLResponse<T = Record<string, unknown>> {
  data?: T | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
}

export interface Stack {
  emulator: SeededEmulator;
  subgraph: SubgraphServer;
  config: Config;
  /** Everything the subgraph logged, as raw JSON lines. */
  logs: string[];
  /** The Prometheus text from the metrics listener (its own port, not the public one). */
  scrapeMetrics(): Promise<string>;
  query<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
  stop(): Promise<void>;
}

/** No shared config or credentials file of the machine running the tests leaks in. */
export const HERMETIC_ENV = { AWS_CONFIG_FILE: '/nonexistent/config', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials' };

/**
 * The real stack for a test: the emulator on an ephemeral port, the environment pointing the
 * real clients at it (as an operator would), and the subgraph's real HTTP server.
 */
export async function startStack(
  options: { env?: Record<string, string>; data?: EmulatorData; modules?: UpstreamModules; tracer?: Tracer } = {},
): Promise<Stack> {
  const emulator = new SeededEmulator(options.data);
  await emulator.start();
  // The whole environment the subgraph sees, passed to loadConfig (process.env is neither read
  // nor written): the clients get endpoints and credentials from the config made of it.
  const env: Record<string, string | undefined> = {
    ...HERMETIC_ENV,
    ...emulator.environment(),
    PORT: '0',
    HOST: '127.0.0.1',
    METRICS_PORT: '0',
    ...options.env,
  };
  // A module list given (the registry test's) holds the registry's modules and more.
  const config = (await loadConfig(env, options.modules)) as Config;
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createLogger(env.LOG_LEVEL ?? 'info', sink);
  const metrics = new Metrics();
  // A subgraph that cannot start (a port in use, a bad host) must not leave its emulator running.
  const subgraph = await startSubgraph({
    config,
    upstreams: createUpstreams(config, { logger, metrics }, options.modules),
    logger,
    metrics,
    tracer: options.tracer,
  }).catch(async (error: unknown) => {
    await emulator.stop();
    throw error;
  });
  return {
    emulator,
    subgraph,
    config,
    logs,
    async scrapeMetrics() {
      return (await fetch(subgraph.metricsUrl)).text();
    },
    async query(query, variables, headers) {
      const response = await fetch(`${subgraph.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as never;
    },
    async stop() {
      await subgraph.stop();
      await emulator.stop();
    },
  };
}

/** What a GraphQL client sees of an upstream record: Dates as ISO-8601 strings, nothing undefined. */
export function asGraphQLJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

/**
 * A response object without its null fields, to compare with an upstream record that simply
 * omits absent members. A member the record has but the response lost still fails the comparison.
 */
export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, member]) => member !== null)
      .map(([key, member]) => [key, withoutNulls(member)]),
  );
}
