import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EmulatorData } from '../emulator/index.js';
import type { EmulatorProcess } from '../testkit/emulator-process.js';
import { OURS } from './contenders.js';
import { issueMixedQuery } from './mixed.js';
import { post, round } from './stats.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  hitCount?: number;
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileResult {
  runs: number;
  totalMs: number;
  msPerQuery: number;
  buckets: Array<{ name: string; percent: number; ms: number }>;
  /** The largest functions of the "other" bucket, so it says what it holds. */
  topOther: Array<{ name: string; ms: number }>;
}

/**
 * Which bucket a function's self time goes to, by where its code lives. V8 reports JSON.parse
 * and JSON.stringify as functions of their own (url ''), GC as "(garbage collector)".
 */
function bucketOf({ functionName, url }: ProfileNode['callFrame']): string | undefined {
  if (functionName === '(idle)') return undefined;
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(program)') return 'V8 / native (program)';
  if (url === '' && functionName === 'parse') return 'JSON.parse';
  if (url === '' && functionName === 'stringify') return 'JSON.stringify';
  if (/lean-(deserializer|readers)/.test(url)) return 'our lean deserializer';
  if (/node_modules\/(@aws-sdk|@smithy|@aws-crypto)\//.test(url)) return 'AWS SDK / smithy';
  if (/node_modules\/(graphql|graphql-scalars)\//.test(url)) return 'graphql-js execution (with scalars)';
  if (/node_modules\/(@apollo|@graphql-tools|graphql-query-complexity|@escape\.tech)\//.test(url)) return 'Apollo & GraphQL tooling';
  if (/node_modules\/(pino|prom-client|@opentelemetry|dataloader|lru-cache|cockatiel|limiter)\//.test(url)) return 'other libraries';
  if (/\/dist\//.test(url)) return 'our src/';
  if (functionName === 'runMicrotasks') return 'promise / microtask queue';
  if (/^node:(internal\/)?buffer/.test(url) || (url === '' && /^(writev|writeUtf8String|writeBuffer)$/.test(functionName)))
    return 'http / net / streams';
  if (/^node:(_http|http|net|_stream|stream|internal\/(http|stream|streams|net|tls|dns|url)|zlib)/.test(url)) return 'http / net / streams';
  return 'other (node internals, timers, ...)';
}

/**
 * Measure 6: a fresh `node --cpu-prof dist/main.js` (defaults) answering the mixed query `runs`
 * times at `latencyMs`; the profile is written when it exits, then self time is summed by bucket.
 */
export async function profileMixed(emulator: EmulatorProcess, data: EmulatorData, runs: number, latencyMs: number): Promise<ProfileResult> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-profile-'));
  try {
    await emulator.reset();
    const faults = { latencyMs };
    await emulator.faults({ codebuild: faults, 'codeguru-security': faults, inspector2: faults });
    const server = await OURS.start(emulator.environment, {}, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
    const { body } = issueMixedQuery(data);
    // Start-up and the first queries (module loading, compilation, JIT) are not what a running
    // subgraph spends: only samples between these two instants count. V8 stamps samples with the
    // system's monotonic clock in µs, the clock process.hrtime reads too.
    for (let warm = 0; warm < 3; warm += 1) await post(server.url, body);
    const from = Number(process.hrtime.bigint() / 1000n);
    for (let run = 0; run < runs; run += 1) await post(server.url, body);
    const to = Number(process.hrtime.bigint() / 1000n);
    await server.stop();
    await emulator.reset();
    const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
    if (!file) throw new Error('the subgraph wrote no CPU profile');
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    const byId = new Map(profile.nodes.map((node) => [node.id, node]));
    const us = new Map<string, number>();
    const others = new Map<string, number>();
    let at = profile.startTime;
    profile.samples.forEach((id, i) => {
      const delta = profile.timeDeltas[i] ?? 0;
      at += delta;
      if (at < from || at > to) return;
      const frame = byId.get(id)!.callFrame;
      const bucket = bucketOf(frame);
      if (bucket) us.set(bucket, (us.get(bucket) ?? 0) + delta);
      if (bucket?.startsWith('other (')) {
        const name = `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*node_modules\//, '')}`;
        others.set(name, (others.get(name) ?? 0) + delta);
      }
    });
    if (us.size === 0) throw new Error('no CPU samples inside the measured window (clock mismatch?)');
    const total = [...us.values()].reduce((sum, value) => sum + value, 0);
    const buckets = [...us]
      .map(([name, value]) => ({ name, percent: round((100 * value) / total), ms: round(value / 1000, 0) }))
      .sort((a, b) => b.ms - a.ms);
    const topOther = [...others]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([name, value]) => ({ name, ms: round(value / 1000, 0) }));
    return { runs, totalMs: round(total / 1000, 0), msPerQuery: round(total / 1000 / runs), buckets, topOther };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
