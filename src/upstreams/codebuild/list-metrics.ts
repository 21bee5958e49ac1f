import { toSubgraphError } from '../../errors.js';
import { regionLabel } from '../../observability/bounded-labels.js';
import type { Metrics } from '../../observability/metrics.js';
import { failureKindOf } from '../../reliability/failure-kinds.js';
import { CODEBUILD } from './model.js';

/**
 * Counts a list call as the batching layer counts a batch call (subgraph_upstream_calls_total and
 * subgraph_upstream_call_duration_seconds, by outcome), without the batch size histograms: a list call asks for no ids.
 */
export function metered(metrics: Metrics | undefined) {
  // The label BatchGetBuilds is counted under: CodeBuild's calls are not grouped by region (one client, one region).
  const region = regionLabel('');
  return async <T>(call: () => Promise<T>): Promise<T> => {
    if (!metrics) return call();
    const started = performance.now();
    const record = (outcome: string) => {
      metrics.upstreamCalls.inc({ api: CODEBUILD.name, region, outcome });
      metrics.upstreamLatency.observe({ api: CODEBUILD.name, outcome }, (performance.now() - started) / 1000);
    };
    try {
      const result = await call();
      record('ok');
      return result;
    } catch (error) {
      // An unknown project is an answer about the project asked, counted `ok` as the batch layer counts a key not found.
      record(failureKindOf(error) === 'not-found' ? 'ok' : toSubgraphError(error, CODEBUILD).code);
      throw error;
    }
  };
}
