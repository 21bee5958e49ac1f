/**
 * `npm run load`: a bounded load test on loopback. Mixed queries for LOAD_DURATION_S seconds
 * (default 60) against the subgraph and the emulator in this process; reports errors,
 * unhandled rejections and heap before/after (with GC forced), and exits non-zero on any
 * error or on heap growth above LOAD_MAX_HEAP_GROWTH_MB (default 16).
 */
import autocannon from 'autocannon';
import { startStack } from '../testkit/stack.js';
import { mixedRequests } from './mixed-queries.js';

const duration = Number(process.env.LOAD_DURATION_S ?? 60);
const connections = Number(process.env.LOAD_CONNECTIONS ?? 10);
const maxGrowthMb = Number(process.env.LOAD_MAX_HEAP_GROWTH_MB ?? 16);

// The SDK reads its Node 20 notice switch from process.env itself (the stack's env object never
// reaches it); .ci/run exports it, a developer's shell does not.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

let unhandled = 0;
process.on('unhandledRejection', (reason) => {
  unhandled += 1;
  console.error('unhandled rejection:', reason);
});

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc (npm run load does)');

const heapMb = async () => {
  for (let i = 0; i < 3; i += 1) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed / 1024 / 1024;
};

// Advalidation's limiter is sized for its real per-IP allowance (about 1 call/s); the emulator's
// is generous, so the load test raises ours to exercise the subgraph rather than the limiter.
const stack = await startStack({
  env: { LOG_LEVEL: 'error', ADVALIDATION_RATE_PER_SECOND: '500', ADVALIDATION_BURST: '50', ADVALIDATION_MAX_CONCURRENCY: '8' },
});
const url = `${stack.subgraph.url}/graphql`;
let graphqlErrors = 0;
/** Error codes seen, so a failed run says what failed (codes only: bounded, no payloads). */
const errorCodes: Record<string, number> = {};
const requests = mixedRequests(stack.emulator.data).map((body) => ({
  method: 'POST',
  path: '/graphql',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
  onResponse: (_status: number, text: string) => {
    if (!text.includes('"errors"')) return;
    graphqlErrors += 1;
    try {
      for (const error of (JSON.parse(text) as { errors?: Array<{ extensions?: { code?: unknown; upstreamCode?: unknown } }> }).errors ??
        []) {
        const code = `${String(error.extensions?.code)}/${String(error.extensions?.upstreamCode)}`;
        errorCodes[code] = (errorCodes[code] ?? 0) + 1;
      }
    } catch {
      errorCodes['unparseable body'] = (errorCodes['unparseable body'] ?? 0) + 1;
    }
  },
}));

// Warm-up, so the "before" heap includes JIT, pools and caches that are meant to stay.
await autocannon({ url, connections, duration: Math.min(10, Math.max(2, duration / 6)), requests });
stack.emulator.calls.clear();
stack.emulator.calls.recording = false;
const before = await heapMb();
const result = await autocannon({ url, connections, duration, requests });
const after = await heapMb();
await stack.stop();

const growth = after - before;
const report = {
  durationS: duration,
  connections,
  requests: result.requests.total,
  requestsPerSecond: Math.round(result.requests.average),
  latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
  errors: result.errors,
  timeouts: result.timeouts,
  non2xx: result.non2xx,
  graphqlErrors,
  errorCodes,
  unhandledRejections: unhandled,
  heapMb: { before: Number(before.toFixed(1)), after: Number(after.toFixed(1)), growth: Number(growth.toFixed(1)) },
};
console.log(JSON.stringify(report, null, 2));
const failed = result.errors + result.timeouts + result.non2xx + graphqlErrors + unhandled > 0 || growth > maxGrowthMb;
console.log(failed ? 'LOAD TEST FAILED' : 'load test passed: zero errors, flat heap');
process.exit(failed ? 1 : 0);
