import { afterEach, describe, expect, it } from 'vitest';
import type { RecordedCall } from '../emulator/core/call-log.js';
import { startStack, type GraphQLResponse, type Stack } from '../testkit/stack.js';

/**
 * Advalidation's pace, fairness and deadlines, measured from the emulator's call log. The
 * limiter's configuration is left at its defaults (burst 15, 1 call/s, cap 8) unless a test
 * says otherwise: the point is that the service's headers, not these numbers, set the pace.
 */
const BASE = { ADVALIDATION_SETTLED_CACHE_SIZE: '0' };

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

async function start(env: Record<string, string> = {}): Promise<Stack> {
  stack = await startStack({ env: { ...BASE, ...env } });
  return stack;
}

type Scans = { scans: Array<{ id: string } | null> };
const SCANS = `query($ids: [ID!]!) { scans(ids: $ids) { id } }`;
const seededIds = (own: Stack, from: number, count: number) =>
  own.emulator.data.scans.slice(from, from + count).map((scan) => String(scan.id));
const advalidationCalls = (own: Stack) => own.emulator.calls.of('advalidation');

/** Resolves once the emulator has recorded `count` Advalidation calls (an event, not a poll). */
function afterCalls(own: Stack, count: number): Promise<void> {
  return new Promise((resolve) => {
    const log = own.emulator.calls;
    const record = log.record.bind(log);
    log.record = (call) => {
      record(call);
      if (log.count('advalidation') >= count) {
        log.record = record;
        resolve();
      }
    };
  });
}

/** Every position either a scan with its id, or null with THROTTLED at exactly that index. */
function servedOrThrottled(response: GraphQLResponse<Scans>, wanted: readonly string[]): { served: number; throttled: number } {
  const codes = new Map((response.errors ?? []).map((error) => [error.path?.[1], error.extensions?.code]));
  let served = 0;
  response.data!.scans.forEach((scan, index) => {
    if (scan) {
      expect(scan.id).toBe(wanted[index]);
      served += 1;
    } else {
      expect(codes.get(index), `scans[${index}]`).toBe('THROTTLED');
    }
  });
  expect(response.errors?.length ?? 0).toBe(wanted.length - served);
  return { served, throttled: wanted.length - served };
}

describe("paced by the service's headers", () => {
  it('with headers reporting plenty, 50 distinct scans cost 50 GETs and return within 2 s (the configured 1/s would need 35 s)', async () => {
    const own = await start();
    // 50 ms per answer: one at a time would take 2.5 s, so the 2 s bound also proves the cap is used.
    own.emulator.faults.set('advalidation', { latencyMs: 50 });
    const wanted = seededIds(own, 0, 50);
    const started = Date.now();
    const response = await own.query<Scans>(SCANS, { ids: wanted });
    const elapsed = Date.now() - started;
    expect(response.errors).toBeUndefined();
    expect(response.data!.scans.map((scan) => scan!.id)).toEqual(wanted);
    expect(advalidationCalls(own)).toHaveLength(50);
    expect(elapsed).toBeLessThan(2_000);
    // At the cap (8, the default): calls overlapped that far, never further.
    expect(own.emulator.peakConcurrency('advalidation')).toBe(8);
  });

  it('with a real-like bucket (15, refill 1/s), 40 distinct scans: answered before the budget, the burst served, the rest THROTTLED, at most 3 429s', async () => {
    const own = await start();
    own.emulator.advalidation.setAllowance({ size: 15, refillPerSecond: 1 });
    const wanted = seededIds(own, 100, 40);
    const budget = 3_000;
    const started = Date.now();
    const response = await own.query<Scans>(SCANS, { ids: wanted }, { 'x-request-timeout-ms': String(budget) });
    expect(Date.now() - started).toBeLessThan(budget);
    const { served } = servedOrThrottled(response, wanted);
    expect(served).toBeGreaterThanOrEqual(15);
    // Burst plus what refills within the budget, never more than the bucket gave.
    expect(served).toBeLessThanOrEqual(15 + Math.ceil(budget / 1000) + 1);
    const calls = advalidationCalls(own);
    expect(calls.filter((call) => call.status === 429).length).toBeLessThanOrEqual(3);
    // A THROTTLED scan was answered without a call: every GET is a served scan or a 429.
    expect(calls.filter((call) => call.status === 200)).toHaveLength(served);
    const message = response.errors![0]!.message;
    expect(message).toMatch(/Advalidation's rate limit/);
    expect(message).toMatch(/retry in about \d+ s/);
  });

  it('sporadic 429s (headers still reporting allowance) and 5xx do not collapse the pace: 40 scans all served, quickly', async () => {
    const own = await start({ ADVALIDATION_MAX_ATTEMPTS: '8', ADVALIDATION_RETRY_BASE_DELAY_MS: '100' });
    own.emulator.faults.set('advalidation', { throttleRate: 0.2, errorRate: 0.1 });
    const wanted = seededIds(own, 200, 40);
    const started = Date.now();
    const response = await own.query<Scans>(SCANS, { ids: wanted });
    const elapsed = Date.now() - started;
    expect(response.errors).toBeUndefined();
    expect(response.data!.scans.map((scan) => scan!.id)).toEqual(wanted);
    const calls = advalidationCalls(own);
    expect(calls.filter((call) => call.status === 429).length).toBeGreaterThan(3);
    // Halving on every 429 (the old AIMD) made 11 calls in 25 s; paced by the headers, every
    // retry goes out after its brief jittered backoff.
    expect(elapsed).toBeLessThan(5_000);
  });
});

describe('fair share across requests', () => {
  it('a one-scan request waits at most a few calls behind a 2000-scan one', async () => {
    // One call at a time, 30 ms each, and every scan of the big request asked at once: it keeps
    // 2000 calls queued at the limiter, which a first-come queue would serve before the small one.
    const own = await start({ ADVALIDATION_MAX_CONCURRENCY: '1' });
    own.emulator.faults.set('advalidation', { latencyMs: 30 });
    const unknown = Array.from({ length: 2000 }, (_, i) => String(8_000_001 + i));
    const big = own.query<{ a: unknown[]; b: unknown[] }>(
      `query($a: [ID!]!, $b: [ID!]!) { a: scans(ids: $a) { id } b: scans(ids: $b) { id } }`,
      { a: unknown.slice(0, 1000), b: unknown.slice(1000) },
      { 'x-request-timeout-ms': '3000' },
    );
    await afterCalls(own, 5);
    const before = own.emulator.calls.count('advalidation');
    const small = seededIds(own, 300, 1)[0]!;
    const smallResponse = await own.query<{ scan: { id: string } }>(`{ scan(id: "${small}") { id } }`);
    expect(smallResponse.errors).toBeUndefined();
    expect(smallResponse.data!.scan.id).toBe(small);
    const calls: RecordedCall[] = advalidationCalls(own);
    const smallAt = calls.findIndex((call) => call.keys[0] === small);
    // Calls of the big request that went out after the small request was sent and before its own.
    expect(smallAt - before).toBeLessThanOrEqual(3);

    // The big request is answered too, before its budget: what could not be fetched in time is
    // NOT_FOUND (asked) or THROTTLED (not asked), never left to expire.
    const bigResponse = await big;
    const codes = new Set((bigResponse.errors ?? []).map((error) => error.extensions!.code));
    expect([...codes].sort()).toEqual(['NOT_FOUND', 'THROTTLED']);
    expect(bigResponse.errors).toHaveLength(2000);
  });
});
