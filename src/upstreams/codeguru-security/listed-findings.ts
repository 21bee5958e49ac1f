/**
 * Findings a list call of this request already returned whole (GetFindings answers full
 * records, the same ones BatchGetFindings would), so a lookup of one of them in the same
 * request costs no BatchGetFindings.
 *
 * DataLoader's `prime` covers lookups made after a page arrived. A lookup made while the page
 * is still in flight (a `findings(identifiers:)` root field beside a findings list: root fields
 * start together) is already queued when the page lands, so the finding loader is two-level:
 * its batch first waits for this request's GetFindings calls in flight, answers what they
 * returned, and hands only the rest to the batching loader (validation, sharing, bisection
 * unchanged). With no list call in flight, nothing waits.
 */
import DataLoader from 'dataloader';
import { loadEach } from '../../batching/batch-loader.js';
import type { Finding, FindingIdentifier } from './model.js';

/** Unambiguous for any strings (the batching loader's own cache key has the same form). */
export const findingCacheKey = (key: FindingIdentifier) => JSON.stringify([key.scanName, key.findingId]);

export class ListedFindings {
  readonly #found = new Map<string, Finding>();
  readonly #inFlight = new Set<Promise<unknown>>();
  #loader?: DataLoader<FindingIdentifier, Finding, string>;

  /** A list call of this request: lookups queued meanwhile wait for it (its failure is its field's, not theirs). */
  track<T>(call: Promise<T>): Promise<T> {
    const settled = call.then(
      () => undefined,
      () => undefined,
    );
    this.#inFlight.add(settled);
    void settled.then(() => this.#inFlight.delete(settled));
    return call;
  }

  /** Findings a list returned: answered to every later (and every waiting) lookup of this request. */
  add(findings: readonly Finding[]): void {
    for (const finding of findings) {
      const key = { scanName: finding.scanName, findingId: finding.id };
      const id = findingCacheKey(key);
      // The first answer in a request stands, as in DataLoader's cache.
      if (this.#found.has(id)) continue;
      this.#found.set(id, finding);
      this.#loader?.prime(key, finding);
    }
  }

  /** The request's finding loader, in front of `batching` (the per-request batching loader). */
  loader(batching: DataLoader<FindingIdentifier, Finding, string>): DataLoader<FindingIdentifier, Finding, string> {
    this.#loader = new DataLoader<FindingIdentifier, Finding, string>(
      async (keys) => {
        // Only the calls in flight now: a list started later cannot hold up lookups queued before it.
        if (this.#inFlight.size > 0) await Promise.all([...this.#inFlight]);
        const rest = keys.filter((key) => !this.#found.has(findingCacheKey(key)));
        const loaded = rest.length > 0 ? await loadEach(batching, rest) : [];
        const byKey = new Map(rest.map((key, index) => [findingCacheKey(key), loaded[index]]));
        return keys.map((key) => {
          const id = findingCacheKey(key);
          const value = this.#found.get(id) ?? byKey.get(id);
          return value === null || value === undefined ? new Error(`No answer for ${id}.`) : value;
        });
      },
      { cacheKeyFn: findingCacheKey },
    );
    return this.#loader;
  }
}
