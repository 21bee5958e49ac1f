import { ConfiguredRetryStrategy } from '@smithy/util-retry';
import type { AwsConfig } from '../../config/aws.js';
import { ClassifyingHttpHandler } from '../../reliability/classifying-http-handler.js';
import { Gate, RequestQueue, Ticket } from '../../reliability/gate.js';
import { backoffCeilingMs } from '../../reliability/retry.js';
import { classifyAwsError } from '../../reliability/aws-error-kinds.js';

/**
 * Options every AWS client of the subgraph (official and hand-built) is created with: the
 * configured retry mode and attempts (or a strategy with a different backoff base when one is
 * configured), and a per-attempt timeout with honest failure kinds (see ClassifyingHttpHandler).
 * Region, credentials and endpoints stay the SDK's own.
 */
export function sdkClientOptions(aws: AwsConfig, region = aws.region) {
  const baseDelayMs = aws.retryBaseDelayMs;
  return {
    region,
    maxAttempts: aws.maxAttempts,
    ...(baseDelayMs === undefined
      ? { retryMode: aws.retryMode }
      : // The standard strategy's base applies to transient errors only (throttling keeps 500 ms);
        // a configured base should govern both, so the backoff is the toolkit's. Smithy numbers
        // the retry it asks about from 1, so the first retry waits twice the base, as it always has.
        {
          retryStrategy: new ConfiguredRetryStrategy(aws.maxAttempts, (retry) =>
            backoffCeilingMs(retry, { baseDelayMs, maxDelayMs: Number.POSITIVE_INFINITY }),
          ),
        }),
    requestHandler: new ClassifyingHttpHandler(aws.attemptTimeoutMs, { connectionTimeout: 3_000 }),
  };
}

/**
 * The boundary of one AWS API's calls: a process-wide gate capping its calls in flight
 * (concurrency only, first come first served: AWS's limits are per account, not per request),
 * whose wait honours the request's signal and is reported by `onWait` (limiter-wait metric);
 * and what a call throws, marked with its failure kind (see reliability/aws-error-kinds.ts).
 */
export function awsCallGate(maxConcurrentCalls: number, onWait?: (seconds: number) => void) {
  const gate = new Gate({ maxConcurrency: maxConcurrentCalls, onWait });
  const everyone = new RequestQueue();
  return async <T>(call: () => Promise<T>, signal: AbortSignal): Promise<T> => {
    try {
      return await gate.run(Ticket.of(everyone), call, signal);
    } catch (error) {
      throw classifyAwsError(error);
    }
  };
}

/**
 * The SDK's logger middleware builds a redacted deep copy of every response for its logger,
 * even when the logger is the default no-op one (it calls `logger.info(...)` with the copy).
 * For 1,000 builds that copy was 14% of the subgraph's CPU and much of its garbage. The
 * subgraph logs upstream calls itself (without payloads), so the middleware goes.
 */
export function withoutSdkResponseLogging(client: { middlewareStack: { remove(name: string): boolean } }): void {
  client.middlewareStack.remove('loggerMiddleware');
}
