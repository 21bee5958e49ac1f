/**
 * The spans of one GraphQL request, on the OpenTelemetry API alone (the SDK is tracing-sdk.ts's):
 *
 *   query <operationName>              SERVER, a child of the caller's W3C traceparent when it sent one
 *   └─ batch <upstream>                INTERNAL, one per call the batching layer makes (size, group, outcome)
 *      └─ <upstream call>              CLIENT, the SDK or HTTP call with all its attempts (tracing-upstream.ts)
 *
 * Tracing off is `undefined` where a tracer would be: no span object, no context, no attribute is
 * made, and the batching layer and clients test one value. The tracer is always handed in (never
 * the API's global provider), so tests inject theirs and nothing leaks between them.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type TextMapGetter,
  type Tracer,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { BatchCallEvent, CallTrace, CallTraceStart } from '../batching/batch-loader.js';

/** Attribute names of our own (the semantic conventions have none for a batch of keys). */
export const ATTR = {
  upstream: 'subgraph.upstream',
  group: 'subgraph.batch.group',
  size: 'subgraph.batch.size',
  maxSize: 'subgraph.batch.max_size',
  outcome: 'subgraph.outcome',
  attempts: 'subgraph.upstream.attempts',
  operation: 'subgraph.list.operation',
  pageSize: 'subgraph.list.page_size',
  items: 'subgraph.list.items',
} as const;

/** The span name before the operation is known (the GraphQL semantic conventions' fallback). */
export const UNRESOLVED_OPERATION = 'GraphQL Operation';

const propagator = new W3CTraceContextPropagator();

/** Header names as Apollo's HeaderMap and Node keep them: lower case, one value each. */
export interface HeaderSource {
  get(name: string): string | undefined;
}

const headerGetter: TextMapGetter<HeaderSource> = {
  get: (carrier, key) => carrier.get(key),
  // Only the two W3C fields are ever asked for.
  keys: () => ['traceparent', 'tracestate'],
};

/** One request's operation span, and the context its batch spans are started in. */
export interface RequestTrace {
  readonly tracer: Tracer;
  readonly span: Span;
  readonly context: Context;
}

/**
 * Starts the operation span, continuing the caller's trace when it sent a valid `traceparent`
 * (and `tracestate`). A malformed or hostile header (wrong length, version ff, all-zero ids,
 * several values joined) is ignored by the propagator and the span starts a new trace: never an error.
 */
export function startRequestTrace(tracer: Tracer, headers: HeaderSource): RequestTrace {
  const parent = propagator.extract(ROOT_CONTEXT, headers, headerGetter);
  const span = tracer.startSpan(UNRESOLVED_OPERATION, { kind: SpanKind.SERVER }, parent);
  return { tracer, span, context: trace.setSpan(parent, span) };
}

/** Names the operation span once Apollo has resolved the operation: `query Name` (the name bounded), never the document. */
export function nameOperation(requestTrace: RequestTrace | undefined, type: string, name: string | null | undefined): void {
  const span = requestTrace?.span;
  if (!span?.isRecording()) return;
  const bounded = name ? boundedName(name) : undefined;
  span.updateName(bounded ? `${type} ${bounded}` : type);
  span.setAttribute('graphql.operation.type', type);
  if (bounded) span.setAttribute('graphql.operation.name', bounded);
}

/** Marks the operation failed with the error codes it answered with (our enum: bounded and secret-free). */
export function failOperation(requestTrace: RequestTrace | undefined, codes: readonly string[]): void {
  const span = requestTrace?.span;
  if (!span?.isRecording() || codes.length === 0) return;
  span.setStatus({ code: SpanStatusCode.ERROR, message: [...new Set(codes)].sort().join(',') });
}

/** The id the request's log line carries when its span is recorded. */
export function traceIdOf(requestTrace: RequestTrace | undefined): string | undefined {
  return requestTrace?.span.isRecording() ? requestTrace.span.spanContext().traceId : undefined;
}

const MAX_NAME_LENGTH = 64;

/** Operation names are client-chosen GraphQL names of any length: a span name carries a bounded prefix. */
function boundedName(name: string): string {
  return name.length > MAX_NAME_LENGTH ? `${name.slice(0, MAX_NAME_LENGTH)}…` : name;
}

/** Where an upstream call finds the span of the batch call it serves (the clients are shared by every request). */
export interface CallScope {
  readonly tracer: Tracer;
  readonly context: Context;
  /** Attempts the upstream calls under it made, added up (they report them as they finish). */
  attempts: number | undefined;
}

const currentCall = new AsyncLocalStorage<CallScope>();

/** The batch call span an upstream call runs under, if it is recorded. */
export function currentCallScope(): CallScope | undefined {
  return currentCall.getStore();
}

/**
 * The span of one upstream call of the batching layer, under the request's operation span, or
 * undefined (nothing made) when its span is not sampled. Its `run` makes it the parent of the
 * upstream calls made inside; `end` closes it with the call's event.
 */
export function startCallSpan(requestTrace: RequestTrace, { upstream, group, size, maxBatchSize }: CallTraceStart): CallTrace | undefined {
  if (!requestTrace.span.isRecording()) return undefined;
  const attributes: Attributes = { [ATTR.upstream]: upstream, [ATTR.size]: size, [ATTR.maxSize]: maxBatchSize };
  if (group) attributes[ATTR.group] = group;
  const span = requestTrace.tracer.startSpan(`batch ${upstream}`, { kind: SpanKind.INTERNAL, attributes }, requestTrace.context);
  const scope: CallScope = { tracer: requestTrace.tracer, context: trace.setSpan(requestTrace.context, span), attempts: undefined };
  return {
    run: (fetch) => currentCall.run(scope, fetch),
    end(event: BatchCallEvent) {
      span.setAttribute(ATTR.outcome, event.outcome);
      if (scope.attempts !== undefined) span.setAttribute(ATTR.attempts, scope.attempts);
      if (event.outcome !== 'ok') span.setStatus({ code: SpanStatusCode.ERROR, message: event.outcome });
      span.end();
    },
  };
}

/** The span of one upstream list call of a connection (src/discovery/connection.ts); the upstream call's CLIENT span nests in it. */
export function startListSpan(
  requestTrace: RequestTrace,
  { upstream, operation, pageSize }: { upstream: string; operation: string; pageSize: number },
): { run<T>(fetch: () => Promise<T>): Promise<T>; end(event: { outcome: string; items: number }): void } | undefined {
  if (!requestTrace.span.isRecording()) return undefined;
  const attributes: Attributes = { [ATTR.upstream]: upstream, [ATTR.operation]: operation, [ATTR.pageSize]: pageSize };
  const span = requestTrace.tracer.startSpan(
    `list ${upstream} ${operation}`,
    { kind: SpanKind.INTERNAL, attributes },
    requestTrace.context,
  );
  const scope: CallScope = { tracer: requestTrace.tracer, context: trace.setSpan(requestTrace.context, span), attempts: undefined };
  return {
    run: (fetch) => currentCall.run(scope, fetch),
    end({ outcome, items }) {
      span.setAttribute(ATTR.outcome, outcome);
      span.setAttribute(ATTR.items, items);
      if (scope.attempts !== undefined) span.setAttribute(ATTR.attempts, scope.attempts);
      if (outcome !== 'ok') span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
      span.end();
    },
  };
}
