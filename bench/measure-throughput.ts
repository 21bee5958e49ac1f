import autocannon, { type Request } from 'autocannon';
import type { EmulatorProcess } from '../testkit/emulator-process.js';
import { BARE, REST, type Contender } from './contenders.js';
import { round } from './stats.js';

export interface ThroughputResult {
  contender: string;
  label: string;
  requests: number;
  rps: number;
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

/** Measure 3: each contender in its own fresh process, warmed up, then `seconds` at `connections`. */
export async function measureThroughput(
  emulator: EmulatorProcess,
  contenders: Contender[],
  ids: readonly string[],
  options: { connections: number; seconds: number; warmupSeconds: number; latencyMs: number },
): Promise<ThroughputResult[]> {
  const results: ThroughputResult[] = [];
  for (const contender of contenders) {
    await emulator.reset();
    if (options.latencyMs > 0) await emulator.faults({ codebuild: { latencyMs: options.latencyMs } });
    const server = await contender.start(emulator.environment);
    const url = contender === REST ? server.url.replace(/\/$/, '') : server.url;
    let bad = 0;
    const requests = singleBuildRequests(contender, ids, () => (bad += 1));
    await autocannon({ url, connections: options.connections, duration: options.warmupSeconds, requests });
    // The warm-up's last requests (up to one per connection) may still be calling upstream.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const before = (await emulator.calls()).count('codebuild');
    bad = 0;
    const result = await autocannon({ url, connections: options.connections, duration: options.seconds, requests });
    // Requests in flight when autocannon stops (up to one per connection) made calls but are not
    // counted as completed: calls per request errs high by at most connections / requests.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const calls = (await emulator.calls()).count('codebuild') - before;
    await server.stop();
    results.push({
      contender: contender.name,
      label: contender.label,
      requests: result.requests.total,
      rps: Math.round(result.requests.average),
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      // Non-2xx answers are in `bad` for the contenders whose answers are checked.
      errors: result.errors + result.timeouts + (contender === BARE ? result.non2xx : bad),
      upstreamCalls: calls,
      upstreamCallsPerRequest: contender === BARE ? 0 : round(calls / Math.max(1, result.requests.total), 3),
    });
  }
  await emulator.reset();
  const bare = results.find((row) => row.contender === BARE.name);
  for (const row of results) if (bare && bare.rps > 0) row.ratioToBareApollo = round(row.rps / bare.rps, 2);
  return results;
}
