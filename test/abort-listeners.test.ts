// Every upstream call listens on the request's signal while it runs and stops listening when it
// settles: a request makes hundreds of calls on one signal, so a listener left behind per call
// would keep every settled call's closures alive until the request ends, and grow without bound
// on a long-lived signal (the bench's direct baseline used one for 80 calls; see bench/mixed.ts).
import { getEventListeners, setMaxListeners } from 'node:events';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { directBaseline, directBatchCalls, mixedQuery } from '../bench/mixed.js';
import { createLogger } from '../src/logger.js';
import { Metrics } from '../src/observability/metrics.js';
import { createUpstreams, type Upstreams } from '../src/upstreams/registry.js';
import { SeededEmulator } from '../emulator/index.js';
import { loadConfig } from '../src/config/index.js';
import { HERMETIC_ENV } from '../testkit/stack.js';

let emulator: SeededEmulator;
let upstreams: Upstreams;

beforeAll(async () => {
  emulator = new SeededEmulator();
  await emulator.start();
  const config = await loadConfig({ ...HERMETIC_ENV, ...emulator.environment(), ADVALIDATION_SETTLED_CACHE_SIZE: '0' });
  upstreams = createUpstreams(config, { logger: createLogger('silent'), metrics: new Metrics() });
});
afterAll(() => emulator.stop());

it('leaves no abort listener on the caller signal once the calls of all four upstreams settle', async () => {
  const { keys } = mixedQuery(emulator.data);
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  let peak = 0;
  for (let round = 0; round < 3; round += 1) {
    const calls = directBatchCalls(upstreams, keys, controller.signal);
    // While they run, the calls do listen (or this test would prove nothing).
    peak = Math.max(peak, getEventListeners(controller.signal, 'abort').length);
    const results = await Promise.all(calls);
    expect(results).toHaveLength(calls.length);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  }
  expect(peak).toBeGreaterThan(10);
});

it("the bench's direct baseline prints no MaxListenersExceededWarning", async () => {
  const warnings: Error[] = [];
  const onWarning = (warning: Error) => warnings.push(warning);
  process.on('warning', onWarning);
  try {
    for (let run = 0; run < 2; run += 1) expect(await directBaseline(upstreams, mixedQuery(emulator.data).keys)).toBeGreaterThan(0);
    // Node emits the warning on a later tick.
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', onWarning);
  }
  expect(warnings.map((warning) => `${warning.name}: ${warning.message}`)).toEqual([]);
});
