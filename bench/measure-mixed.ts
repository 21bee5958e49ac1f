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
 * API, sequential queries against a fresh process of each contender; median and p95 against one
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
  const results: MixedResult[] = [];
  for (const { contender, runs, warmups, naive } of contenders) {
    await emulator.reset();
    const server = await contender.start(emulator.environment);
    const faults = { latencyMs };
    await emulator.faults({ codebuild: faults, 'codeguru-security': faults, inspector2: faults });
    const body = naive ? mixed.naiveBody : mixed.body;
    for (let warm = 0; warm < warmups; warm += 1) await post(server.url, body);
    const before = (await emulator.calls()).entries.length;
    const cpuBefore = server.cpuMs();
    const emulatorCpuBefore = emulatorCpuMs(emulator);
    const latencies: number[] = [];
    let errors = 0;
    for (let run = 0; run < runs; run += 1) {
      const started = performance.now();
      const text = await post(server.url, body);
      latencies.push(performance.now() - started);
      if (text.includes('"errors"')) errors += 1;
    }
    const cpu = server.cpuMs() - cpuBefore;
    const emulatorCpu = emulatorCpuMs(emulator) - emulatorCpuBefore;
    const calls = (await emulator.calls()).entries.length - before;
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
