import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type HTTPGraphQLRequest, type HTTPGraphQLResponse } from '@apollo/server';
import type { Tracer } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { CoreConfig as Config } from '../config/core.js';
import { createRequestContext, type RequestContext } from '../context.js';
import { cursorCodec } from '../discovery/cursor.js';
import { ErrorCode } from '../errors.js';
import { GRAPHIQL_CSP } from '../graphiql/landing-page.js';
import type { Metrics } from '../observability/metrics.js';
import { failOperation, startRequestTrace } from '../observability/tracing.js';
import type { UpstreamModules, Upstreams } from '../upstreams/registry.js';
import { readBody } from './body.js';
import { clientClosedError } from '../reliability/abort.js';
import { RequestDeadline, timeBudgetMs, upstreamMarginMs } from './deadline.js';
import type { RequestTarget } from './request-target.js';
import { send, sendGraphQLError } from './respond.js';

const MAX_BODY_BYTES = 2 * 1024 * 1024;
const INLINE_TRACE_HEADER = 'apollo-federation-include-trace';
/** Above this, a JSON answer is written as a buffer (see writeResponse). */
const LARGE_BODY_CHARS = 64 * 1024;

export interface GraphQLHandlerOptions {
  apollo: ApolloServer<RequestContext>;
  config: Config;
  upstreams: Upstreams<UpstreamModules>;
  logger: Logger;
  metrics: Metrics;
  /** Traces each operation (src/observability/tracing.ts); undefined: tracing off, nothing made per request. */
  tracer?: Tracer;
}

/** What routing learnt about a /graphql request before handing it over. */
export interface GraphQLRequestInfo {
  target: RequestTarget;
  routerAuthenticated: boolean;
  /** performance.now() when the request arrived: its time budget counts from then. */
  receivedAt: number;
}

export type GraphQLHandler = (req: IncomingMessage, res: ServerResponse, info: GraphQLRequestInfo) => Promise<void>;

/**
 * Serves /graphql (method and router authentication already checked): reads the body within
 * the request's time budget, runs the operation through Apollo, and answers before the budget
 * ends, with what execution produced or with UPSTREAM_TIMEOUT.
 */
export function createGraphQLHandler({ apollo, config, upstreams, logger, metrics, tracer }: GraphQLHandlerOptions): GraphQLHandler {
  // One key per process: a cursor this handler gave out is checked by the same key on the next request.
  const cursors = cursorCodec(config);
  return async (req, res, { target, routerAuthenticated, receivedAt }) => {
    const headers = headerMapOf(req);
    // An inline federation trace (ftv1) is for the router's usage reporting, and it can be larger
    // than the answer itself: anyone else asking for one is answered without it.
    if (!routerAuthenticated) headers.delete(INLINE_TRACE_HEADER);
    const deadline = new RequestDeadline(timeBudgetMs(config.requestTimeoutMs, headers.get(config.deadlineHeader)), receivedAt);
    // A client that goes away stops the upstream work done for it.
    res.once('close', () => {
      if (!res.writableFinished) deadline.abort(clientClosedError());
      deadline.dispose();
    });
    const body = await readGraphQLBody(req, res, headers, deadline);
    if (!body) return;
    // The operation span, a child of the router's traceparent when it sent one; it ends when the
    // answer is out (or the connection gone), whichever way the request ended.
    const trace = tracer && startRequestTrace(tracer, headers);
    if (trace) res.once('close', () => trace.span.end());
    const request: HTTPGraphQLRequest = { method: req.method ?? 'GET', headers, search: target.search, body: body.parsed };
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
            logger,
            cachePolicy: config.cache,
            routerAuthenticated,
            cursors,
            onListCall: (event) => metrics.recordListCall(event),
            // A shared call is counted once by the window that sent it (src/upstreams/registry.ts).
            onCall: (event) => {
              if (!event.shared) metrics.recordCall(event);
            },
            trace,
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
      failOperation(trace, [ErrorCode.UPSTREAM_TIMEOUT]);
      deadline.abort();
      logger.warn({ requestId, budgetMs: deadline.budgetMs }, 'request cut off at its time budget');
      void execution.then((late) => {
        if (late.kind === 'failed') logger.error({ err: late.error, requestId }, 'request failed after its cutoff');
      });
      sendCutoff(res, requestId, deadline.budgetMs);
      return;
    }
    await writeResponse(res, outcome.response, requestId);
  };
}

function headerMapOf(req: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

/** The body as Apollo takes it (parsed when it is JSON), or undefined once the request is answered or dropped. */
async function readGraphQLBody(
  req: IncomingMessage,
  res: ServerResponse,
  headers: HeaderMap,
  deadline: RequestDeadline,
): Promise<{ parsed: unknown } | undefined> {
  const body = await readBody(req, { maxBytes: MAX_BODY_BYTES, timeoutMs: deadline.remainingMs() });
  if (body.kind === 'aborted') {
    res.destroy();
    return undefined;
  }
  if (body.kind === 'too-large') {
    sendGraphQLError(res, 413, 'BAD_REQUEST', `Request body exceeds ${MAX_BODY_BYTES} bytes.`, { connection: 'close' });
    return undefined;
  }
  if (body.kind === 'timeout') {
    sendGraphQLError(res, 408, 'BAD_REQUEST', `The request body did not arrive within the request's ${deadline.budgetMs} ms budget.`, {
      connection: 'close',
    });
    return undefined;
  }
  if (headers.get('content-type')?.includes('json') && body.text.length > 0) {
    try {
      return { parsed: JSON.parse(body.text) };
    } catch {
      sendGraphQLError(res, 400, 'BAD_REQUEST', 'The request body is not valid JSON.');
      return undefined;
    }
  }
  return { parsed: body.text };
}

function sendCutoff(res: ServerResponse, requestId: string, budgetMs: number): void {
  send(
    res,
    200,
    { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-request-id': requestId },
    JSON.stringify({
      data: null,
      errors: [
        {
          message: `The request did not complete within its ${budgetMs} ms time budget.`,
          extensions: { code: ErrorCode.UPSTREAM_TIMEOUT },
        },
      ],
    }),
  );
}

/** Apollo's answer as it is, with the request id, and GraphiQL's CSP on the HTML landing page. */
async function writeResponse(res: ServerResponse, response: HTTPGraphQLResponse, requestId: string): Promise<void> {
  if (res.destroyed) return;
  response.headers.set('x-request-id', requestId);
  const outHeaders: Record<string, string> = {};
  for (const [name, value] of response.headers) outHeaders[name] = value;
  if (outHeaders['content-type']?.startsWith('text/html')) outHeaders['content-security-policy'] = GRAPHIQL_CSP;
  res.writeHead(response.status ?? 200, outHeaders);
  if (response.body.kind === 'complete') {
    const body = response.body.string;
    // JSON bodies come from stringifyResult (src/graphql/apollo.ts) without Apollo's newline.
    if (!outHeaders['content-type']?.includes('json')) res.end(body);
    else if (body.length < LARGE_BODY_CHARS) res.end(`${body}\n`);
    else {
      // A large answer goes out as one exact-size buffer encoded from the flat JSON string, then
      // the newline: a string body would be concatenated with the headers (a second copy) and
      // encoded into a buffer sized for 3 bytes per character.
      res.write(Buffer.from(body, 'utf8'));
      res.end('\n');
    }
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

/** A caller's request id is kept when it is short and plain; anything else is replaced. */
function requestIdFrom(header: string | undefined): string {
  return header && /^[\w.:-]{1,128}$/.test(header) ? header : randomUUID();
}
