import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Scan } from '../src/upstreams/advalidation/client.js';
import { EMULATOR_API_KEY } from '../src/upstreams/advalidation/emulator-data.js';
import { startStack, withoutNulls, type Stack } from './support/harness.js';

/**
 * Scans: no batch endpoint, a per-IP limit. Small limiter numbers keep these tests quick;
 * the settled-scan cache is off here (its own test turns it on) so every call is counted.
 */
const LIMITS = {
  ADVALIDATION_MAX_CONCURRENCY: '3',
  ADVALIDATION_RATE_PER_SECOND: '100',
  ADVALIDATION_BURST: '5',
  ADVALIDATION_RETRY_BASE_DELAY_MS: '50',
  ADVALIDATION_SETTLED_CACHE_SIZE: '0',
};

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: LIMITS });
});
afterAll(() => stack.stop());
beforeEach(() => {
  stack.emulator.reset();
  stack.emulator.advalidation.setAllowance({ size: 10_000, refillPerSecond: 10_000 });
});

const scans = () => stack.emulator.data.scans;
const finished = () => scans().filter((scan) => scan.processingStatus === 'finished');
const ids = (list: Scan[]) => list.map((scan) => String(scan.id));
const calls = () => stack.emulator.calls.of('advalidation');
const FULL = `{ id createdAt updatedAt finishedAt sequenceType nbIssues processingStatus tests { name value valueFormatted valuePhrase result attributes { name description value } extended } }`;

/** What GraphQL serves for an upstream scan: ids as strings, dates normalized to ISO with milliseconds. */
const expected = (scan: Scan, withTests: boolean) =>
  withoutNulls({
    ...scan,
    id: String(scan.id),
    createdAt: scan.createdAt && new Date(scan.createdAt).toISOString(),
    updatedAt: scan.updatedAt && new Date(scan.updatedAt).toISOString(),
    finishedAt: scan.finishedAt && new Date(scan.finishedAt).toISOString(),
    tests: withTests ? scan.tests : null,
  });

describe('Query.scan', () => {
  it('returns every field, tests included when selected, with raw values kept raw', async () => {
    const scan = finished()[0]!;
    const response = await stack.query<{ scan: unknown }>(`query($id: ID!) { scan(id: $id) ${FULL} }`, { id: String(scan.id) });
    expect(response.errors).toBeUndefined();
    expect(withoutNulls(response.data!.scan)).toEqual(expected(scan, true));
    expect(calls().map((call) => call.operation)).toEqual(['GetScan?include_checks']);
  });

  it('asks for checks only when the query selects tests (the lighter call otherwise)', async () => {
    const scan = finished()[1]!;
    const response = await stack.query<{ scan: { id: string; nbIssues: number } }>(`query($id: ID!) { scan(id: $id) { id nbIssues processingStatus } }`, { id: String(scan.id) });
    expect(response.data!.scan).toEqual({ id: String(scan.id), nbIssues: scan.nbIssues, processingStatus: 'finished' });
    expect(calls().map((call) => call.operation)).toEqual(['GetScan']);
  });

  it('answers NOT_FOUND for an unknown id and BAD_USER_INPUT, without a call, for a non-integer one', async () => {
    const response = await stack.query(`{ a: scan(id: "9999999") { id } b: scan(id: "12ab") { id } c: scan(id: "-4") { id } }`);
    const codes = Object.fromEntries(response.errors!.map((error) => [error.path![0], error.extensions!.code]));
    expect(codes).toEqual({ a: 'NOT_FOUND', b: 'BAD_USER_INPUT', c: 'BAD_USER_INPUT' });
    expect(stack.emulator.calls.keysAsked('advalidation')).toEqual(['9999999']);
  });
});

describe('Query.scans fan-out', () => {
  it('asks each distinct id once and answers every position in order', async () => {
    const [a, b, c] = ids(finished().slice(0, 3));
    const response = await stack.query<{ scans: Array<{ id: string }> }>(`query($ids: [ID!]!) { scans(ids: $ids) { id } }`, { ids: [a, b, a, c, b, a] });
    expect(response.data!.scans.map((scan) => scan.id)).toEqual([a, b, a, c, b, a]);
    expect(stack.emulator.calls.keysAsked('advalidation').sort()).toEqual([a, b, c].sort());
  });

  it('never exceeds the concurrency cap at the emulator', async () => {
    // Slow answers, so the cap (3) and not the rate is what binds.
    stack.emulator.faults.set('advalidation', { latencyMs: 100 });
    const response = await stack.query<{ scans: Array<{ id: string }> }>(`query($ids: [ID!]!) { scans(ids: $ids) { id } }`, { ids: ids(scans().slice(0, 15)) });
    expect(response.errors).toBeUndefined();
    expect(calls()).toHaveLength(15);
    expect(stack.emulator.peakConcurrency('advalidation')).toBe(3);
  });

  it('recovers from a 429 storm and returns every scan', async () => {
    // The emulator's own bucket is much smaller than the client's burst: 429s until it refills.
    stack.emulator.advalidation.setAllowance({ size: 2, refillPerSecond: 30 });
    const wanted = ids(scans().slice(100, 120));
    const response = await stack.query<{ scans: Array<{ id: string }> }>(`query($ids: [ID!]!) { scans(ids: $ids) { id } }`, { ids: wanted });
    expect(response.errors).toBeUndefined();
    expect(response.data!.scans.map((scan) => scan.id)).toEqual(wanted);
    expect(calls().some((call) => call.status === 429)).toBe(true);
    expect(new Set(calls().filter((call) => call.status === 200).flatMap((call) => call.keys))).toEqual(new Set(wanted));
  });

  it('retries 5xx (even with an HTML body) and answers', async () => {
    stack.emulator.faults.set('advalidation', { errorRate: 1, times: 2 });
    const response = await stack.query<{ scan: { id: string } }>(`{ scan(id: "${scans()[0]!.id}") { id } }`);
    expect(response.errors).toBeUndefined();
    expect(calls().map((call) => call.status)).toEqual([502, 502, 200]);
  });

  it('50 distinct scans asked by 20 concurrent queries: complete, never above the cap or the rate', async () => {
    const all = ids(scans().slice(200, 250));
    // Each query: its own few ids plus two every dashboard shows.
    const queries = Array.from({ length: 20 }, (_, q) => all.filter((_, i) => i % 20 === q || i < 2));
    stack.emulator.faults.set('advalidation', { latencyMs: 5 });
    const responses = await Promise.all(queries.map((wanted) => stack.query<{ scans: Array<{ id: string }> }>(`query($ids: [ID!]!) { scans(ids: $ids) { id } }`, { ids: wanted })));
    responses.forEach((response, q) => {
      expect(response.errors).toBeUndefined();
      expect(response.data!.scans.map((scan) => scan.id)).toEqual(queries[q]);
    });
    expect(new Set(stack.emulator.calls.keysAsked('advalidation'))).toEqual(new Set(all));
    expect(stack.emulator.peakConcurrency('advalidation')).toBeLessThanOrEqual(3);
    // Rate: in any 200 ms window at most burst + rate x 0.2 s calls arrived (the token-bucket
    // bound; +1 for timer granularity). Without the limiter, 3 slots at 5 ms would allow ~120.
    const arrivals = calls().map((call) => call.receivedAt).sort((x, y) => x - y);
    const maxInWindow = Math.max(...arrivals.map((start) => arrivals.filter((t) => t >= start && t < start + 200).length));
    expect(maxInWindow).toBeLessThanOrEqual(5 + 20 + 1);
  });
});

describe('API key', () => {
  it('a rejected key gives FORBIDDEN per item and one clear log line, never the key', async () => {
    const other = await startStack({ env: { ...LIMITS, ADVALIDATION_API_KEY: 'adv_wrong_key_for_the_test_123' } });
    try {
      const response = await other.query<{ scans: unknown[] }>(`query($ids: [ID!]!) { scans(ids: $ids) { id } }`, { ids: ids(scans().slice(0, 3)) });
      expect(response.data!.scans).toEqual([null, null, null]);
      expect(response.errors!.map((error) => error.extensions!.code)).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
      const keyLines = other.logs.filter((line) => line.includes('rejected the API key'));
      expect(keyLines).toHaveLength(1);
      const everything = JSON.stringify(response) + other.logs.join('\n');
      expect(everything).not.toContain('adv_wrong_key_for_the_test_123');
      expect(everything).not.toContain(EMULATOR_API_KEY);
      // Not retried: a wrong key does not become right.
      expect(other.emulator.calls.count('advalidation')).toBe(3);
    } finally {
      await other.stop();
    }
  });
});

describe('settled-scan cache (process-wide)', () => {
  it('serves finished scans again without a call, keeps asking for running ones', async () => {
    const cached = await startStack({ env: { ...LIMITS, ADVALIDATION_SETTLED_CACHE_SIZE: '100' } });
    try {
      const done = String(finished()[5]!.id);
      const running = String(scans().find((scan) => scan.processingStatus === 'processing')!.id);
      for (let i = 0; i < 3; i += 1) await cached.query(`{ a: scan(id: "${done}") { id tests { name } } b: scan(id: "${running}") { id } }`);
      expect(cached.emulator.calls.keysAsked('advalidation').filter((id) => id === done)).toHaveLength(1);
      expect(cached.emulator.calls.keysAsked('advalidation').filter((id) => id === running)).toHaveLength(3);
      // The scan fetched with its checks also answers a query that does not select them.
      await cached.query(`{ scan(id: "${done}") { id nbIssues } }`);
      expect(cached.emulator.calls.keysAsked('advalidation').filter((id) => id === done)).toHaveLength(1);
    } finally {
      await cached.stop();
    }
  });
});

describe('_entities', () => {
  it('resolves Scan representations, one call per distinct id, tests only when selected', async () => {
    const wanted = ids(finished().slice(10, 40));
    const response = await stack.query<{ _entities: Array<{ id: string; tests: Array<{ name: string }> }> }>(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Scan { id tests { name } } } }`,
      { r: [...wanted, wanted[0]].map((id) => ({ __typename: 'Scan', id })) },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!._entities.map((entity) => entity.id)).toEqual([...wanted, wanted[0]]);
    expect(response.data!._entities.every((entity) => entity.tests.length > 0)).toBe(true);
    expect(calls()).toHaveLength(30);
    expect(calls().every((call) => call.operation === 'GetScan?include_checks')).toBe(true);
  });
});
