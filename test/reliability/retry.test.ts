import { describe, expect, it } from 'vitest';
import { backoffCeilingMs, fullJitterMs, withRetries } from '../../src/reliability/retry.js';

const transient = () => Object.assign(new Error('try again'), { retry: true });
const isTransient = (error: unknown): error is Error => (error as { retry?: unknown }).retry === true;

describe('retry policy', () => {
  it('backs off base·2^n up to the cap, with full jitter below the ceiling', () => {
    const backoff = { baseDelayMs: 100, maxDelayMs: 500 };
    expect([0, 1, 2, 3, 10].map((n) => backoffCeilingMs(n, backoff))).toEqual([100, 200, 400, 500, 500]);
    expect(fullJitterMs(400, () => 0.5)).toBe(200);
    expect(fullJitterMs(400, () => 0)).toBe(0);
  });

  it('retries what the classifier allows, reports each retry with its delay, and stops at maxAttempts', async () => {
    const retries: Array<[number, number]> = [];
    let attempts = 0;
    let gaveUp = 0;
    const call = withRetries(
      async () => {
        attempts += 1;
        throw transient();
      },
      {
        maxAttempts: 3,
        baseDelayMs: 10,
        maxDelayMs: 15,
        retryable: isTransient,
        random: () => 1,
        onRetry: (_e, n, delay) => retries.push([n, delay]),
        onGiveUp: (_e, n) => (gaveUp = n),
      },
      new AbortController().signal,
    );
    await expect(call).rejects.toThrow('try again');
    expect(attempts).toBe(3);
    expect(retries).toEqual([
      [1, 10],
      [2, 15],
    ]);
    expect(gaveUp).toBe(3);
  });

  it('does not retry what the classifier refuses, and succeeds as soon as an attempt does', async () => {
    let attempts = 0;
    const policy = { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 1, retryable: isTransient };
    await expect(
      withRetries(async () => ((attempts += 1), Promise.reject(new Error('final'))), policy, new AbortController().signal),
    ).rejects.toThrow('final');
    expect(attempts).toBe(1);
    attempts = 0;
    await expect(
      withRetries(async () => ((attempts += 1) < 3 ? Promise.reject(transient()) : 'ok'), policy, new AbortController().signal),
    ).resolves.toBe('ok');
    expect(attempts).toBe(3);
  });

  it('an abort during the backoff ends it at once, with the signal’s reason, and makes no further attempt', async () => {
    const controller = new AbortController();
    let attempts = 0;
    const started = Date.now();
    const call = withRetries(
      async () => {
        attempts += 1;
        throw transient();
      },
      {
        maxAttempts: 5,
        baseDelayMs: 60_000,
        maxDelayMs: 60_000,
        retryable: isTransient,
        random: () => 1,
        onRetry: () => setTimeout(() => controller.abort(new Error('budget')), 5),
      },
      controller.signal,
    );
    await expect(call).rejects.toThrow('budget');
    expect(attempts).toBe(1);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
