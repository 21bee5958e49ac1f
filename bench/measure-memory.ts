import type { EmulatorData } from '../emulator/index.js';
import type { EmulatorProcess } from '../testkit/emulator-process.js';
import { selectAll } from '../testkit/selection.js';
import { MEMORY_FLOOR_APOLLO, MEMORY_FLOOR_REST, OURS, type Contender } from './contenders.js';
import { BUILD } from './entities.js';
import { round } from './stats.js';

/** The one override of measure 5: "every field" includes the @requiresScopes ones (emulator data, no real secret). */
export const MEMORY_OVERRIDES = { SENSITIVE_FIELDS: 'allow' };

export interface MemoryRow {
  contender: string;
  label: string;
  peakRssMb: number;
  startRssMb: number;
  responseBytes: number;
  complete: boolean;
}

/**
 * Measure 5: peak RSS (VmHWM) of a fresh `node dist/main.js` answering 1000 builds with every
 * field, three times in a row (the method the figures before #16 were taken with), then of the
 * two floors (bench/memory-floor.mjs) answering the same 1000 builds the same way: what the
 * SDK's answers cost a process that does nothing else with them.
 */
export async function measureMemory(emulator: EmulatorProcess, data: EmulatorData): Promise<{ contenders: MemoryRow[] }> {
  const ids = BUILD.keys(data, 1000);
  const contenders: MemoryRow[] = [];
  for (const [contender, query] of [
    [OURS, `query($ids: [ID!]!) { builds(ids: $ids) ${selectAll('Build')} }`],
    [MEMORY_FLOOR_REST, ''],
    [MEMORY_FLOOR_APOLLO, 'query($ids: [ID!]!) { builds(ids: $ids) }'],
  ] as Array<[Contender, string]>) {
    await emulator.reset();
    const server = await contender.start(emulator.environment, contender === OURS ? MEMORY_OVERRIDES : {});
    const startRssMb = server.peakRssMb();
    const body = JSON.stringify({ query, variables: { ids } });
    let responseBytes = 0;
    let complete = true;
    for (let run = 0; run < 3; run += 1) {
      const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const text = await response.text();
      responseBytes = Buffer.byteLength(text);
      complete &&= response.ok && !text.includes('"errors"') && text.includes('"buildStatus"');
    }
    const peakRssMb = server.peakRssMb();
    await server.stop();
    contenders.push({
      contender: contender.name,
      label: contender.label,
      peakRssMb: round(peakRssMb),
      startRssMb: round(startRssMb),
      responseBytes,
      complete,
    });
  }
  return { contenders };
}
