import type { EmulatorData } from '../src/emulator/index.js';
import type { UpstreamName } from '../src/errors.js';
import type { Upstreams } from '../src/upstreams/index.js';
import { BUILD } from './entities.js';

/** The mixed query of the benchmark: how many of each type. */
export const MIXED = { builds: 1000 } as const;

export interface MixedKeys {
  buildIds: string[];
}

export function mixedQuery(data: EmulatorData) {
  const keys: MixedKeys = { buildIds: BUILD.keys(data, MIXED.builds) };
  const body = {
    query: `query Mixed($buildIds: [ID!]!) { builds(ids: $buildIds) { ${BUILD.selection} } }`,
    variables: { buildIds: keys.buildIds },
  };
  const minimumCalls: Partial<Record<UpstreamName, number>> = { codebuild: BUILD.minimumCalls(keys.buildIds) };
  return { keys, body, apis: Object.keys(minimumCalls) as UpstreamName[], minimumCalls };
}

/** The same batch calls with the same clients, no GraphQL: the floor the subgraph's CPU is compared with. */
export async function directBaseline(upstreams: Upstreams, keys: MixedKeys): Promise<number> {
  const signal = AbortSignal.timeout(30_000);
  const chunks = <T>(items: T[], size: number) => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, i * size + size));
  const results = await Promise.all(chunks(keys.buildIds, 100).map((ids) => upstreams.codebuild.batchGetBuilds(ids, signal)));
  // A REST answer would serialize its result too.
  return JSON.stringify(results).length;
}
