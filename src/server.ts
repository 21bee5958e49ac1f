import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap, type HTTPGraphQLRequest } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { GraphQLError, type GraphQLFormattedError, type ValidationContext } from 'graphql';
import type { Logger } from 'pino';
import type { CoreConfig as Config } from './config/core.js';
import { clip } from './errors.js';
import { createRequestContext, type RequestContext } from './context.js';
import { ErrorCode } from './errors.js';
import { readBody } from './http/body.js';
import { RequestDeadline, timeBudgetMs, upstreamMarginMs } from './http/deadline.js';
import { listen, startMetricsListener, type MetricsListener } from './http/metrics-listener.js';
import { parseRequestTarget, type RequestTarget } from './http/request-target.js';
import { send, sendGraphQLError } from './http/respond.js';
import { isLandingPageRequest, routerAuthorized } from './http/router-auth.js';
import { createPublicServer } from './http/server-limits.js';
import { subscriptionRefusalPlugin } from './subscription-refusal.js';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { costLimitPlugin } from './cost-limit-plugin.js';
import { fanOutLimitPlugin } from './fan-out-limits.js';
import { serveGraphiQLAsset } from './graphiql/assets.js';
import { DEFAULT_EXAMPLES, GRAPHIQL_CSP, graphiqlLandingPage, type ExampleQuery } from './graphiql/landing-page.js';
import { Metrics } from './observability/metrics.js';
import { requestLogPlugin } from './observability/request-log.js';
import { healthPayload } from './reliability/health.js';
import { responseSizeLimitPlugin } from './response-size-limit.js';
import { buildSchema } from './schema.js';
import { sensitiveResponsePlugin } from './sensitive-fields.js';
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
}

const MAX_BODY_BYTES = 2 * 1024 * 1024;

const reportRejection = {
  propagateOnRejection: false,
  onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(error)],
};

/** Builds the Apollo server and the HTTP routes around it, and listens on config.host:config.port. */
export async function startSubgraph({ config, upstreams, logger, metrics = new Metrics(), examples = DEFAULT_EXAMPLES }: SubgraphOptions): Promise<SubgraphServer> {
  const httpServer = createPublicServer(config);
  const apollo = new ApolloServer<RequestContext>({
    schema: buildSchema(logger, { authorizationDirectives: config.authorizationDirectives, sensitiveFields: config.sensitiveFields, modules: upstreams.modules }),
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
      subscriptionRefusalPlugin(),
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
    // A response whose client went away may still be written to: never an uncaught 'error'.
    res.on('error', (error) => logger.debug({ err: error }, 'response stream failed'));
    route(req, res).catch((error: unknown) => {
      logger.error({ err: error }, 'unhandled error while serving a request');
      sendGraphQLError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = performance.now();
    const target = parseRequestTarget(req.url);
    if (!target) {
      sendGraphQLError(res, 400, 'BAD_REQUEST', 'The request-target is not a valid path.', { connection: 'close' });
      return;
    }
    if (target.pathname === '/health') {
      send(res, serving ? 200 : 503, { 'content-type': 'application/json' }, JSON.stringify(healthPayload(serving, upstreams.circuits)));
      return;
    }
    if (target.pathname.startsWith('/graphiql/')) {
      if (req.method === 'GET') serveGraphiQLAsset(target.pathname, res);
      else send(res, 405, { 'content-type': 'text/plain', allow: 'GET' }, 'Method not allowed');
      return;
    }
    if (target.pathname !== '/graphql') {
      send(res, 404, { 'content-type': 'application/json' }, JSON.stringify({ error: 'Not found: GraphQL is served at /graphql.' }));
      return;
    }
    if (req.method !== 'GET' && req.method !== 'POST') {
      sendGraphQLError(res, 405, 'BAD_REQUEST', `${req.method ?? 'This method'} is not supported: send GraphQL with POST (or GET for queries).`, { allow: 'GET, POST' });
      return;
    }
    const routerAuthenticated = config.routerSecret !== undefined && routerAuthorized(req, config.routerSecret);
    if (config.routerSecret !== undefined && !routerAuthenticated && !isLandingPageRequest(req, target)) {
      // The convention of Apollo's subgraph templates: only the router may query this subgraph.
      sendGraphQLError(res, 401, ErrorCode.UNAUTHENTICATED, 'Missing or invalid router-authorization header.');
      return;
    }
    await handleGraphQL(req, res, target, routerAuthenticated, receivedAt);
  }

  async function handleGraphQL(req: IncomingMessage, res: ServerResponse, target: RequestTarget, routerAuthenticated: boolean, receivedAt: number): Promise<void> {
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const deadline = new RequestDeadline(timeBudgetMs(config.requestTimeoutMs, headers.get(config.deadlineHeader)), receivedAt);
    // A client that goes away stops the upstream work done for it.
    res.once('close', () => {
      if (!res.writableFinished) deadline.abort();
      deadline.dispose();
    });
    const body = await readBody(req, { maxBytes: MAX_BODY_BYTES, timeoutMs: deadline.remainingMs() });
    if (body.kind === 'aborted') {
      res.destroy();
      return;
    }
    if (body.kind === 'too-large') {
      sendGraphQLError(res, 413, 'BAD_REQUEST', `Request body exceeds ${MAX_BODY_BYTES} bytes.`, { connection: 'close' });
      return;
    }
    if (body.kind === 'timeout') {
      sendGraphQLError(res, 408, 'BAD_REQUEST', `The request body did not arrive within the request's ${deadline.budgetMs} ms budget.`, { connection: 'close' });
      return;
    }
    let parsed: unknown = body.text;
    if (headers.get('content-type')?.includes('json') && body.text.length > 0) {
      try {
        parsed = JSON.parse(body.text);
      } catch {
        sendGraphQLError(res, 400, 'BAD_REQUEST', 'The request body is not valid JSON.');
        return;
      }
    }
    const request: HTTPGraphQLRequest = { method: req.method ?? 'GET', headers, search: target.search, body: parsed };
    const requestId = requestIdFrom(headers.get('x-request-id'));
    const execution = apollo
      .executeHTTPGraphQLRequest({
        httpGraphQLRequest: request,
        context: async () =>
          createRequestContext({
            requestId,
            upstreams,
            signal: deadline.signal,
            // When upstream calls will be cut: what Advalidation's pacing plans against.
            deadline: Date.now() + Math.max(0, deadline.remainingMs() - upstreamMarginMs(deadline.budgetMs)),
            concurrency: config.batching.concurrency,
            logger,
            cachePolicy: config.cache,
            routerAuthenticated,
            onCall: (event) => metrics.recordCall(event),
          }),
      })
      .then(
        (response) => ({ kind: 'response' as const, response }),
        (error: unknown) => ({ kind: 'failed' as const, error }),
      );
    // The budget bounds the answer: execution that is still running when it ends (CPU-bound
    // work, a resolver that ignores the signal) is answered for, and finishes unobserved.
    const outcome = await Promise.race([execution, deadline.cutoff.then(() => ({ kind: 'cutoff' as const }))]);
    if (outcome.kind === 'failed') throw outcome.error;
    if (outcome.kind === 'cutoff') {
      deadline.abort();
      logger.warn({ requestId, budgetMs: deadline.budgetMs }, 'request cut off at its time budget');
      void execution.then((late) => {
        if (late.kind === 'failed') logger.error({ err: late.error, requestId }, 'request failed after its cutoff');
      });
      send(
        res,
        200,
        { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-request-id': requestId },
        JSON.stringify({
          data: null,
          errors: [{ message: `The request did not complete within its ${deadline.budgetMs} ms time budget.`, extensions: { code: ErrorCode.UPSTREAM_TIMEOUT } }],
        }),
      );
      return;
    }
    const { response } = outcome;
    if (res.destroyed) return;
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

  await listen(httpServer, config.port, config.host);
  const address = httpServer.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  let metricsListener: MetricsListener;
  try {
    metricsListener = await startMetricsListener(metrics, { host: config.metricsHost, port: config.metricsPort, logger });
  } catch (error) {
    await apollo.stop();
    throw error;
  }

  return {
    url: `http://${host}:${address.port}`,
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

/** A caller's request id is kept when it is short and plain; anything else is replaced. */
function requestIdFrom(header: string | undefined): string {
  return header && /^[\w.:-]{1,128}$/.test(header) ? header : randomUUID();
}

/**
 * Errors the subgraph raises on purpose (the vocabulary, validation, bad variables) pass as
 * they are. Anything else is a bug or an unexpected library error: log it, answer a generic
 * message so no internals (paths, hosts, credentials) leak.
 */
function formatError(formatted: GraphQLFormattedError, error: unknown, logger: Logger): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (code === 'INTERNAL_SERVER_ERROR' && isClientRequestError(error)) {
    // Apollo's own refusals of a malformed request (e.g. an unsupported persisted-query
    // version) carry a 4xx status but no code: they are the client's mistake, not a bug.
    return { ...formatted, extensions: { ...formatted.extensions, code: 'BAD_REQUEST' } };
  }
  if (code === 'INTERNAL_SERVER_ERROR') {
    logger.error({ err: boundedError(error), path: formatted.path?.slice(0, 20).map((step) => (typeof step === 'string' ? clip(step) : step)) }, 'unexpected error in a resolver');
    return { message: 'Internal server error', locations: formatted.locations, path: formatted.path, extensions: { code } };
  }
  // graphql-js quotes offending input values whole (a 1 MB string in a variable of the wrong type
  // comes back in the message): a message is cut, never the error.
  if (formatted.message.length > MAX_ERROR_MESSAGE_CHARS) return { ...formatted, message: clip(formatted.message, MAX_ERROR_MESSAGE_CHARS) };
  return formatted;
}

function isClientRequestError(error: unknown): boolean {
  if (!(error instanceof GraphQLError) || error.path !== undefined) return false;
  const status = (error.extensions.http as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

const MAX_ERROR_MESSAGE_CHARS = 1_000;

/** An error for a log line: its message cut (it may quote input), its stack frames without the message. */
function boundedError(error: unknown): Record<string, unknown> {
  const original = (error as { originalError?: unknown } | undefined)?.originalError ?? error;
  if (!(original instanceof Error)) return { message: clip(String(original)) };
  const frames = (original.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at ')).slice(0, 15);
  return { type: original.name, message: clip(original.message, 300), stack: frames.join('\n') };
}
