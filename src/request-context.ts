/**
 * What every resolver may use in one GraphQL request, apart from the loaders: a leaf, so the
 * generated resolver types, the upstream modules and the sensitive-field guard can name it
 * without importing the registry. Each module's resolvers see `UpstreamContext<its loaders>`;
 * the whole request's context (src/context.ts) is `UpstreamContext<every module's loaders>`.
 */
import type { Logger } from 'pino';
import type { BatchCallEvent } from './batching/batch-loader.js';
import type { CachePolicy } from './cache-hints.js';
import type { CursorCodec } from './discovery/cursor.js';
import type { ListCallEvent } from './discovery/page.js';
import type { RequestTrace } from './observability/tracing.js';

export interface BaseRequestContext {
  /** From the caller's `x-request-id` when it sent one, else generated: ties logs to a request. */
  requestId: string;
  /** Every upstream call this request made, for its log line. */
  upstreamCalls: BatchCallEvent[];
  /** Aborted when the request's time budget runs out. */
  signal: AbortSignal;
  logger: Logger;
  cachePolicy: CachePolicy;
  /** True only when ROUTER_SECRET is set and this request carried it: the router enforced @requiresScopes before forwarding it. */
  routerAuthenticated: boolean;
  /** Signs and checks the page cursors of every connection (one key per process, src/discovery/cursor.ts). */
  cursors: CursorCodec;
  /** The upstream list pages this request fetched, by list, continuation and size: each is asked once (src/discovery/connection.ts). */
  listPages: Map<string, Promise<unknown>>;
  /** Every upstream list call this request made, for its log line. */
  listCalls: ListCallEvent[];
  /** Each upstream list call, once it ended (the request's log line, then metrics). */
  onListCall?: (event: ListCallEvent) => void;
  /** The request's operation span when tracing is on (named and marked by the tracing plugin). */
  trace?: RequestTrace;
}

/** A request's context as one upstream's resolvers see it: its own loaders. */
export type UpstreamContext<Loaders extends object> = BaseRequestContext & { loaders: Loaders };
