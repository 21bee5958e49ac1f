import type { EmulatorData } from '../src/emulator/index.js';
import type { UpstreamName } from '../src/errors.js';

/** One entity type as the benchmark drives it: keys, queries and the minimum calls they cost. */
export interface EntitySpec<K = unknown> {
  type: string;
  api: UpstreamName;
  /** The API's documented ids per call. */
  limit: number;
  /** `n` distinct, existing keys from the seeded data. */
  keys(data: EmulatorData, n: number): K[];
  rootQuery(keys: K[]): { query: string; variables: Record<string, unknown> };
  representation(key: K): Record<string, unknown>;
  /** Selection used for this type in every query. */
  selection: string;
  /** ceil(n / limit) per group (region for regional APIs); distinct ids for a per-id API. */
  minimumCalls(keys: K[]): number;
}

const perGroup = (keys: readonly unknown[], groupOf: (key: never) => string, limit: number) => {
  const groups = new Map<string, number>();
  for (const key of keys) groups.set(groupOf(key as never), (groups.get(groupOf(key as never)) ?? 0) + 1);
  let calls = 0;
  for (const count of groups.values()) calls += Math.ceil(count / limit);
  return calls;
};

export const BUILD: EntitySpec<string> = {
  type: 'Build',
  api: 'codebuild',
  limit: 100,
  keys: (data, n) => take(data.builds.map((build) => build.id!), n, 'builds'),
  rootQuery: (ids) => ({ query: `query($ids: [ID!]!) { builds(ids: $ids) { ${BUILD.selection} } }`, variables: { ids } }),
  representation: (id) => ({ __typename: 'Build', id }),
  selection: 'id buildNumber buildStatus projectName startTime endTime currentPhase sourceVersion',
  minimumCalls: (ids) => perGroup(ids, () => '', 100),
};

export const ENTITIES: EntitySpec[] = [BUILD as EntitySpec];

function take<T>(items: readonly T[], n: number, what: string): T[] {
  if (items.length < n) throw new Error(`the emulator seeds ${items.length} ${what}; the benchmark needs ${n}`);
  return items.slice(0, n);
}

export { perGroup };
