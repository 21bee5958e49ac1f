/**
 * `npm run bench`: the subgraph against the emulator (in its own process), measured in one run:
 *   1. upstream calls per entity type and N, through root fields and `_entities`, vs the minimum;
 *   2. latency of one mixed query with emulated upstream latency, vs the ideal;
 *   3. CPU of the subgraph for that query vs direct batch calls with the same clients;
 *   4. single-build throughput vs a bare Apollo Server;
 *   5. peak RSS of a fresh process answering 1000 builds.
 * Prints a table and writes bench/results/latest.json. BENCH_LATENCY_MS (50), BENCH_RUNS (20),
 * BENCH_THROUGHPUT_S (10), BENCH_CONNECTIONS (10).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config/index.js';
import { seedData } from '../emulator/index.js';
import { createLogger } from '../src/logger.js';
import { Metrics } from '../src/observability/metrics.js';
import { startSubgraph } from '../src/subgraph.js';
import { createUpstreams } from '../src/upstreams/registry.js';
import { EmulatorProcess } from '../testkit/emulator-process.js';
import { BUILD, ENTITIES, type EntitySpec } from './entities.js';
import { startServerProcess } from './processes.js';
import { MIXED, directBaseline, mixedQuery } from './mixed.js';
import { selectAll } from '../testkit/selection.js';

const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 50);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const THROUGHPUT_S = Number(process.env.BENCH_THROUGHPUT_S ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const SIZES = [1, 10, 25, 100, 1000];

// Settings the benchmark runs with: every batch of one query may run at once, and the
// Advalidation allowance is raised (the emulator's too) so the per-IP limiter does not
// dominate the figures; both are printed with the results.
const BENCH_ENV: Record<string, string> = {
  LOG_LEVEL: 'error',
  MAX_KEYS_PER_LIST: '1000',
  MAX_KEYS_PER_REQUEST: '5000',
  // Advalidation's real allowance is about 1 call/s per IP; the benchmark measures the
  // subgraph, so the limiter (and the emulator's bucket) are opened wide, and the settled-scan
  // cache is off so that every scan is a call to count.
  ADVALIDATION_RATE_PER_SECOND: '1000',
  ADVALIDATION_BURST: '1000',
  ADVALIDATION_MAX_CONCURRENCY: '64',
  ADVALIDATION_SETTLED_CACHE_SIZE: '0',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  // "Every field" includes the @requiresScopes ones (emulator data, no real secret).
  SENSITIVE_FIELDS: 'allow',
  ...JSON.parse(process.env.BENCH_EXTRA_ENV ?? '{}'),
};

// The clients made in this process read the SDK's Node 20 notice switch from process.env
// themselves (BENCH_ENV reaches the child processes only): without it the run printed a warning.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// The throughput and memory figures are taken from the built subgraph, as deployed.
const build = spawnSync('npm', ['run', '-s', 'build'], { stdio: 'inherit' });
if (build.status !== 0) throw new Error('npm run build failed');

const emulator = await EmulatorProcess.start();
const env = { ...process.env, ...emulator.environment, ...BENCH_ENV, PORT: '0', HOST: '127.0.0.1', METRICS_PORT: '0' };
const config = await loadConfig(env);
const logger = createLogger('error');
const metrics = new Metrics();
const upstreams = createUpstreams(config, { logger, metrics });
const subgraph = await startSubgraph({ config, upstreams, logger, metrics });
const endpoint = `${subgraph.url}/graphql`;
const data = seedData();

async function post(body: unknown): Promise<{ bytes: number; text: string }> {
  const response = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  return { bytes: text.length, text };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

// 1. Upstream calls vs the minimum.
const callRows: Array<{ type: string; n: number; via: string; observed: number; minimum: number; complete: boolean }> = [];
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
      const { text } = await post(body);
      const parsed = JSON.parse(text) as { data?: Record<string, unknown[] | null>; errors?: unknown[] };
      const list = Object.values(parsed.data ?? {})[0] ?? [];
      const observed = (await emulator.calls()).count(spec.api);
      callRows.push({
        type: spec.type,
        n,
        via,
        observed,
        minimum: spec.minimumCalls(keys),
        complete: !parsed.errors && list.length === n && list.every(Boolean),
      });
    }
  }
}

// 2. Mixed-query latency with emulated upstream latency.
const mixed = mixedQuery(data);
await emulator.reset();
await emulator.faults(Object.fromEntries(mixed.apis.map((api) => [api, { latencyMs: LATENCY_MS }])));
for (let warm = 0; warm < 3; warm += 1) await post(mixed.body);
const latencies: number[] = [];
for (let run = 0; run < RUNS; run += 1) {
  const started = performance.now();
  await post(mixed.body);
  latencies.push(performance.now() - started);
}
const waves = Math.max(...mixed.apis.map((api) => (mixed.minimumCalls[api]! > 0 ? 1 : 0)));
const ideal = waves * LATENCY_MS;

// 3. CPU: the GraphQL path vs the same batch calls made directly with the same clients.
await emulator.reset();
const cpuOf = async (work: () => Promise<unknown>) => {
  const samples: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const before = process.cpuUsage();
    await work();
    const used = process.cpuUsage(before);
    samples.push((used.user + used.system) / 1000);
  }
  return percentile(samples, 50);
};
for (let warm = 0; warm < 3; warm += 1) {
  await post(mixed.body);
  await directBaseline(upstreams, mixed.keys);
}
const cpuGraphql = await cpuOf(() => post(mixed.body));
const cpuDirect = await cpuOf(() => directBaseline(upstreams, mixed.keys));
await subgraph.stop();

// 4. Throughput: one build per request, vs a bare Apollo Server, same machine, same run.
// Both run with plain node in their own process; the subgraph is the build `npm start` runs.
const SUBGRAPH_URL = /"url":"(http:[^"]+)"/;
const buildIds = data.builds.slice(0, 50).map((build) => build.id!);
const singleBuild = buildIds.map((id) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ query: 'query($id: ID!) { build(id: $id) { id buildStatus projectName } }', variables: { id } }),
}));
const bareRequest = [{ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ hello }' }) }];
const liveEnv = { ...env, LOG_LEVEL: 'info' };
await emulator.reset();
const target = await startServerProcess('dist/main.js', liveEnv, SUBGRAPH_URL);
await autocannon({ url: target.url, connections: CONNECTIONS, duration: 2, requests: singleBuild });
const ours = await autocannon({ url: target.url, connections: CONNECTIONS, duration: THROUGHPUT_S, requests: singleBuild });
target.stop();
const bare = await startServerProcess('bench/bare-apollo.mjs', env, /URL (\S+)/);
await autocannon({ url: bare.url, connections: CONNECTIONS, duration: 2, requests: bareRequest });
const theirs = await autocannon({ url: bare.url, connections: CONNECTIONS, duration: THROUGHPUT_S, requests: bareRequest });
bare.stop();

// 5. Peak RSS of a fresh subgraph process answering 1000 builds with every field.
const fresh = await startServerProcess('dist/main.js', liveEnv, SUBGRAPH_URL);
const startRss = fresh.peakRssMb();
let responseBytes = 0;
for (let run = 0; run < 3; run += 1) {
  const response = await fetch(fresh.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: `query($ids: [ID!]!) { builds(ids: $ids) ${selectAll('Build')} }`,
      variables: { ids: BUILD.keys(data, 1000) },
    }),
  });
  responseBytes = (await response.arrayBuffer()).byteLength;
}
const rss = { peakRssMb: fresh.peakRssMb(), startRssMb: startRss, responseBytes };
fresh.stop();
emulator.stop();

const results = {
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version },
  settings: { latencyMs: LATENCY_MS, runs: RUNS, throughputSeconds: THROUGHPUT_S, connections: CONNECTIONS, env: BENCH_ENV },
  calls: callRows,
  mixedQuery: {
    shape: MIXED,
    minimumCalls: mixed.minimumCalls,
    idealMs: ideal,
    medianMs: Number(percentile(latencies, 50).toFixed(1)),
    p95Ms: Number(percentile(latencies, 95).toFixed(1)),
    ratioToIdeal: Number((percentile(latencies, 50) / ideal).toFixed(2)),
    // The waves cannot finish before the CPU the clients alone spend parsing the answers:
    // the direct baseline's CPU is a floor no GraphQL layer can go under on this machine.
    cpuAwareIdealMs: Number(Math.max(ideal, cpuDirect).toFixed(1)),
    ratioToCpuAwareIdeal: Number((percentile(latencies, 50) / Math.max(ideal, cpuDirect)).toFixed(2)),
  },
  cpu: {
    graphqlMs: Number(cpuGraphql.toFixed(1)),
    directMs: Number(cpuDirect.toFixed(1)),
    ratio: Number((cpuGraphql / cpuDirect).toFixed(2)),
  },
  throughput: {
    subgraph: {
      rps: Math.round(ours.requests.average),
      p50Ms: ours.latency.p50,
      p99Ms: ours.latency.p99,
      errors: ours.errors + ours.non2xx,
    },
    bareApollo: { rps: Math.round(theirs.requests.average), p50Ms: theirs.latency.p50, p99Ms: theirs.latency.p99 },
    ratio: Number((ours.requests.average / theirs.requests.average).toFixed(2)),
  },
  memory: {
    peakRssMb1000Builds: Number(rss.peakRssMb.toFixed(1)),
    startRssMb: Number(rss.startRssMb.toFixed(1)),
    responseBytes: rss.responseBytes,
  },
};

mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/latest.json', `${JSON.stringify(results, null, 2)}\n`);

const line = (cells: Array<string | number>, widths: number[]) => cells.map((cell, i) => String(cell).padEnd(widths[i]!)).join('  ');
console.log(`\n1. Upstream calls (observed vs minimum)`);
const widths = [14, 6, 10, 9, 8, 9];
console.log(line(['type', 'N', 'via', 'observed', 'minimum', 'complete'], widths));
for (const row of callRows) console.log(line([row.type, row.n, row.via, row.observed, row.minimum, row.complete ? 'yes' : 'NO'], widths));
const allMinimal = callRows.every((row) => row.observed === row.minimum && row.complete);
console.log(allMinimal ? 'every row: observed = minimum, all entities returned' : 'SOME ROWS ARE NOT MINIMAL OR INCOMPLETE');
const m = results.mixedQuery;
console.log(`\n2. Mixed query ${JSON.stringify(MIXED)} at ${LATENCY_MS} ms upstream latency`);
console.log(
  `   median ${m.medianMs} ms, p95 ${m.p95Ms} ms, ideal ${m.idealMs} ms (${waves} wave(s)) -> ${m.ratioToIdeal} x ideal (target <= 1.3)`,
);
console.log(`   CPU-aware ideal max(waves, direct-client CPU) = ${m.cpuAwareIdealMs} ms -> ${m.ratioToCpuAwareIdeal} x`);
console.log(
  `\n3. CPU per mixed query: GraphQL ${results.cpu.graphqlMs} ms vs direct ${results.cpu.directMs} ms -> ${results.cpu.ratio} x (target <= 1.25)`,
);
const t = results.throughput;
console.log(
  `\n4. Single-build throughput (${CONNECTIONS} connections, ${THROUGHPUT_S} s): ${t.subgraph.rps} req/s (p50 ${t.subgraph.p50Ms} ms, p99 ${t.subgraph.p99Ms} ms, errors ${t.subgraph.errors})`,
);
console.log(
  `   bare Apollo Server: ${t.bareApollo.rps} req/s (p50 ${t.bareApollo.p50Ms} ms, p99 ${t.bareApollo.p99Ms} ms) -> ${t.ratio} x (target >= 0.5)`,
);
console.log(
  `\n5. Peak RSS, 1000 builds (every field, ${(rss.responseBytes / 1e6).toFixed(1)} MB response): ${results.memory.peakRssMb1000Builds} MB (target < 200)`,
);
console.log(`\nwritten: bench/results/latest.json`);
process.exit(allMinimal ? 0 : 1);
