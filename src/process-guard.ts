import { Counter } from 'prom-client';
import type { Logger } from 'pino';
import { clip } from './errors.js';
import type { Metrics } from './observability/metrics.js';

/**
 * The process-wide net under every promise: an unhandled rejection is a bug to find (logged
 * and counted in `subgraph_unhandled_rejections_total`), never a reason to take every other
 * in-flight request down with the process, which is Node's default.
 */
export function installProcessGuard(logger: Logger, metrics: Metrics, target: NodeJS.EventEmitter = process): Counter {
  const rejections = new Counter({
    name: 'subgraph_unhandled_rejections_total',
    help: 'Promise rejections nothing handled (each one is a bug: see the error log).',
    registers: [metrics.registry],
  });
  target.on('unhandledRejection', (reason: unknown) => {
    rejections.inc();
    logger.error(
      { err: reason instanceof Error ? reason : { message: reasonText(reason) } },
      'unhandled promise rejection (the process keeps serving)',
    );
  });
  return rejections;
}

/** A non-Error reason, shortened: it may be anything, of any size. */
function reasonText(reason: unknown): string {
  let text: string;
  try {
    text = typeof reason === 'string' ? reason : (JSON.stringify(reason) ?? String(reason));
  } catch {
    text = Object.prototype.toString.call(reason);
  }
  return clip(text, 200);
}
