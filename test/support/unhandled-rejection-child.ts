/**
 * Run as a child process by test/red-team/http.test.ts: a promise rejects with nothing to
 * handle it. Without the guard Node exits 1 before the second setImmediate; with it the
 * process prints its metric and exits 0 on its own.
 */
import { createLogger } from '../../src/logger.js';
import { Metrics } from '../../src/observability/metrics.js';
import { installProcessGuard } from '../../src/process-guard.js';

const metrics = new Metrics();
installProcessGuard(createLogger('silent'), metrics);
void Promise.reject(new Error('nobody handles this'));
// Rejections are reported once the microtask queue drains, before the next turn of the loop.
setImmediate(() =>
  setImmediate(() => {
    void metrics.registry.metrics().then((text) => process.stdout.write(`${text}\nstill serving\n`));
  }),
);
