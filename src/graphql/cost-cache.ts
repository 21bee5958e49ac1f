import type { DocumentNode } from 'graphql';
import { LRUCache } from 'lru-cache';

/**
 * Costs already computed, by what the cost can depend on. The estimator (query-cost.ts) reads of
 * the variables only list lengths, numbers (slicing arguments), booleans (@skip/@include), nulls
 * and, in `_entities` representations, each `__typename`; the content of any other string (an id,
 * an ARN, an enum value) never changes a cost. So a request's variables are reduced to that
 * *shape*, and two requests with one document and one shape have one cost: the thousandth
 * `build(id: $id)` costs a map lookup instead of a walk of the document with type info (about
 * 8% of the subgraph's CPU for single-build requests, measured). Keep this in step with the
 * estimator: anything new it reads of a variable value must be kept by `shapeOf`.
 */
export class CostCache {
  // Keyed per document object: Apollo keeps one parsed DocumentNode per query text in its document
  // store, so a repeated query text meets the same object; a new object is a new entry set.
  readonly #byDocument = new WeakMap<DocumentNode, LRUCache<string, number>>();

  constructor(
    private readonly perDocument = 64,
    private readonly maxKeyLength = 4096,
  ) {}

  /** The cached cost, or `compute()`'s, remembered when the shape is small enough to key by. */
  cost(document: DocumentNode, operationName: string | undefined, variables: Record<string, unknown>, compute: () => number): number {
    const key = `${operationName ?? ''}\u0000${JSON.stringify(shapeOf(variables, undefined))}`;
    if (key.length > this.maxKeyLength) return compute();
    let costs = this.#byDocument.get(document);
    const hit = costs?.get(key);
    if (hit !== undefined) return hit;
    // Not cached when compute throws: an operation that cannot be costed is refused every time.
    const cost = compute();
    if (!costs) this.#byDocument.set(document, (costs = new LRUCache<string, number>({ max: this.perDocument })));
    costs.set(key, cost);
    return cost;
  }
}

/** What of a variable value the estimator can read (see CostCache). */
export function shapeOf(value: unknown, key: string | undefined): unknown {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'string') return key === '__typename' ? value : '';
  if (Array.isArray(value)) {
    // Order never changes a cost; how many of each shape does.
    const counts = new Map<string, number>();
    for (const item of value) {
      const shape = JSON.stringify(shapeOf(item, undefined)) ?? 'undefined';
      counts.set(shape, (counts.get(shape) ?? 0) + 1);
    }
    return { '[]': [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) };
  }
  if (typeof value === 'object') {
    const shaped: Record<string, unknown> = {};
    for (const name of Object.keys(value).sort()) shaped[name] = shapeOf((value as Record<string, unknown>)[name], name);
    return shaped;
  }
  return typeof value;
}
