import type { GraphQLResolveInfo } from 'graphql';

/**
 * How long a router (entity cache, CDN) may keep what an entity resolver returned, decided
 * from the entity's upstream state. Hints only ever lower a response's max-age: Apollo takes
 * the minimum over all fields, and nested types inherit from the entity that holds them.
 */
export interface CachePolicy {
  /** A record that can no longer change: a completed build, a finished/failed/cancelled scan. */
  settledMaxAge: number;
  /** A record still changing: a build or scan in progress. */
  activeMaxAge: number;
  /** Findings and finding details: they change, but slowly. */
  findingMaxAge: number;
  /** A page of a discovery list (recent builds, a scan's findings): new items arrive at any time. */
  listMaxAge: number;
}

interface CacheControlInfo {
  cacheControl?: { cacheHint: { restrict(hint: { maxAge?: number; scope?: 'PUBLIC' | 'PRIVATE' }): void } };
}

/** Lowers the max-age of the field being resolved (root field or `_entities`) to `maxAge`. */
export function restrictMaxAge(info: GraphQLResolveInfo, maxAge: number): void {
  (info as GraphQLResolveInfo & CacheControlInfo).cacheControl?.cacheHint.restrict({ maxAge, scope: 'PUBLIC' });
}

/**
 * Loads, then restricts the field's hint by what came back. A failed item adds no hint of
 * its own (an error is never a reason to cache longer, and Apollo does not cache errors).
 */
export async function withCacheHint<V>(info: GraphQLResolveInfo, pending: Promise<V>, maxAgeOf: (value: V) => number): Promise<V> {
  const value = await pending;
  restrictMaxAge(info, maxAgeOf(value));
  return value;
}

export async function withCacheHints<V>(
  info: GraphQLResolveInfo,
  pending: Promise<Array<V | null>>,
  maxAgeOf: (value: V) => number,
): Promise<Array<V | null>> {
  const values = await pending;
  let maxAge: number | undefined;
  for (const value of values) {
    if (value === null || value instanceof Error) continue;
    const age = maxAgeOf(value);
    maxAge = maxAge === undefined ? age : Math.min(maxAge, age);
  }
  if (maxAge !== undefined) restrictMaxAge(info, maxAge);
  return values;
}
