import type { AdvalidationConfig } from './settings.js';
import { withFailure } from '../../reliability/failure-kinds.js';
import { Gate } from '../../reliability/gate.js';
import { AllowanceModel } from './allowance.js';

/**
 * The process-wide gate in front of Advalidation, which limits per source IP rather than per
 * request: the toolkit's Gate (concurrency cap, fair per-request queues, deadline-aware
 * deferral), paced by the service's own word. `AllowanceModel` reads X-RateLimit-IPLimit and
 * X-RateLimit-IPRemaining from every answer: while the allowance is plentiful calls go out at
 * the concurrency cap with no wait; as it runs low they converge on the refill rate seen in
 * successive headers. A 429 while the headers still report allowance (a sporadic one) holds
 * everyone off briefly; the retry's own full-jitter backoff does the rest; the pace is not
 * ratcheted down, because the headers, not the 429, say what is left.
 */
export function createAdvalidationGate(config: AdvalidationConfig, onWait?: (seconds: number) => void) {
  const allowance = new AllowanceModel({ burst: config.burst, ratePerSecond: config.ratePerSecond });
  const gate = new Gate({ maxConcurrency: config.maxConcurrency, pace: allowance, deferral: rateLimitDeferral, onWait });
  // A sporadic 429 is a hiccup, not a verdict on the pace (the headers give that).
  const throttlePauseMs = Math.min(config.retryBaseDelayMs, 1_000);
  return {
    gate,
    /**
     * The rate-limit headers of an answer (taken while its call still counts as in flight).
     * A 429 reporting nothing left needs no special case: the allowance says so.
     */
    observe(limit: string | null, remaining: string | null, status: number): void {
      allowance.observe(limit, remaining, Math.max(0, gate.inFlight - 1), status !== 429);
      const sporadic = status === 429 && !(remaining !== null && /^\s*0+\s*$/.test(remaining));
      gate.changed(sporadic ? throttlePauseMs : 0);
    },
  };
}

/**
 * A call that cannot start (or be retried) within its request's remaining budget at the
 * observed pace: the request is answered at once (THROTTLED) rather than left to expire.
 */
export function rateLimitDeferral(retryAfterSeconds: number): Error {
  const error = new Error(
    `Advalidation's rate limit leaves no room within the request's time budget; retry in about ${retryAfterSeconds} s.`,
  );
  error.name = 'RateLimitDeferral';
  return withFailure(error, { kind: 'rate-deferred', detail: 'per source IP', retryAfterSeconds });
}
