import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { BatchCallEvent } from '../batching/batch-loader.js';
import type { ListCallEvent } from '../discovery/page.js';
import type { UpstreamName } from '../errors.js';
import { BoundedLabel, MAX_OPERATION_LABEL_CHARS, MAX_OPERATION_LABELS, regionLabel } from './bounded-labels.js';

/**
 * The subgraph's Prometheus metrics, on a registry of its own (no global state, so several
 * servers in one process - tests - never collide). Served at GET /metrics.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly upstreamCalls = new Counter({
    name: 'subgraph_upstream_calls_total',
    help: 'Upstream calls made by the batching mechanism, by API, region and outcome (ok or the error code).',
    labelNames: ['api', 'region', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly batchSize = new Histogram({
    name: 'subgraph_upstream_batch_size',
    help: 'Ids per upstream call.',
    labelNames: ['api'] as const,
    buckets: [1, 2, 5, 10, 25, 50, 100],
    registers: [this.registry],
  });

  readonly batchFill = new Histogram({
    name: 'subgraph_upstream_batch_fill_ratio',
    help: "Ids per call divided by the API's limit (1 = a full batch).",
    labelNames: ['api'] as const,
    buckets: [0.1, 0.25, 0.5, 0.75, 0.9, 1],
    registers: [this.registry],
  });

  readonly upstreamLatency = new Histogram({
    name: 'subgraph_upstream_call_duration_seconds',
    help: 'Duration of one upstream call as the subgraph saw it, retries included.',
    labelNames: ['api', 'outcome'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly retries = new Counter({
    name: 'subgraph_upstream_retries_total',
    help: 'Retried upstream attempts, by API and reason (throttled, transient).',
    labelNames: ['api', 'reason'] as const,
    registers: [this.registry],
  });

  readonly limiterWait = new Histogram({
    name: 'subgraph_upstream_limiter_wait_seconds',
    help: 'Time a call waited for a process-wide upstream limiter before it was sent.',
    labelNames: ['api'] as const,
    buckets: [0, 0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10],
    registers: [this.registry],
  });

  readonly listCalls = new Counter({
    name: 'subgraph_upstream_list_calls_total',
    help: 'Upstream list calls made by discovery connections, by API, operation and outcome.',
    labelNames: ['api', 'operation', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly listLatency = new Histogram({
    name: 'subgraph_upstream_list_call_duration_seconds',
    help: 'Duration of one upstream list call, retries included.',
    labelNames: ['api', 'operation'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly requestDuration = new Histogram({
    name: 'subgraph_graphql_request_duration_seconds',
    help: 'GraphQL request duration by operation name.',
    labelNames: ['operation', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  readonly circuitState = new Gauge({
    name: 'subgraph_upstream_circuit_state',
    help: 'Circuit breaker state per upstream API and region: 0 closed, 1 half-open (probing), 2 open (calls refused).',
    labelNames: ['api', 'region'] as const,
    registers: [this.registry],
  });

  /** Operation names are chosen by clients: cut and capped (see BoundedLabel). */
  readonly operationLabel = new BoundedLabel(MAX_OPERATION_LABELS, MAX_OPERATION_LABEL_CHARS);

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry });
  }

  /**
   * Series every upstream has from the start (retries at 0 by reason), so a dashboard shows
   * each upstream before its first retry. The names come from the registry's modules.
   */
  registerUpstreams(names: readonly UpstreamName[]): void {
    for (const api of names) for (const reason of ['throttled', 'transient'] as const) this.retries.inc({ api, reason }, 0);
  }

  /** A call really sent; one refused before any request (an open circuit, a rate deferral) is not counted. */
  recordCall(event: Omit<BatchCallEvent, 'shared'>): void {
    if (!event.sent) return;
    const { upstream: api } = event;
    this.upstreamCalls.inc({ api, region: regionLabel(event.group), outcome: event.outcome });
    this.batchSize.observe({ api }, event.size);
    this.batchFill.observe({ api }, event.size / event.maxBatchSize);
    this.upstreamLatency.observe({ api, outcome: event.outcome }, event.durationMs / 1000);
  }

  /** Operations are the modules' own constants (never a client's input), so the label set is fixed. */
  recordListCall(event: ListCallEvent): void {
    if (!event.sent) return;
    this.listCalls.inc({ api: event.upstream, operation: event.operation, outcome: event.outcome });
    this.listLatency.observe({ api: event.upstream, operation: event.operation }, event.durationMs / 1000);
  }

  recordRetry(api: UpstreamName, reason: 'throttled' | 'transient'): void {
    this.retries.inc({ api, reason });
  }

  setCircuitState(api: UpstreamName, region: string, state: 'closed' | 'half-open' | 'open'): void {
    this.circuitState.set({ api, region }, state === 'closed' ? 0 : state === 'half-open' ? 1 : 2);
  }

  recordLimiterWait(api: UpstreamName, seconds: number): void {
    this.limiterWait.observe({ api }, seconds);
  }
}
