import { randomUUID, timingSafeEqual } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap, type HTTPGraphQLRequest } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import type { GraphQLError, GraphQLFormattedError, ValidationContext } from 'graphql';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { createRequestContext, type RequestContext } from './context.js';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { costLimitPlugin } from './cost-limit-plugin.js';
import { fanOutLimitPlugin } from './fan-out-limits.js';
import { serveGraphiQLAsset } from './graphiql/assets.js';
import { DEFAULT_EXAMPLES, GRAPHIQL_CSP, graphiqlLandingPage, type ExampleQuery } from './graphiql/landing-page.js';
import { Metrics } from './observability/metrics.js';
import { requestLogPlugin } from './observability/request-log.js';
import { responseSizeLimitPlugin } from './response-size-limit.js';
import { buildSchema } from './schema.js';
import { sensitiveResponsePlugin } from './sensitive-fields.js';
import type { Upstreams } from './upstreams/index.js';

export interface SubgraphServer {
  /** Base URL, e.g. http://127.0.0.1:4001 (GraphQL is at `${url}/graphql`). */
  url: string;
  server: Server;
  metrics: Metrics;
  stop(): Promise<void>;
}

export interface SubgraphOptions {
  config: Config;
  upstreams: Upstreams;
  logger: Logger;
  /** Defaults to a fresh registry; pass one to share it with the upstream clients. */
  metrics?: Metrics;
  /** Ready queries GraphiQL opens with (the demo passes some with real ids). */
  examples?: readonly ExampleQuery[];
}

const MAX_BODY_BYTES = 2 * 1024 * 1024;

const reportRejection = {
  propagateOnRejection: false,
  onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(error)],
};

/** Builds the Apollo server and the HTTP routes around it, and listens on config.host:config.port. */
export async function startSubgraph({ config, upstreams, logger, metrics = new Metrics(), examples = DEFAULT_EXAMPLES }: SubgraphOptions): Promise<SubgraphServer> {
  const httpServer = createServer();
  const apollo = new ApolloServer<RequestContext>({
    schema: buildSchema(logger, { authorizationDirectives: config.authorizationDirectives, sensitiveFields: config.sensitiveFields }),
    // Stack traces and upstream internals never reach a response, whatever NODE_ENV says.
    includeStacktraceInErrorResponses: false,
    formatError: (formatted, error) => formatError(formatted, error, logger),
    // Query shape limits from graphql-armor (maintained, used by Apollo and Envelop users);
    // fan-out by keys is capped separately by fanOutLimitPlugin.
    // Reported as validation errors (400), not thrown (which Apollo would treat as a crash).
    validationRules: [
      maxDepthRule({ n: config.limits.maxDepth, ignoreIntrospection: true, flattenFragments: true, ...reportRejection }),
      maxAliasesRule({ n: config.limits.maxAliases, ...reportRejection }),
    ],
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      requestLogPlugin(metrics),
      fanOutLimitPlugin(config.limits),
      costLimitPlugin(config.limits.maxQueryCost),
      responseSizeLimitPlugin(config.limits.maxResponseBytes),
      sensitiveResponsePlugin,
      graphiqlLandingPage(examples),
    ],
    logger,
  });
  await apollo.start();
  if (config.authorizationDirectives === 'strip') {
    logger.warn('AUTHORIZATION_DIRECTIVES=strip: secrets-bearing fields carry no @requiresScopes; protect them in front of this subgraph');
  }
  let serving = true;

  httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/health') {
      send(res, serving ? 200 : 503, { 'content-type': 'application/json' }, JSON.stringify({ status: serving ? 'ok' : 'stopping' }));
      return;
    }
    if (url.pathname.startsWith('/graphiql/') && req.method === 'GET') {
      serveGraphiQLAsset(url.pathname, res);
      return;
    }
    if (url.pathname === '/metrics' && req.method === 'GET') {
      metrics.registry
        .metrics()
        .then((text) => send(res, 200, { 'content-type': metrics.registry.contentType }, text))
        .catch((error: unknown) => {
          logger.error({ err: error }, 'metrics collection failed');
          send(res, 500, { 'content-type': 'text/plain' }, 'metrics unavailable');
        });
      return;
    }
    if (url.pathname !== '/graphql') {
      send(res, 404, { 'content-type': 'application/json' }, JSON.stringify({ error: 'Not found: GraphQL is served at /graphql.' }));
      return;
    }
    if (config.routerSecret !== undefined && !routerAuthorized(req, config.routerSecret) && !wantsLandingPage(req)) {
      // The convention of Apollo's subgraph templates: only the router may query this subgraph.
      send(res, 401, { 'content-type': 'application/json' }, JSON.stringify({ errors: [{ message: 'Missing or invalid router-authorization header.', extensions: { code: 'UNAUTHENTICATED' } }] }));
      return;
    }
    handleGraphQL(req, res, url).catch((error: unknown) => {
      logger.error({ err: error }, 'unhandled error while serving /graphql');
      if (!res.headersSent) send(res, 500, { 'content-type': 'application/json' }, JSON.stringify({ errors: [{ message: 'Internal server error' }] }));
      else res.end();
    });
  });

  async function handleGraphQL(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const body = await readBody(req);
    if (body === undefined) {
      send(res, 413, { 'content-type': 'application/json' }, JSON.stringify({ errors: [{ message: `Request body exceeds ${MAX_BODY_BYTES} bytes.` }] }));
      return;
    }
    let parsed: unknown = body;
    if (headers.get('content-type')?.includes('json') && body.length > 0) {
      try {
        parsed = JSON.parse(body);
      } catch {
        send(res, 400, { 'content-type': 'application/json' }, JSON.stringify({ errors: [{ message: 'The request body is not valid JSON.' }] }));
        return;
      }
    }
    const request: HTTPGraphQLRequest = { method: req.method?.toUpperCase() ?? 'GET', headers, search: url.search, body: parsed };
    const requestId = requestIdFrom(headers.get('x-request-id'));
    const signal = AbortSignal.timeout(timeBudgetMs(config, headers.get(config.deadlineHeader)));
    // Every concurrent upstream call of the request listens on it; that is expected, not a leak.
    setMaxListeners(0, signal);
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: request,
      context: async () =>
        createRequestContext({
          requestId,
          upstreams,
          signal,
          concurrency: config.batching.concurrency,
          logger,
          cachePolicy: config.cache,
          routerAuthenticated: config.routerSecret !== undefined && routerAuthorized(req, config.routerSecret),
          onCall: (event) => metrics.recordCall(event),
        }),
    });
    response.headers.set('x-request-id', requestId);
    const outHeaders: Record<string, string> = {};
    for (const [name, value] of response.headers) outHeaders[name] = value;
    if (outHeaders['content-type']?.startsWith('text/html')) outHeaders['content-security-policy'] = GRAPHIQL_CSP;
    res.writeHead(response.status ?? 200, outHeaders);
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const address = httpServer.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;

  return {
    url: `http://${host}:${address.port}`,
    server: httpServer,
    metrics,
    async stop() {
      serving = false;
      // The drain plugin stops accepting connections and waits for in-flight requests.
      await apollo.stop();
    },
  };
}

function routerAuthorized(req: IncomingMessage, secret: string): boolean {
  const offered = req.headers['router-authorization'];
  if (typeof offered !== 'string') return false;
  const a = Buffer.from(offered);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A browser asking for the landing page (no operation in it) may load GraphiQL's shell. */
function wantsLandingPage(req: IncomingMessage): boolean {
  return req.method === 'GET' && (req.headers.accept ?? '').includes('text/html') && !(req.url ?? '').includes('query=');
}

/** A caller's request id is kept when it is short and plain; anything else is replaced. */
function requestIdFrom(header: string | undefined): string {
  return header && /^[\w.:-]{1,128}$/.test(header) ? header : randomUUID();
}

/**
 * The request's time budget: the configured default, shortened (never lengthened) by the
 * router's remaining budget when it sends one in milliseconds.
 */
export function timeBudgetMs(config: Config, header: string | undefined): number {
  const offered = header === undefined ? Number.NaN : Number(header);
  if (!Number.isFinite(offered) || offered <= 0) return config.requestTimeoutMs;
  return Math.max(1, Math.min(config.requestTimeoutMs, Math.floor(offered)));
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  res.writeHead(status, headers);
  res.end(body);
}

/** The body as text, or undefined when it exceeds the limit. */
async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Errors the subgraph raises on purpose (the vocabulary, validation, bad variables) pass as
 * they are. Anything else is a bug or an unexpected library error: log it, answer a generic
 * message so no internals (paths, hosts, credentials) leak.
 */
function formatError(formatted: GraphQLFormattedError, error: unknown, logger: Logger): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (code === 'INTERNAL_SERVER_ERROR') {
    logger.error({ err: error, path: formatted.path }, 'unexpected error in a resolver');
    return { message: 'Internal server error', locations: formatted.locations, path: formatted.path, extensions: { code } };
  }
  return formatted;
}
