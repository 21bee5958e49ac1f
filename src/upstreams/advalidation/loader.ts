import type { BatchSource } from '../../batching/batch-loader.js';
import { badUserInput, ErrorCode, notFound, SubgraphError } from '../../errors.js';
import { AdvalidationError, type AdvalidationScans, type Scan } from './client.js';
import { RateLimitDeferral } from './rate-limiter.js';

/** A scan lookup: the id, and whether the query selects `tests` (the heavier call). */
export interface ScanKey {
  id: string;
  withTests: boolean;
}

/** Advalidation's scan ids are positive integers (16 digits stay within a safe integer). */
const SCAN_ID = /^[1-9]\d{0,15}$/;

export const isScanId = (id: string): boolean => SCAN_ID.test(id);

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
    upstream: 'advalidation',
    maxBatchSize: 1,
    cacheKey: keyOf,
    coalesceKey: (key) => key.id,
    merge: (keys) => ({ id: keys[0]!.id, withTests: keys.some((key) => key.withTests) }),
    validate: (key) => (isScanId(key.id) ? undefined : badUserInput(`"${key.id}" is not an Advalidation scan id (a positive integer).`, 'advalidation')),
    async fetch([key], _group, signal) {
      try {
        return new Map([[keyOf(key!), await api.getScan(key!.id, key!.withTests, signal)]]);
      } catch (error) {
        // Answers about this id alone; anything else (key rejected, throttled, down) is the call's,
        // which with one id per call also stays with this id.
        if (error instanceof AdvalidationError && error.status === 404) return new Map([[keyOf(key!), notFound(`Scan "${key!.id}"`, 'advalidation')]]);
        if (error instanceof RateLimitDeferral) {
          const message = `Advalidation's rate limit (per source IP) leaves no room to fetch scan "${key!.id}" within this request's time budget; retry in about ${error.retryAfterSeconds} s.`;
          return new Map([[keyOf(key!), new SubgraphError(ErrorCode.THROTTLED, message, { upstream: 'advalidation', upstreamCode: 'RateLimited' })]]);
        }
        if (error instanceof AdvalidationError && error.status === 422) {
          return new Map<string, Scan | SubgraphError>([[keyOf(key!), badUserInput(`Advalidation refused scan id "${key!.id}": ${error.message}`, 'advalidation')]]);
        }
        throw error;
      }
    },
    notFound: (key) => notFound(`Scan "${key.id}"`, 'advalidation'),
  };
}
