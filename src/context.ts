import type { Logger } from 'pino';
import type { BatchCallEvent } from './batching/batch-loader.js';
import { createLoaders, type Loaders, type Upstreams } from './upstreams/index.js';

/** Everything a resolver may use, created fresh for every GraphQL request. */
export interface RequestContext {
  loaders: Loaders;
  /** Aborted when the request's time budget runs out. */
  signal: AbortSignal;
  logger: Logger;
}

export interface RequestContextOptions {
  upstreams: Upstreams;
  signal: AbortSignal;
  concurrency: number;
  logger: Logger;
  onCall?: (event: BatchCallEvent) => void;
}

/** The only place loaders are created: one set per request, so no cache outlives it. */
export function createRequestContext(options: RequestContextOptions): RequestContext {
  const { upstreams, signal, concurrency, logger, onCall } = options;
  return {
    loaders: createLoaders(upstreams, { signal, concurrency, onCall }),
    signal,
    logger,
  };
}
