/**
 * The CLIENT span of one upstream call (an AWS SDK `send`, an Advalidation GET with its retries),
 * nested under the batch call span it serves (tracing.ts). The clients are process-wide and know
 * no request: the batch call span reaches them through the async context its `run` set, so
 * without a traced batch call (tracing off, not sampled, a call made outside the batching layer)
 * the call just runs.
 */
import { SpanKind, SpanStatusCode, type Attributes } from '@opentelemetry/api';
import { ATTR, currentCallScope, type CallScope } from './tracing.js';

/** What a finished call tells its span: how many attempts it took, and the last HTTP status when known. */
export interface CallReport {
  attempts?: number;
  status?: number;
}

/**
 * Runs `call` in a CLIENT span named `name`. `report` reads attempts and status from the result
 * or the error (each client knows where its own are). Attributes never carry keys, ids or URLs with them.
 */
export function withUpstreamSpan<T>(
  name: string,
  attributes: Attributes,
  call: () => Promise<T>,
  report: (outcome: Outcome<T>) => CallReport,
): Promise<T> {
  const scope = currentCallScope();
  return scope ? inSpan(scope, name, attributes, call, report) : call();
}

type Outcome<T> = { result: T } | { error: unknown };

async function inSpan<T>(
  scope: CallScope,
  name: string,
  attributes: Attributes,
  call: () => Promise<T>,
  report: (outcome: Outcome<T>) => CallReport,
): Promise<T> {
  const span = scope.tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes }, scope.context);
  const finish = (outcome: Outcome<T>) => {
    const { attempts, status } = report(outcome);
    if (attempts !== undefined) {
      span.setAttribute(ATTR.attempts, attempts);
      scope.attempts = (scope.attempts ?? 0) + attempts;
    }
    if (status !== undefined) span.setAttribute('http.response.status_code', status);
    if ('error' in outcome) {
      // The error's kind, never its message: upstream messages can quote the keys that were asked.
      const error = outcome.error as { name?: unknown } | undefined;
      const type = typeof error?.name === 'string' ? error.name : 'Error';
      span.setAttribute('error.type', type);
      span.setStatus({ code: SpanStatusCode.ERROR, message: type });
    }
    span.end();
  };
  try {
    const result = await call();
    finish({ result });
    return result;
  } catch (error) {
    finish({ error });
    throw error;
  }
}

/** `$metadata` as the AWS SDK puts it on every output and service error. */
interface AwsMetadata {
  $metadata?: { attempts?: number; httpStatusCode?: number };
}

/**
 * An AWS SDK command in a span named as the SDK's own instrumentation names it (`CodeBuild.BatchGetBuilds`),
 * with rpc.* attributes, the region, and the SDK's retry count from `$metadata.attempts`.
 */
export function withAwsSpan<T>(service: string, operation: string, region: string, call: () => Promise<T>): Promise<T> {
  if (!currentCallScope()) return call();
  return withUpstreamSpan(
    `${service}.${operation}`,
    { 'rpc.system': 'aws-api', 'rpc.service': service, 'rpc.method': operation, 'cloud.region': region },
    call,
    (outcome) => {
      const metadata = ('result' in outcome ? outcome.result : outcome.error) as AwsMetadata | undefined;
      return { attempts: metadata?.$metadata?.attempts, status: metadata?.$metadata?.httpStatusCode };
    },
  );
}
