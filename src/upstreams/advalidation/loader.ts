import type { BatchSource } from '../../batching/batch-loader.js';
import { notFound, quote } from '../../errors.js';
import { scanIdProblem } from './keys.js';
import { ADVALIDATION, type AdvalidationScans, type Scan } from './model.js';

/** A scan lookup: the id, and whether the query selects `tests` (the heavier call). */
export interface ScanKey {
  id: string;
  withTests: boolean;
}

/**
 * How `Scan` lookups become calls. There is no batch endpoint, so a "batch" is one id
 * (maxBatchSize 1): the batching mechanism still de-duplicates per request, validates before
 * any call and runs the GETs concurrently, and each call event it reports is one real GET.
 * With one id per call, what the client throws about it (404, 422, no room in the rate limit)
 * is that id's answer, and the mechanism gives it so; anything else (key rejected, throttled,
 * down) is the call's, which also stays with this id. The process-wide pacing lives in the
 * client, because the limit is per IP, not per request; `api` is this request's view of it
 * (its own queue there, and its deadline).
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
      return new Map([[keyOf(key!), await api.getScan(key!.id, key!.withTests, signal)]]);
    },
    notFound: (key) => notFound(`Scan ${quote(key.id)}`, ADVALIDATION),
    describe: (key) => `scan ${quote(key.id)}`,
  };
}
