import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Tracer } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { CoreConfig as Config } from './config/core.js';
import { DEFAULT_EXAMPLES, type ExampleQuery } from './graphiql/landing-page.js';
import { createApollo } from './graphql/apollo.js';
import { createGraphQLHandler } from './http/graphql-handler.js';
import { dialableHost, httpOrigin, listen } from './http/listen.js';
import { startMetricsListener, type MetricsListener } from './http/metrics-listener.js';
import { requestListener } from './http/routes.js';
import { createPublicServer } from './http/server-limits.js';
import { Metrics } from './observability/metrics.js';
import type { UpstreamModules, Upstreams } from './upstreams/registry.js';

export interface SubgraphServer {
  /** Base URL, e.g. http://127.0.0.1:4001 (GraphQL is at `${url}/graphql`). */
  url: string;
  /** Where Prometheus scrapes, on its own listener (METRICS_HOST:METRICS_PORT), e.g. http://127.0.0.1:9090/metrics. */
  metricsUrl: string;
  server: Server;
  metrics: Metrics;
  stop(): Promise<void>;
}

export interface SubgraphOptions {
  config: Config;
  upstreams: Upstreams<UpstreamModules>;
  logger: Logger;
  /** Defaults to a fresh registry; pass one to share it with the upstream clients. */
  metrics?: Metrics;
  /** Ready queries GraphiQL opens with (the demo passes some with real ids). */
  examples?: readonly ExampleQuery[];
  /** Traces each operation (main.ts passes the SDK's when OTEL_* configure it; tests pass theirs); undefined: off. */
  tracer?: Tracer;
}

/** Builds the Apollo server and the HTTP routes around it, and listens on config.host:config.port. */
export async function startSubgraph({
  config,
  upstreams,
  logger,
  metrics = new Metrics(),
  examples = DEFAULT_EXAMPLES,
  tracer,
}: SubgraphOptions): Promise<SubgraphServer> {
  const httpServer = createPublicServer(config);
  const apollo = createApollo({ config, logger, metrics, httpServer, examples, modules: upstreams.modules });
  await apollo.start();
  if (config.authorizationDirectives === 'strip') {
    logger.warn('AUTHORIZATION_DIRECTIVES=strip: secrets-bearing fields carry no @requiresScopes; protect them in front of this subgraph');
  }
  let serving = true;
  const graphql = createGraphQLHandler({ apollo, config, upstreams, logger, metrics, tracer });
  httpServer.on(
    'request',
    requestListener({
      routerSecret: config.routerSecret,
      graphiql: config.introspection,
      upstreams,
      logger,
      isServing: () => serving,
      graphql,
    }),
  );

  try {
    await listen(httpServer, config.port, config.host, { hostVariable: 'HOST', portVariable: 'PORT' });
  } catch (error) {
    await apollo.stop();
    throw error;
  }
  const address = httpServer.address() as AddressInfo;
  const host = dialableHost(config.host);
  let metricsListener: MetricsListener;
  try {
    metricsListener = await startMetricsListener(metrics, { host: config.metricsHost, port: config.metricsPort, logger });
  } catch (error) {
    await apollo.stop();
    throw error;
  }

  return {
    url: httpOrigin(host, address.port),
    metricsUrl: metricsListener.url,
    server: httpServer,
    metrics,
    async stop() {
      serving = false;
      // The drain plugin stops accepting connections and waits for in-flight requests.
      await apollo.stop();
      await metricsListener.close();
    },
  };
}
