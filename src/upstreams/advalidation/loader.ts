import type { BatchSource } from '../../batching/batch-loader.js';
import { badUserInput, clip, ErrorCode, notFound, quote, SubgraphError } from '../../errors.js';
import { scanIdProblem } from './keys.js';
import { AdvalidationError, type AdvalidationScans, type Scan } from './client.js';
import { RateLimitDeferral } from './rate-limiter.js';
import { ADVALIDATION } from './model.js';

/** A scan lookup: the id, and whether the query selects `tests` (the heavier call). */
export interface ScanKey {
  id: string;
  withTests: boolean;
}


/**
 * How `Scan` lookups become calls. There is no batch endpoint, so a "batch" is one id
 * (maxBatchSize 1): the batching mechanism still de-duplicates per request, validates before
 * any call and runs the GETs concurrently, and each call event it reports is one real GET.
 * The process-wide pacing lives in the client, because the limit is per IP, not per request;
 * `api` is this request's view of it (its own queue there, and its deadline).
 *
 * One id asked with and without `tests` in the same request costs one call: the keys coalesce
 * on the id, and the call with checks answers both.
 */
export function scanSource(api: AdvalidationScans): BatchSource<ScanKey, Scan> {
  const keyOf = (key: ScanKey) => `${key.id}|${key.withTests ? 'tests' : 'summary'}`;
  return {
    upstream: ADVALIDATION,
    maxBatchSize: 1,
    cacheKey: keyOf,
    coalesceKey: (key) => key.id,
    merge: (keys) => ({ id: keys[0]!.id, withTests: keys.some((key) => key.withTests) }),
    validate: (key) => scanIdProblem(key.id),
    async fetch([key], _group, signal) {
      try {
        return new Map([[keyOf(key!), await api.getScan(key!.id, key!.withTests, signal)]]);
      } catch (error) {
        // Answers about this id alone; anything else (key rejected, throttled, down) is the call's,
        // which with one id per call also stays with this id.
        if (error instanceof AdvalidationError && error.status === 404) return new Map([[keyOf(key!), notFound(`Scan ${quote(key!.id)}`, ADVALIDATION)]]);
        if (error instanceof RateLimitDeferral) {
          const message = `Advalidation's rate limit (per source IP) leaves no room to fetch scan ${quote(key!.id)} within this request's time budget; retry in about ${error.retryAfterSeconds} s.`;
          return new Map([[keyOf(key!), new SubgraphError(ErrorCode.THROTTLED, message, { upstream: ADVALIDATION, upstreamCode: 'RateLimited' })]]);
        }
        if (error instanceof AdvalidationError && error.status === 422) {
          return new Map<string, Scan | SubgraphError>([[keyOf(key!), badUserInput(`Advalidation refused scan id ${quote(key!.id)}: ${clip(error.message)}`, ADVALIDATION)]]);
        }
        throw error;
      }
    },
    notFound: (key) => notFound(`Scan ${quote(key.id)}`, ADVALIDATION),
  };
}
