import { sleep } from './abort.js';

/**
 * The one retry policy for calls the subgraph drives itself (the AWS clients keep the SDK's
 * own strategy, but take their backoff from `backoffCeilingMs` below).
 *
 * Not cockatiel's RetryPolicy (cockatiel does the circuit breaker): its backoff wait does not
 * end when the signal aborts (it only stops retrying afterwards), so a budget would be spent
 * asleep; and the deadline-aware early release needs the chosen delay before the wait begins.
 */
export interface Backoff {
  /** The ceiling of the first backoff. */
  baseDelayMs: number;
  /** No backoff waits longer. */
  maxDelayMs: number;
}

/** The backoff ceiling after `retries` retries so far (0 before the first): base · 2^retries, capped. */
export const backoffCeilingMs = (retries: number, backoff: Backoff): number =>
  Math.min(backoff.baseDelayMs * 2 ** retries, backoff.maxDelayMs);

/** Full jitter: anywhere below the ceiling, so clients refused together do not retry together. */
export const fullJitterMs = (ceilingMs: number, random: () => number = Math.random): number => random() * ceilingMs;

export interface RetryPolicy<E> extends Backoff {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Whether another attempt may succeed where `error` failed. */
  retryable(error: unknown): error is E;
  /** Before a retry's backoff of `delayMs` (metrics, deadline-aware early release). */
  onRetry?(error: E, attempt: number, delayMs: number): void;
  /** After the last attempt, with how many were made (e.g. to stamp them on the error). */
  onGiveUp?(error: unknown, attempts: number): void;
  random?: () => number;
}

/**
 * Runs `attempt` until it succeeds, fails in a way `retryable` rejects, the attempts are
 * spent, or `signal` aborts (during a backoff too: the wait ends at once with the signal's reason).
 */
export async function withRetries<T, E>(attempt: () => Promise<T>, policy: RetryPolicy<E>, signal: AbortSignal): Promise<T> {
  for (let attempts = 1; ; attempts += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (!policy.retryable(error) || attempts >= policy.maxAttempts || signal.aborted) {
        policy.onGiveUp?.(error, attempts);
        throw error;
      }
      const delay = fullJitterMs(backoffCeilingMs(attempts - 1, policy), policy.random);
      policy.onRetry?.(error, attempts, delay);
      await sleep(delay, signal);
    }
  }
}
