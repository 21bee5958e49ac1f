import type { EmulatorData } from '../emulator/index.js';
import type { EmulatorProcess } from '../testkit/emulator-process.js';
import { selectAll } from '../testkit/selection.js';
import { OURS } from './contenders.js';
import { BUILD } from './entities.js';
import { round } from './stats.js';

/** The one override of measure 5: "every field" includes the @requiresScopes ones (emulator data, no real secret). */
export const MEMORY_OVERRIDES = { SENSITIVE_FIELDS: 'allow' };

/**
 * Measure 5: peak RSS (VmHWM) of a fresh `node dist/main.js` answering 1000 builds with every
 * field, three times in a row (the method the figures before #16 were taken with).
 */
export async function measureMemory(emulator: EmulatorProcess, data: EmulatorData) {
  await emulator.reset();
  const server = await OURS.start(emulator.environment, MEMORY_OVERRIDES);
  const startRssMb = server.peakRssMb();
  const body = JSON.stringify({
    query: `query($ids: [ID!]!) { builds(ids: $ids) ${selectAll('Build')} }`,
    variables: { ids: BUILD.keys(data, 1000) },
  });
  let responseBytes = 0;
  let complete = true;
  for (let run = 0; run < 3; run += 1) {
    const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const text = await response.text();
    responseBytes = Buffer.byteLength(text);
    complete &&= !text.includes('"errors"');
  }
  const peakRssMb = server.peakRssMb();
  await server.stop();
  return { peakRssMb: round(peakRssMb), startRssMb: round(startRssMb), responseBytes, complete };
}
