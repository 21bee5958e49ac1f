import type { EmulatorData } from '../emulator/index.js';
import type { EmulatorProcess } from '../testkit/emulator-process.js';
import type { Contender } from './contenders.js';
import { issueMixedQuery } from './mixed.js';
import { processCpuMs } from './processes.js';
import { percentile, post, round } from './stats.js';

/** The emulator's process id (testkit keeps its child private; the bench only reads its CPU). */
export const emulatorCpuMs = (emulator: EmulatorProcess) => processCpuMs((emulator as unknown as { child: { pid: number } }).child.pid);

export interface MixedResult {
  contender: string;
  label: string;
  runs: number;
  medianMs: number;
  p95Ms: number;
  ratioToRoundTrip: number;
  upstreamCallsPerQuery: number;
  minimumCalls: number;
  errors: number;
  /** CPU per query of the contender's process and of the emulator's (the service's, on the same 2 cores). */
  cpuMsPerQuery: number;
  emulatorCpuMsPerQuery: number;
  note?: string;
}

/**
 * Measure 2: the mixed query of the issue (no scans) with `latencyMs` of emulated latency on every
 * API, one query at a time, the contenders (each a fresh process of its own) in turn, round after round; median and p95 against one
 * round trip, and the upstream calls per query the emulator received.
 */
export async function measureMixed(
  emulator: EmulatorProcess,
  data: EmulatorData,
  contenders: Array<{ contender: Contender; runs: number; warmups: number; naive?: boolean }>,
  latencyMs: number,
): Promise<MixedResult[]> {
  const mixed = issueMixedQuery(data);
  const minimum = Object.values(mixed.minimumCalls).reduce<number>((sum, calls) => sum + (calls ?? 0), 0);
  await emulator.reset();
  const faults = { latencyMs };
  await emulator.faults({ codebuild: faults, 'codeguru-security': faults, inspector2: faults });
  // All contenders up at once, queried in turn (one query at a time, round after round), so that
  // the load of the rest of the machine hits them alike: a comparison of contenders measured one
  // after another on a shared machine was mostly noise.
  const running = [];
  for (const entry of contenders) {
    const server = await entry.contender.start(emulator.environment);
    const body = entry.naive ? mixed.naiveBody : mixed.body;
    for (let warm = 0; warm < entry.warmups; warm += 1) await post(server.url, body);
    running.push({ ...entry, server, body, latencies: [] as number[], errors: 0, calls: 0, cpu: 0, emulatorCpu: 0 });
  }
  const rounds = Math.max(...contenders.map((entry) => entry.runs));
  for (let run = 0; run < rounds; run += 1) {
    for (const entry of running) {
      if (run >= entry.runs) continue;
      // Calls and CPU are read between queries, outside the timed part: only this contender's query ran in between.
      const callsBefore = (await emulator.calls()).entries.length;
      const cpuBefore = entry.server.cpuMs();
      const emulatorCpuBefore = emulatorCpuMs(emulator);
      const started = performance.now();
      const text = await post(entry.server.url, entry.body);
      entry.latencies.push(performance.now() - started);
      entry.cpu += entry.server.cpuMs() - cpuBefore;
      entry.emulatorCpu += emulatorCpuMs(emulator) - emulatorCpuBefore;
      entry.calls += (await emulator.calls()).entries.length - callsBefore;
      if (text.includes('"errors"')) entry.errors += 1;
    }
  }
  const results: MixedResult[] = [];
  for (const { contender, runs, naive, server, latencies, errors, calls, cpu, emulatorCpu } of running) {
    await server.stop();
    const median = percentile(latencies, 50);
    results.push({
      contender: contender.name,
      label: contender.label,
      runs,
      medianMs: round(median),
      p95Ms: round(percentile(latencies, 95)),
      ratioToRoundTrip: round(median / latencyMs, 2),
      upstreamCallsPerQuery: round(calls / runs, 1),
      minimumCalls: naive ? (mixed.minimumCalls.codebuild ?? 0) + (mixed.minimumCalls.inspector2 ?? 0) : minimum,
      errors,
      cpuMsPerQuery: round(cpu / runs),
      emulatorCpuMsPerQuery: round(emulatorCpu / runs),
      ...(naive ? { note: 'builds + details only (no CodeGuru Security client): 250 findings fewer than the others' } : {}),
    });
  }
  await emulator.reset(); // clears the latency for the measures after this one
  return results;
}
