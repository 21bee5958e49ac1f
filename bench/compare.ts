/**
 * `npx tsx bench/compare.ts <dirA> <dirB> [...]`: two (or more) builds of this subgraph side by
 * side, for changes whose effect is smaller than this shared machine's run-to-run noise. Each
 * directory holds a built `dist/main.js` (and `schema/`). Interleaved, so machine load hits them alike:
 *   rss    fresh process each, 1000 builds with every field x3, peak RSS (VmHWM), COMPARE_RSS_RUNS rounds;
 *   cpu    all up at once, the issue's mixed query at 0 ms latency in turn, process CPU per query (median of COMPARE_CPU_RUNS);
 *   rps    build(id) at 32 connections, COMPARE_RPS_S seconds each, in turn, COMPARE_RPS_ROUNDS rounds, with bare Apollo.
 * COMPARE_ONLY=rss,cpu,rps picks parts; COMPARE_NODE_ARGS adds node flags to every subgraph process.
 */
import autocannon from 'autocannon';
import { seedData } from '../emulator/index.js';
import { EmulatorProcess } from '../testkit/emulator-process.js';
import { HERMETIC_ENV } from '../testkit/stack.js';
import { selectAll } from '../testkit/selection.js';
import { BARE, BASE_OVERRIDES } from './contenders.js';
import { BUILD } from './entities.js';
import { issueMixedQuery } from './mixed.js';
import { startServerProcess, type ServerProcess } from './processes.js';
import { percentile, post, round } from './stats.js';

const env = process.env;
const knob = (from: NodeJS.ProcessEnv, name: string, fallback: number) => Number(from[name] ?? fallback);
const RSS_RUNS = knob(env, 'COMPARE_RSS_RUNS', 3);
const CPU_RUNS = knob(env, 'COMPARE_CPU_RUNS', 15);
const RPS_S = knob(env, 'COMPARE_RPS_S', 5);
const RPS_ROUNDS = knob(env, 'COMPARE_RPS_ROUNDS', 3);
const only = new Set((env.COMPARE_ONLY ?? 'rss,cpu,rps').split(','));
const nodeArgs = env.COMPARE_NODE_ARGS ? env.COMPARE_NODE_ARGS.split(' ') : [];
const dirs = process.argv.slice(2);
if (dirs.length < 1) throw new Error('usage: tsx bench/compare.ts <dir> [<dir> ...]');

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const emulator = await EmulatorProcess.start();
const data = seedData();
// A contender is a directory, or `directory#NAME=value,NAME=value` (variables for that one).
const start = (contender: string, extra: Record<string, string> = {}): Promise<ServerProcess> => {
  const [dir, vars = ''] = contender.split('#');
  const own = Object.fromEntries(
    vars
      .split(',')
      .filter(Boolean)
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  );
  return startServerProcess(
    `${dir}/dist/main.js`,
    { PATH: env.PATH, HOME: env.HOME, ...emulator.environment, ...BASE_OVERRIDES, ...HERMETIC_ENV, ...own, ...extra },
    /"url":"(http:[^"]+)"/,
    nodeArgs,
  );
};
const median = (values: number[]) => round(percentile(values, 50));

if (only.has('rss')) {
  const body = { query: `query($ids: [ID!]!) { builds(ids: $ids) ${selectAll('Build')} }`, variables: { ids: BUILD.keys(data, 1000) } };
  const peaks = new Map<string, number[]>(dirs.map((dir) => [dir, []]));
  for (let run = 0; run < RSS_RUNS; run += 1) {
    for (const dir of dirs) {
      const server = await start(dir, { SENSITIVE_FIELDS: 'allow' });
      for (let query = 0; query < 3; query += 1) {
        const text = await post(server.url, body);
        if (text.includes('"errors"')) throw new Error(`${dir}: errors in the answer`);
      }
      peaks.get(dir)!.push(round(server.peakRssMb()));
      await server.stop();
    }
  }
  for (const [dir, values] of peaks) console.log(`rss ${dir}: median ${median(values)} MB [${values.join(', ')}]`);
}

if (only.has('cpu')) {
  const mixed = issueMixedQuery(data);
  await emulator.reset();
  const servers = await Promise.all(dirs.map((dir) => start(dir)));
  for (const server of servers) for (let warm = 0; warm < 3; warm += 1) await post(server.url, mixed.body);
  const cpu = servers.map(() => [] as number[]);
  const latency = servers.map(() => [] as number[]);
  for (let run = 0; run < CPU_RUNS; run += 1) {
    for (const [index, server] of servers.entries()) {
      const before = server.cpuMs();
      const began = performance.now();
      const text = await post(server.url, mixed.body);
      latency[index]!.push(performance.now() - began);
      cpu[index]!.push(server.cpuMs() - before);
      if (text.includes('"errors"')) throw new Error(`${dirs[index]}: errors in the answer`);
    }
  }
  for (const [index, server] of servers.entries()) {
    console.log(`cpu ${dirs[index]}: median ${median(cpu[index]!)} ms CPU/query, latency median ${median(latency[index]!)} ms`);
    await server.stop();
  }
}

if (only.has('rps')) {
  const ids = BUILD.keys(data, 1200);
  let next = 0;
  const request = {
    method: 'POST' as const,
    headers: { 'content-type': 'application/json' },
    setupRequest: (req: object) => ({
      ...req,
      body: JSON.stringify({
        query: 'query($id: ID!) { build(id: $id) { id buildStatus projectName } }',
        variables: { id: ids[next++ % ids.length] },
      }),
    }),
  };
  const bareRequest = {
    method: 'POST' as const,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ hello }' }),
  };
  const rows = new Map<string, number[]>([...dirs, 'bare'].map((name) => [name, []]));
  for (let roundIndex = 0; roundIndex < RPS_ROUNDS; roundIndex += 1) {
    for (const name of [...dirs, 'bare']) {
      await emulator.reset();
      const server = name === 'bare' ? await BARE.start(emulator.environment) : await start(name);
      const requests = [name === 'bare' ? bareRequest : request];
      await autocannon({ url: server.url, connections: 32, duration: 2, requests });
      const result = await autocannon({ url: server.url, connections: 32, duration: RPS_S, requests });
      rows.get(name)!.push(Math.round(result.requests.average));
      if (result.non2xx + result.errors > 0) console.log(`rps ${name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
      await server.stop();
    }
  }
  const bare = median(rows.get('bare')!);
  for (const [name, values] of rows) {
    console.log(`rps ${name}: median ${median(values)} req/s [${values.join(', ')}] -> ${round(median(values) / bare, 2)}x bare`);
  }
}
emulator.stop();
