import type { Logger } from 'pino';
import type { BatchCallEvent } from './batching/batch-loader.js';
import type { CachePolicy } from './cache-hints.js';
import { createLoaders, type Loaders, type Upstreams } from './upstreams/index.js';

/** Everything a resolver may use, created fresh for every GraphQL request. */
export interface RequestContext {
  /** From the caller's `x-request-id` when it sent one, else generated: ties logs to a request. */
  requestId: string;
  loaders: Loaders;
  /** Every upstream call this request made, for its log line. */
  upstreamCalls: BatchCallEvent[];
  /** Aborted when the request's time budget runs out. */
  signal: AbortSignal;
  logger: Logger;
  cachePolicy: CachePolicy;
  /** True only when ROUTER_SECRET is set and this request carried it: the router enforced @requiresScopes before forwarding it. */
  routerAuthenticated: boolean;
}

export interface RequestContextOptions {
  requestId: string;
  upstreams: Upstreams;
  signal: AbortSignal;
  /** When `signal` aborts (ms since epoch), for upstreams that plan around it. */
  deadline?: number;
  concurrency: number;
  logger: Logger;
  cachePolicy: CachePolicy;
  routerAuthenticated: boolean;
  onCall?: (event: BatchCallEvent) => void;
}

/** The only place loaders are created: one set per request, so no cache outlives it. */
export function createRequestContext(options: RequestContextOptions): RequestContext {
  const { requestId, upstreams, signal, concurrency, onCall, cachePolicy, routerAuthenticated } = options;
  const upstreamCalls: BatchCallEvent[] = [];
  const logger = options.logger.child({ requestId });
  return {
    requestId,
    loaders: createLoaders(upstreams, {
      signal,
      deadline: options.deadline,
      concurrency,
      onCall(event) {
        upstreamCalls.push(event);
        onCall?.(event);
      },
    }),
    upstreamCalls,
    signal,
    logger,
    cachePolicy,
    routerAuthenticated,
  };
}
