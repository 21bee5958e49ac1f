import type { BatchSource } from '../../batching/batch-loader.js';
import { badUserInput, notFound, SubgraphError } from '../../errors.js';
import { AdvalidationError, type AdvalidationApi, type Scan } from './client.js';

/** A scan lookup: the id, and whether the query selects `tests` (the heavier call). */
export interface ScanKey {
  id: string;
  withTests: boolean;
}

/** Advalidation's scan ids are positive integers. */
const SCAN_ID = /^[1-9]\d{0,15}$/;

/**
 * How `Scan` lookups become calls. There is no batch endpoint: each distinct key is one GET,
 * de-duplicated per request by the batching mechanism and paced process-wide by the client's
 * rate limiter. `include_checks=true` is asked only for keys whose query selects `tests`.
 */
export function scanSource(api: AdvalidationApi): BatchSource<ScanKey, Scan> {
  const keyOf = (key: ScanKey) => `${key.id}|${key.withTests ? 'tests' : 'summary'}`;
  return {
    upstream: 'advalidation',
    maxBatchSize: 1,
    cacheKey: keyOf,
    validate: (key) => (SCAN_ID.test(key.id) ? undefined : badUserInput(`"${key.id}" is not an Advalidation scan id (a positive integer).`, 'advalidation')),
    async fetch([key], _group, signal) {
      try {
        return new Map([[keyOf(key!), await api.getScan(key!.id, key!.withTests, signal)]]);
      } catch (error) {
        // Per-item answers for this id; everything else (key rejected, throttled, down) is the call's.
        if (error instanceof AdvalidationError && error.status === 404) return new Map([[keyOf(key!), notFound(`Scan "${key!.id}"`, 'advalidation')]]);
        if (error instanceof AdvalidationError && error.status === 422) {
          return new Map<string, Scan | SubgraphError>([[keyOf(key!), badUserInput(`Advalidation refused scan id "${key!.id}": ${error.message}`, 'advalidation')]]);
        }
        throw error;
      }
    },
    notFound: (key) => notFound(`Scan "${key.id}"`, 'advalidation'),
  };
}
