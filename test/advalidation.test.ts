import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Scan } from '../src/upstreams/advalidation/client.js';
import { EMULATOR_API_KEY, FOREIGN_SCAN_IDS } from '../emulator/advalidation/data.js';
import { expectedInstant } from './support/advalidation-dates.js';
import { startStack, withoutNulls, type Stack } from '../testkit/stack.js';

/**
 * Scans: no batch endpoint, a per-IP limit. Small limiter numbers keep these tests quick;
 * the settled-scan cache is off here (its own test turns it on) so every call is counted.
 */
const LIMITS = {
  ADVALIDATION_MAX_CONCURRENCY: '3',
  ADVALIDATION_RATE_PER_SECOND: '100',
  ADVALIDATION_BURST: '5',
  ADVALIDATION_RETRY_BASE_DELAY_MS: '50',
  ADVALIDATION_MAX_ATTEMPTS: '5',
  ADVALIDATION_ATTEMPT_TIMEOUT_MS: '10000',
  ADVALIDATION_SETTLED_CACHE_SIZE: '0',
};

/** A stack of its own for one test, with LIMITS spelled out. */
async function withStack(env: Record<string, string>, run: (stack: Stack) => Promise<void>): Promise<void> {
  const own = await startStack({ env: { ...LIMITS, ...env } });
  try {
    await run(own);
  } finally {
    await own.stop();
  }
}

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
/** Finished scans outside a monitoring context: the ones that have checks. */
const withChecks = () => finished().filter((scan) => scan.tests);
const ids = (list: Scan[]) => list.map((scan) => String(scan.id));
const calls = () => stack.emulator.calls.of('advalidation');
const FULL = `{ id createdAt updatedAt finishedAt sequenceType nbIssues processingStatus isInconclusive inconclusiveReason tests { name value valueFormatted valuePhrase result attributes { name description value } extended } }`;
type ScansResponse = { scans: Array<{ id: string } | null> };
const SCANS = `query($ids: [ID!]!) { scans(ids: $ids) { id } }`;

/** What GraphQL serves for an upstream scan: ids as strings, dates normalized to ISO with milliseconds. */
const expected = (scan: Scan, withTests: boolean) =>
  withoutNulls({
    ...scan,
    id: String(scan.id),
    createdAt: expectedInstant(scan.createdAt),
    updatedAt: expectedInstant(scan.updatedAt),
    finishedAt: expectedInstant(scan.finishedAt),
    tests: withTests ? scan.tests : null,
  });

describe('Query.scan', () => {
  it('returns every field, tests included when selected, with raw values kept raw', async () => {
    const scan = withChecks().find((candidate) => candidate.isInconclusive)!;
    const response = await stack.query<{ scan: unknown }>(`query($id: ID!) { scan(id: $id) ${FULL} }`, { id: String(scan.id) });
    expect(response.errors).toBeUndefined();
    expect(withoutNulls(response.data!.scan)).toEqual(expected(scan, true));
    expect(calls().map((call) => call.operation)).toEqual(['GetScan?include_checks']);
  });

  it('asks for checks only when the query selects tests (the lighter call otherwise)', async () => {
    const scan = finished()[1]!;
    const response = await stack.query<{ scan: { id: string; nbIssues: number } }>(
      `query($id: ID!) { scan(id: $id) { id nbIssues processingStatus } }`,
      { id: String(scan.id) },
    );
    expect(response.data!.scan).toEqual({ id: String(scan.id), nbIssues: scan.nbIssues, processingStatus: 'finished' });
    expect(calls().map((call) => call.operation)).toEqual(['GetScan']);
  });

  it('honours @include/@skip on tests, also through fragments', async () => {
    const id = String(withChecks()[2]!.id);
    const query = `query($id: ID!, $t: Boolean!) { a: scan(id: $id) { id tests @include(if: $t) { name } } b: scan(id: $id) { ...F @skip(if: true) } } fragment F on Scan { tests { name } }`;
    const without = await stack.query<{ a: { tests?: unknown } }>(query, { id, t: false });
    expect(without.errors).toBeUndefined();
    expect(calls().map((call) => call.operation)).toEqual(['GetScan']);
    stack.emulator.reset();
    const withTests = await stack.query<{ a: { tests: unknown[] } }>(query, { id, t: true });
    expect(withTests.data!.a.tests.length).toBeGreaterThan(0);
    expect(calls().map((call) => call.operation)).toEqual(['GetScan?include_checks']);
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
    const response = await stack.query<{ scans: Array<{ id: string }> }>(`query($ids: [ID!]!) { scans(ids: $ids) { id } }`, {
      ids: [a, b, a, c, b, a],
    });
    expect(response.data!.scans.map((scan) => scan.id)).toEqual([a, b, a, c, b, a]);
    expect(stack.emulator.calls.keysAsked('advalidation').sort()).toEqual([a, b, c].sort());
  });

  it('never exceeds the concurrency cap at the emulator', async () => {
    // Slow answers, so the cap (3) and not the rate is what binds.
    stack.emulator.faults.set('advalidation', { latencyMs: 100 });
    const response = await stack.query<{ scans: Array<{ id: string }> }>(`query($ids: [ID!]!) { scans(ids: $ids) { id } }`, {
      ids: ids(scans().slice(0, 15)),
    });
    expect(response.errors).toBeUndefined();
    expect(calls()).toHaveLength(15);
    expect(stack.emulator.peakConcurrency('advalidation')).toBe(3);
  });

  it('recovers from a 429 storm and returns every scan', async () => {
    // The emulator's own bucket is much smaller than the client's burst: 429s until it refills.
    stack.emulator.advalidation.setAllowance({ size: 2, refillPerSecond: 30 });
    const wanted = ids(scans().slice(100, 120));
    const response = await stack.query<{ scans: Array<{ id: string }> }>(`query($ids: [ID!]!) { scans(ids: $ids) { id } }`, {
      ids: wanted,
    });
    expect(response.errors).toBeUndefined();
    expect(response.data!.scans.map((scan) => scan.id)).toEqual(wanted);
    expect(calls().some((call) => call.status === 429)).toBe(true);
    expect(
      new Set(
        calls()
          .filter((call) => call.status === 200)
          .flatMap((call) => call.keys),
      ),
    ).toEqual(new Set(wanted));
  });

  it('retries 5xx (even with an HTML body) and answers', async () => {
    stack.emulator.faults.set('advalidation', { errorRate: 1, times: 2 });
    const response = await stack.query<{ scan: { id: string } }>(`{ scan(id: "${scans()[0]!.id}") { id } }`);
    expect(response.errors).toBeUndefined();
    expect(calls().map((call) => call.status)).toEqual([500, 500, 200]);
  });

  it('50 distinct scans asked by 20 concurrent queries: complete, each asked once, never above the cap', async () => {
    const all = ids(scans().slice(200, 250));
    // Each query: its own few ids plus two every dashboard shows.
    const queries = Array.from({ length: 20 }, (_, q) => all.filter((_, i) => i % 20 === q || i < 2));
    stack.emulator.faults.set('advalidation', { latencyMs: 5 });
    const responses = await Promise.all(
      queries.map((wanted) =>
        stack.query<{ scans: Array<{ id: string }> }>(`query($ids: [ID!]!) { scans(ids: $ids) { id } }`, { ids: wanted }),
      ),
    );
    responses.forEach((response, q) => {
      expect(response.errors).toBeUndefined();
      expect(response.data!.scans.map((scan) => scan.id)).toEqual(queries[q]);
    });
    expect(new Set(stack.emulator.calls.keysAsked('advalidation'))).toEqual(new Set(all));
    expect(stack.emulator.peakConcurrency('advalidation')).toBeLessThanOrEqual(3);
    // The pace is the service's word (plentiful here), not the configured burst and rate:
    // test/advalidation-pacing.test.ts measures both sides of that.
  });
});

describe('API key', () => {
  it('a rejected key gives FORBIDDEN per item and one clear log line, never the key', async () => {
    const other = await startStack({ env: { ...LIMITS, ADVALIDATION_API_KEY: 'adv_wrong_key_for_the_test_123' } });
    try {
      const response = await other.query<{ scans: unknown[] }>(`query($ids: [ID!]!) { scans(ids: $ids) { id } }`, {
        ids: ids(scans().slice(0, 3)),
      });
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
      for (let i = 0; i < 3; i += 1)
        await cached.query(`{ a: scan(id: "${done}") { id tests { name } } b: scan(id: "${running}") { id } }`);
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
    const wanted = ids(withChecks().slice(10, 40));
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

describe('one call per scan, however it is asked', () => {
  it('an id asked with and without tests in one request costs one call, the one with checks', async () => {
    const [a, b] = ids(withChecks().slice(50, 52));
    const response = await stack.query<{ one: { id: string; nbIssues: number }; many: Array<{ id: string; tests: unknown[] }> }>(
      `query($a: ID!, $ids: [ID!]!) { one: scan(id: $a) { id nbIssues } many: scans(ids: $ids) { id tests { name } } }`,
      { a, ids: [a, b] },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.one.id).toBe(a);
    expect(response.data!.many.map((scan) => [scan.id, scan.tests.length > 0])).toEqual([
      [a, true],
      [b, true],
    ]);
    expect(
      calls()
        .map((call) => [call.keys[0], call.operation])
        .sort(),
    ).toEqual(
      [
        [a, 'GetScan?include_checks'],
        [b, 'GetScan?include_checks'],
      ].sort(),
    );
  });

  it('concurrent requests for the same scan share the GET in flight (process-wide)', async () => {
    // Slow answers keep the first GET in flight while the other requests arrive.
    stack.emulator.faults.set('advalidation', { latencyMs: 300 });
    const id = ids(withChecks().slice(60, 61))[0]!;
    const responses = await Promise.all([
      ...Array.from({ length: 4 }, () => stack.query<{ scan: { id: string } }>(`{ scan(id: "${id}") { id tests { name } } }`)),
      // Without tests: the GET with checks in flight answers it too.
      stack.query<{ scan: { id: string } }>(`{ scan(id: "${id}") { id nbIssues } }`),
    ]);
    expect(responses.map((response) => response.data!.scan.id)).toEqual([id, id, id, id, id]);
    expect(calls().map((call) => call.operation)).toEqual(['GetScan?include_checks']);
  });

  it('a request that gives up on a shared GET does not fail the others waiting for it', async () => {
    stack.emulator.faults.set('advalidation', { latencyMs: 600 });
    const id = String(scans()[20]!.id);
    const query = `{ scan(id: "${id}") { id } }`;
    const [impatient, patient] = await Promise.all([
      stack.query<{ scan: null }>(query, undefined, { 'x-request-timeout-ms': '200' }),
      stack.query<{ scan: { id: string } }>(query),
    ]);
    expect(impatient.errors!.map((error) => error.extensions!.code)).toEqual(['UPSTREAM_TIMEOUT']);
    expect(patient.errors).toBeUndefined();
    expect(patient.data!.scan.id).toBe(id);
    expect(calls()).toHaveLength(1);
  });
});

describe('per-item errors', () => {
  it('a scan of another account is FORBIDDEN at its index only, not retried, and logged as a permission problem', async () => {
    const [a, b] = ids(scans().slice(0, 2));
    const foreign = FOREIGN_SCAN_IDS[0]!;
    const response = await stack.query<ScansResponse>(SCANS, { ids: [a, foreign, b] });
    expect(response.data!.scans.map((scan) => scan?.id ?? null)).toEqual([a, null, b]);
    expect(response.errors!.map((error) => [error.path, error.extensions!.code])).toEqual([[['scans', 1], 'FORBIDDEN']]);
    expect(stack.emulator.calls.keysAsked('advalidation').filter((id) => id === foreign)).toHaveLength(1);
    expect(stack.logs.some((line) => line.includes('lacks permission'))).toBe(true);
  });

  it('a 429 is retried at once: the documented Retry-After (always 15 s) is ignored', async () => {
    // Honouring it would outlast this test's 5 s timeout.
    stack.emulator.faults.set('advalidation', { throttleRate: 1, times: 1 });
    const response = await stack.query<{ scan: { id: string } }>(`{ scan(id: "${scans()[3]!.id}") { id } }`);
    expect(response.errors).toBeUndefined();
    expect(calls().map((call) => call.status)).toEqual([429, 200]);
  });

  it('THROTTLED at that index when the 429s outlast the retries; neighbours unaffected', async () => {
    const [a, b] = ids(scans().slice(4, 6));
    stack.emulator.faults.set('advalidation', { throttleRate: 1, when: (request) => request.url.pathname.endsWith(`/${b}`) });
    const response = await stack.query<ScansResponse>(SCANS, { ids: [a, b] });
    expect(response.data!.scans.map((scan) => scan?.id ?? null)).toEqual([a, null]);
    expect(response.errors!.map((error) => [error.path, error.extensions!.code])).toEqual([[['scans', 1], 'THROTTLED']]);
    expect(calls().filter((call) => call.keys[0] === b)).toHaveLength(5); // ADVALIDATION_MAX_ATTEMPTS
  });
});

describe('time budgets', () => {
  it('a stalled attempt is abandoned after the per-attempt timeout and retried; one that always stalls is UPSTREAM_TIMEOUT', async () => {
    await withStack(
      { ADVALIDATION_ATTEMPT_TIMEOUT_MS: '150', ADVALIDATION_MAX_ATTEMPTS: '2', ADVALIDATION_RETRY_BASE_DELAY_MS: '1' },
      async (own) => {
        const [a, b] = ids(scans().slice(6, 8));
        // The first call hangs far longer than the request's budget: only a retry can answer in time.
        own.emulator.faults.set('advalidation', { stallMs: 10_000, times: 1 });
        const retried = await own.query<{ scan: { id: string } }>(`{ scan(id: "${a}") { id } }`, undefined, {
          'x-request-timeout-ms': '3000',
        });
        expect(retried.errors).toBeUndefined();
        expect(retried.data!.scan.id).toBe(a);

        own.emulator.faults.set('advalidation', { stallMs: 10_000 });
        const exhausted = await own.query<{ scan: null }>(`{ scan(id: "${b}") { id } }`, undefined, { 'x-request-timeout-ms': '3000' });
        expect(exhausted.data!.scan).toBeNull();
        expect(exhausted.errors!.map((error) => error.extensions!.code)).toEqual(['UPSTREAM_TIMEOUT']);
      },
    );
  });

  it('scans that cannot start within the budget at the observed pace are THROTTLED at once, before the budget, and never asked', async () => {
    // A one-token bucket refilled once a second: the first id goes at once, the others would wait ~1 s each.
    await withStack({ ADVALIDATION_MAX_CONCURRENCY: '1', ADVALIDATION_RATE_PER_SECOND: '1', ADVALIDATION_BURST: '1' }, async (own) => {
      own.emulator.advalidation.setAllowance({ size: 1, refillPerSecond: 1 });
      const wanted = ids(scans().slice(8, 12));
      const started = Date.now();
      const response = await own.query<ScansResponse>(SCANS, { ids: wanted }, { 'x-request-timeout-ms': '400' });
      expect(Date.now() - started).toBeLessThan(400);
      expect(response.data!.scans.map((scan) => scan?.id ?? null)).toEqual([wanted[0], null, null, null]);
      expect(response.errors!.map((error) => error.extensions!.code)).toEqual(['THROTTLED', 'THROTTLED', 'THROTTLED']);
      expect(response.errors![0]!.message).toMatch(/rate limit .*retry in about \d+ s/);
      expect(own.emulator.calls.keysAsked('advalidation')).toEqual([wanted[0]]);
    });
  });
});

describe('X-RateLimit-IPRemaining', () => {
  it('paces calls by what the service says is left, so a smaller real allowance than configured causes no 429', async () => {
    // The client believes in a burst of 20; the IP really has 4 (say, shared with other replicas).
    await withStack({ ADVALIDATION_MAX_CONCURRENCY: '1', ADVALIDATION_RATE_PER_SECOND: '20', ADVALIDATION_BURST: '20' }, async (own) => {
      own.emulator.advalidation.setAllowance({ size: 4, refillPerSecond: 20 });
      const wanted = ids(scans().slice(300, 312));
      const response = await own.query<ScansResponse>(SCANS, { ids: wanted });
      expect(response.errors).toBeUndefined();
      expect(response.data!.scans.map((scan) => scan!.id)).toEqual(wanted);
      expect(own.emulator.calls.of('advalidation').map((call) => call.status)).toEqual(wanted.map(() => 200));
    });
  });
});
