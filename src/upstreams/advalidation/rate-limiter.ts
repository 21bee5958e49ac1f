import { TokenBucket } from 'limiter';
import pLimit from 'p-limit';
import { raceAbort, sleep } from '../../abort.js';

export interface RateLimiterOptions {
  maxConcurrency: number;
  ratePerSecond: number;
  burst: number;
  /** Told how long each call waited, for metrics. */
  onWait?: (seconds: number) => void;
}

/**
 * The process-wide gate in front of Advalidation, which limits per source IP rather than per
 * request: every GraphQL request shares it. A token bucket (from `limiter`) paces calls to
 * `ratePerSecond` with bursts of `burst`, a concurrency cap (p-limit) bounds calls in flight,
 * and the service's own `X-RateLimit-IPRemaining` slows it further when the allowance is
 * nearly spent (other processes behind the same IP draw from it too).
 */
export class AdvalidationRateLimiter {
  private readonly bucket: TokenBucket;
  private readonly slots: ReturnType<typeof pLimit>;
  private readonly intervalMs: number;
  private pausedUntil = 0;

  constructor(private readonly options: RateLimiterOptions) {
    this.bucket = new TokenBucket({ bucketSize: options.burst, tokensPerInterval: options.ratePerSecond, interval: 'second' });
    // Start full, as the service's own bucket does.
    this.bucket.content = options.burst;
    this.slots = pLimit(options.maxConcurrency);
    this.intervalMs = 1000 / options.ratePerSecond;
  }

  /**
   * Runs `call` once a slot and a token are available. Every wait honours `signal`: a request
   * whose budget runs out while queued gets the abort reason at once, its call is never made,
   * and it takes no token (an abandoned wait must not spend the allowance of those still queued).
   */
  run<T>(call: () => Promise<T>, signal: AbortSignal): Promise<T> {
    const queued = performance.now();
    return raceAbort(
      this.slots(async () => {
        signal.throwIfAborted();
        for (;;) {
          const paused = this.pausedUntil - Date.now();
          if (paused > 0) await sleep(paused, signal);
          else if (this.bucket.tryRemoveTokens(1)) break;
          else await sleep(Math.max(1, this.bucket.getWaitTime(1)), signal);
        }
        this.options.onWait?.((performance.now() - queued) / 1000);
        return call();
      }),
      signal,
    );
  }

  /**
   * What the service said is left of this IP's allowance. Nearly spent (perhaps by another
   * process behind the same IP): the next call waits at least one refill interval.
   */
  observeRemaining(remaining: number | undefined): void {
    if (remaining !== undefined && remaining <= 2) this.pause(this.intervalMs);
  }

  /**
   * The service said 429: its bucket is empty for everyone on this IP (the real allowance is
   * smaller than configured, e.g. shared with other replicas). Everyone holds off, and the pace
   * halves (AIMD), so the process converges on what the IP is really allowed instead of
   * spending its retries on more 429s.
   */
  observeThrottled(ms: number): void {
    this.bucket.drip(); // Credit the time so far at the old pace before emptying the bucket.
    this.bucket.tokensPerInterval = Math.max(this.options.ratePerSecond / 64, this.bucket.tokensPerInterval / 2);
    this.bucket.content = 0;
    this.pause(Math.max(ms, 1000 / this.bucket.tokensPerInterval));
  }

  /** A call got through: the pace recovers a tenth of the configured rate per success. */
  observeSuccess(): void {
    this.bucket.drip();
    this.bucket.tokensPerInterval = Math.min(this.options.ratePerSecond, this.bucket.tokensPerInterval + this.options.ratePerSecond / 10);
  }

  private pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
  }
}
