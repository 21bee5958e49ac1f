import pLimit from 'p-limit';
import { raceAbort } from '../abort.js';
import { ConfiguredRetryStrategy } from '@smithy/util-retry';
import type { AwsConfig } from '../config/aws.js';
import { ClassifyingHttpHandler } from '../reliability/classifying-http-handler.js';

/**
 * Options every official SDK client of the subgraph is created with: the configured retry
 * mode and attempts (or a strategy with a different backoff base when one is configured),
 * and a per-attempt timeout with honest failure kinds (see ClassifyingHttpHandler). Region,
 * credentials and endpoints stay the SDK's own.
 */
export function sdkClientOptions(aws: AwsConfig, region = aws.region) {
  return {
    region,
    maxAttempts: aws.maxAttempts,
    ...(aws.retryBaseDelayMs === undefined
      ? { retryMode: aws.retryMode }
      : // The standard strategy's base applies to transient errors only (throttling keeps 500 ms);
        // a configured base should govern both, so the backoff is computed here.
        { retryStrategy: new ConfiguredRetryStrategy(aws.maxAttempts, (attempt) => aws.retryBaseDelayMs! * 2 ** attempt) }),
    requestHandler: new ClassifyingHttpHandler(aws.attemptTimeoutMs, { connectionTimeout: 3_000 }),
  };
}

/**
 * A process-wide cap on one API's calls in flight, shared by every request. Waiting for a
 * slot honours the request's signal; `onWait` reports the wait (limiter-wait metric).
 */
export function processWideLimiter(maxConcurrentCalls: number, onWait?: (seconds: number) => void) {
  const limit = pLimit(maxConcurrentCalls);
  return <T>(call: () => Promise<T>, signal: AbortSignal): Promise<T> => {
    const queued = performance.now();
    return raceAbort(
      limit(() => {
        if (signal.aborted) return Promise.reject(signal.reason);
        onWait?.((performance.now() - queued) / 1000);
        return call();
      }),
      signal,
    );
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
