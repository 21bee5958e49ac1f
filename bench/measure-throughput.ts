import autocannon, { type Request } from 'autocannon';
import type { EmulatorProcess } from '../testkit/emulator-process.js';
import { BARE, REST, type Contender } from './contenders.js';
import { percentile, round } from './stats.js';

export interface ThroughputResult {
  contender: string;
  label: string;
  requests: number;
  rps: number;
  /** Requests per second in each interleaved round, in order. */
  rpsByRound: number[];
  p50Ms: number;
  p99Ms: number;
  errors: number;
  upstreamCalls: number;
  upstreamCallsPerRequest: number;
  ratioToBareApollo?: number;
}

/**
 * One build per request, a distinct id each (a counter shared by all connections, rotating over
 * `ids`): at any moment the requests in flight ask for different builds, so calls can only be
 * shared by batching keys, never by asking the same key twice.
 */
function singleBuildRequests(contender: Contender, ids: readonly string[], onError: () => void): Request[] {
  let next = 0;
  const nextId = () => ids[next++ % ids.length]!;
  if (contender === BARE) {
    return [{ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ hello }' }) }];
  }
  if (contender === REST) {
    return [
      {
        method: 'GET',
        setupRequest: (request) => ({ ...request, path: `/builds/${encodeURIComponent(nextId())}` }),
        onResponse: (status) => {
          if (status !== 200) onError();
        },
      },
    ];
  }
  return [
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      setupRequest: (request) => ({
        ...request,
        body: JSON.stringify({ query: 'query($id: ID!) { build(id: $id) { id buildStatus projectName } }', variables: { id: nextId() } }),
      }),
      onResponse: (status, body) => {
        if (status !== 200 || body.includes('"errors"') || !body.includes('"buildStatus"')) onError();
      },
    },
  ];
}

/**
 * Measure 3: every contender in its own fresh process, all started and warmed up first, then
 * `rounds` rounds in which each runs `seconds / rounds` at `connections` in turn. Interleaving
 * makes the ratios side by side in time too: on a shared machine the CPU's speed drifts over a
 * minute, and contenders measured one after the other would each see a different machine.
 */
export async function measureThroughput(
  emulator: EmulatorProcess,
  contenders: Contender[],
  ids: readonly string[],
  options: { connections: number; seconds: number; warmupSeconds: number; latencyMs: number; rounds: number },
): Promise<ThroughputResult[]> {
  await emulator.reset();
  if (options.latencyMs > 0) await emulator.faults({ codebuild: { latencyMs: options.latencyMs } });
  const rounds = Math.max(1, Math.round(options.rounds));
  const slice = Math.max(1, Math.round(options.seconds / rounds));
  const runs = [];
  try {
    for (const contender of contenders) {
      const server = await contender.start(emulator.environment);
      const url = contender === REST ? server.url.replace(/\/$/, '') : server.url;
      const run = { contender, server, url, bad: 0, requests: [] as Request[], rounds: [] as RoundResult[] };
      run.requests = singleBuildRequests(contender, ids, () => (run.bad += 1));
      runs.push(run);
      await autocannon({ url, connections: options.connections, duration: options.warmupSeconds, requests: run.requests });
    }
    for (let pass = 0; pass < rounds; pass += 1) {
      for (const run of runs) {
        // The previous run's last requests (up to one per connection) may still be calling upstream.
        await new Promise((resolve) => setTimeout(resolve, 200));
        const before = (await emulator.calls()).count('codebuild');
        run.bad = 0;
        const result = await autocannon({ url: run.url, connections: options.connections, duration: slice, requests: run.requests });
        // Requests in flight when autocannon stops (up to one per connection) made calls but are not
        // counted as completed: calls per request errs high by at most connections / requests.
        await new Promise((resolve) => setTimeout(resolve, 100));
        const calls = (await emulator.calls()).count('codebuild') - before;
        run.rounds.push({
          requests: result.requests.total,
          seconds: result.duration,
          p50Ms: result.latency.p50,
          p99Ms: result.latency.p99,
          // Non-2xx answers are in `bad` for the contenders whose answers are checked.
          errors: result.errors + result.timeouts + (run.contender === BARE ? result.non2xx : run.bad),
          calls,
        });
      }
    }
  } finally {
    for (const run of runs) await run.server.stop();
    await emulator.reset();
  }
  const results: ThroughputResult[] = runs.map(({ contender, rounds: parts }) => {
    const requests = sum(parts.map((part) => part.requests));
    const calls = sum(parts.map((part) => part.calls));
    return {
      contender: contender.name,
      label: contender.label,
      requests,
      rps: Math.round(requests / sum(parts.map((part) => part.seconds))),
      rpsByRound: parts.map((part) => Math.round(part.requests / part.seconds)),
      p50Ms: percentile(
        parts.map((part) => part.p50Ms),
        50,
      ),
      p99Ms: Math.max(...parts.map((part) => part.p99Ms)),
      errors: sum(parts.map((part) => part.errors)),
      upstreamCalls: calls,
      upstreamCallsPerRequest: contender === BARE ? 0 : round(calls / Math.max(1, requests), 3),
    };
  });
  const bare = results.find((row) => row.contender === BARE.name);
  for (const row of results) if (bare && bare.rps > 0) row.ratioToBareApollo = round(row.rps / bare.rps, 2);
  return results;
}

interface RoundResult {
  requests: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  calls: number;
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
