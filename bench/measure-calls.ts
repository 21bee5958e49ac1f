import type { EmulatorData } from '../emulator/index.js';
import type { EmulatorProcess } from '../testkit/emulator-process.js';
import { OURS } from './contenders.js';
import { ENTITIES, type EntitySpec } from './entities.js';
import { post } from './stats.js';

/**
 * Overrides of measure 1 only (it counts calls, it times nothing): Advalidation's real allowance
 * is about 1 call/s per IP, so 1000 scans would take 17 minutes at its pacing; and its settled-scan
 * cache is off so that a scan asked twice (root, then `_entities`) is a call to count.
 */
export const CALL_COUNT_OVERRIDES = {
  ADVALIDATION_RATE_PER_SECOND: '1000',
  ADVALIDATION_BURST: '1000',
  ADVALIDATION_MAX_CONCURRENCY: '64',
  ADVALIDATION_SETTLED_CACHE_SIZE: '0',
};

export interface CallRow {
  type: string;
  n: number;
  via: 'root' | '_entities';
  observed: number;
  minimum: number;
  complete: boolean;
}

const SIZES = [1, 10, 25, 100, 1000];

/** Measure 1: upstream calls per entity type and N, through root fields and `_entities`, vs the minimum. */
export async function measureCalls(emulator: EmulatorProcess, data: EmulatorData): Promise<CallRow[]> {
  await emulator.reset();
  const server = await OURS.start(emulator.environment, CALL_COUNT_OVERRIDES);
  const rows: CallRow[] = [];
  for (const spec of ENTITIES as EntitySpec[]) {
    for (const n of SIZES) {
      const keys = spec.keys(data, n);
      for (const via of ['root', '_entities'] as const) {
        await emulator.reset();
        const body =
          via === 'root'
            ? spec.rootQuery(keys)
            : {
                query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on ${spec.type} { ${spec.selection} } } }`,
                variables: { r: keys.map((key) => spec.representation(key)) },
              };
        const parsed = JSON.parse(await post(server.url, body)) as { data?: Record<string, unknown[] | null>; errors?: unknown[] };
        const list = Object.values(parsed.data ?? {})[0] ?? [];
        rows.push({
          type: spec.type,
          n,
          via,
          observed: (await emulator.calls()).count(spec.api),
          minimum: spec.minimumCalls(keys),
          complete: !parsed.errors && list.length === n && list.every(Boolean),
        });
      }
    }
  }
  await server.stop();
  return rows;
}
