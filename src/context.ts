import type { Logger } from 'pino';
import type { BatchCallEvent } from './batching/batch-loader.js';
import type { CachePolicy } from './cache-hints.js';
import { cursorCodec, type CursorCodec } from './discovery/cursor.js';
import type { ListCallEvent } from './discovery/page.js';
import { startCallSpan, traceIdOf, type RequestTrace } from './observability/tracing.js';
import type { UpstreamContext } from './request-context.js';
import { createLoaders, type Loaders, type UpstreamModules, type Upstreams } from './upstreams/registry.js';

/** Everything a resolver may use, created fresh for every GraphQL request. */
export type RequestContext = UpstreamContext<Loaders>;

export interface RequestContextOptions {
  requestId: string;
  upstreams: Upstreams<UpstreamModules>;
  signal: AbortSignal;
  /** When `signal` aborts (ms since epoch), for upstreams that plan around it. */
  deadline?: number;
  logger: Logger;
  cachePolicy: CachePolicy;
  routerAuthenticated: boolean;
  onCall?: (event: BatchCallEvent) => void;
  /** The request's operation span (src/observability/tracing.ts); undefined when tracing is off. */
  trace?: RequestTrace;
  /** The process's cursor key (from config); a test may leave it out and get one random key per process. */
  cursors?: CursorCodec;
  onListCall?: (event: ListCallEvent) => void;
}

let processCursors: CursorCodec | undefined;

/** The only place loaders are created: one set per request, so no cache outlives it. */
export function createRequestContext(options: RequestContextOptions): RequestContext {
  const { requestId, upstreams, signal, onCall, cachePolicy, routerAuthenticated, trace } = options;
  const upstreamCalls: BatchCallEvent[] = [];
  const listCalls: ListCallEvent[] = [];
  // With tracing on, the request's log lines carry its trace id, to go from a log line to its trace.
  const traceId = traceIdOf(trace);
  const logger = options.logger.child(traceId ? { requestId, trace_id: traceId } : { requestId });
  return {
    requestId,
    // Typed as the registry's: a module list given instead (a test's) adds loaders beside them.
    loaders: createLoaders(upstreams, {
      signal,
      deadline: options.deadline,
      onCall(event) {
        upstreamCalls.push(event);
        onCall?.(event);
      },
      traceCall: trace && ((call) => startCallSpan(trace, call)),
    }) as Loaders,
    upstreamCalls,
    signal,
    logger,
    cachePolicy,
    routerAuthenticated,
    trace,
    cursors: options.cursors ?? (processCursors ??= cursorCodec({})),
    listPages: new Map(),
    listCalls,
    onListCall(event) {
      listCalls.push(event);
      options.onListCall?.(event);
    },
  };
}
