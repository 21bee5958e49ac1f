import { afterEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../testkit/stack.js';

/**
 * Advalidation's list calls under the same limits as its scans, measured from the emulator's
 * call log: one per-IP allowance for both, the request's budget, a refused key.
 */
let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

async function start(env: Record<string, string> = {}): Promise<Stack> {
  stack = await startStack({ env: { ADVALIDATION_SETTLED_CACHE_SIZE: '0', ...env } });
  return stack;
}

const NESTED = `{ advalidationCampaigns(first: 10) { nodes { id creatives(first: 5) { nodes { latestScan { id } } } } } }`;

describe('list calls count against the per-IP allowance', () => {
  it('with a real-like bucket (15, refill 1/s): list pages and scans share it, the rest is THROTTLED within the budget', async () => {
    const own = await start();
    own.emulator.advalidation.setAllowance({ size: 15, refillPerSecond: 1 });
    const budget = 3_000;
    const started = Date.now();
    const response = await own.query<{ advalidationCampaigns: { nodes: unknown[] } | null }>(NESTED, undefined, {
      'x-request-timeout-ms': String(budget),
    });
    expect(Date.now() - started).toBeLessThan(budget);
    const calls = own.emulator.calls.of('advalidation');
    // 1 campaign page + 10 creative pages + up to 50 scans wanted; the bucket gives 15 plus what refills.
    expect(calls.filter((call) => call.status === 200).length).toBeLessThanOrEqual(15 + Math.ceil(budget / 1000) + 1);
    expect(calls.filter((call) => call.operation === 'ListCampaigns' && call.status === 200)).toHaveLength(1);
    expect(calls.filter((call) => call.status === 429).length).toBeLessThanOrEqual(3);
    // What could not be fetched in time is THROTTLED at its own path; the campaign list itself is served.
    expect(response.data!.advalidationCampaigns!.nodes).toHaveLength(10);
    const codes = new Set((response.errors ?? []).map((error) => error.extensions!.code));
    expect(codes).toEqual(new Set(['THROTTLED']));
    expect((response.errors ?? []).length).toBeGreaterThan(0);
    for (const error of response.errors!) expect(error.path![0]).toBe('advalidationCampaigns');
  }, 15_000);

  it('list pages the allowance cannot fit in the budget are THROTTLED at their own field, with no call', async () => {
    const own = await start();
    own.emulator.advalidation.setAllowance({ size: 4, refillPerSecond: 0.2 });
    const budget = 2_000;
    const started = Date.now();
    const response = await own.query<{ advalidationCampaigns: { nodes: Array<{ creatives: unknown }> } | null }>(
      `{ advalidationCampaigns(first: 12) { nodes { id creatives(first: 1) { nodes { id } } } } }`,
      undefined,
      { 'x-request-timeout-ms': String(budget) },
    );
    expect(Date.now() - started).toBeLessThan(budget);
    const calls = own.emulator.calls.of('advalidation');
    const served = calls.filter((call) => call.status === 200);
    // The bucket's 4 and at most one refill; the campaign page is one of them.
    expect(served.length).toBeLessThanOrEqual(5);
    expect(calls.filter((call) => call.status === 429).length).toBeLessThanOrEqual(2);
    const nodes = response.data!.advalidationCampaigns!.nodes;
    expect(nodes).toHaveLength(12);
    const throttled = (response.errors ?? []).filter((error) => error.extensions!.code === 'THROTTLED');
    expect(throttled.length).toBeGreaterThanOrEqual(12 - served.length - 1);
    for (const error of throttled) {
      expect(error.path).toEqual(['advalidationCampaigns', 'nodes', expect.any(Number), 'creatives']);
      expect(error.message).toMatch(/rate limit/);
    }
    // Every campaign is either served with its creatives or has its own THROTTLED error.
    expect(nodes.filter((node) => node.creatives === null)).toHaveLength((response.errors ?? []).length);
  }, 15_000);
});

describe('the request budget and the key', () => {
  it('a stalled list page ends with the request budget: UPSTREAM_TIMEOUT at the field, in time', async () => {
    const own = await start();
    own.emulator.faults.set('advalidation', { stallMs: 10_000 });
    const started = Date.now();
    const response = await own.query(`{ advalidationCampaigns(first: 2) { nodes { id } } }`, undefined, { 'x-request-timeout-ms': '1500' });
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(response.errors).toMatchObject([{ path: ['advalidationCampaigns'], extensions: { code: 'UPSTREAM_TIMEOUT' } }]);
  });

  it('a rejected API key is FORBIDDEN (HTTP_401) at the field, once, and logged naming the variable', async () => {
    const own = await start({ ADVALIDATION_API_KEY: 'adv_wrong_key_000000000000' });
    const response = await own.query(`{ advalidationCampaigns(first: 2) { nodes { id } } }`);
    expect(response.errors).toMatchObject([
      { path: ['advalidationCampaigns'], extensions: { code: 'FORBIDDEN', upstream: 'advalidation', upstreamCode: 'HTTP_401' } },
    ]);
    // 401 is not retried.
    expect(own.emulator.calls.of('advalidation').map((call) => call.status)).toEqual([401]);
    expect(own.logs.some((line) => line.includes('ADVALIDATION_API_KEY') && !line.includes('adv_wrong_key'))).toBe(true);
  });
});
