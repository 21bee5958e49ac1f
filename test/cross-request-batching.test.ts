import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BurstClient } from '../testkit/burst-client.js';
import { startStack, type Stack } from '../testkit/stack.js';
import { useStack } from '../testkit/use-stack.js';

/**
 * Cross-request batching at the GraphQL boundary (src/batching/shared-calls.ts): lookups of
 * concurrent requests share upstream calls, while results, errors, budgets and isolation stay
 * per request. Calls are counted from what the emulator received. The bursts come over warm
 * connections (testkit/burst-client.ts), as a router sends them.
 */
// Debug logs carry each request's own count of calls; two attempts keep the fault runs short, and
// no circuit opens on the injected faults (a run's expectations are about pairing, not about circuits).
const stack = useStack({ env: { LOG_LEVEL: 'debug', AWS_MAX_ATTEMPTS: '2', AWS_RETRY_BASE_DELAY_MS: '5', CIRCUIT_BREAKER_FAILURES: '0' } });
let client: BurstClient;
beforeAll(async () => {
  client = new BurstClient(`${stack.subgraph.url}/graphql`, 32);
  await client.warm();
});
afterAll(() => client.close());

const BUILD = 'query($id: ID!) { build(id: $id) { id projectName } }';
const BUILDS = 'query($ids: [ID!]!) { builds(ids: $ids) { id projectName } }';
type One = { build: { id: string; projectName: string } | null };
type Many = { builds: Array<{ id: string; projectName: string } | null> };

const buildIds = (from: number, n: number) => stack.emulator.data.builds.slice(from, from + n).map((build) => build.id!);
const projectOf = (id: string) => stack.emulator.data.builds.find((build) => build.id === id)!.projectName;

/** The calls the metrics listener counted for one API (all outcomes). */
async function metricCalls(target: Stack, api: string): Promise<number> {
  const text = await target.scrapeMetrics();
  return [...text.matchAll(new RegExp(`^subgraph_upstream_calls_total\\{[^}]*api="${api}"[^}]*\\} (\\d+)`, 'gm'))].reduce(
    (sum, match) => sum + Number(match[1]),
    0,
  );
}

async function timedOutCalls(target: Stack): Promise<number> {
  const text = await target.scrapeMetrics();
  const match = /^subgraph_upstream_calls_total\{[^}]*api="codebuild"[^}]*outcome="UPSTREAM_TIMEOUT"[^}]*\} (\d+)/m.exec(text);
  return Number(match?.[1] ?? 0);
}

describe('shared calls', () => {
  it('32 concurrent build(id) requests for distinct ids cost at most 2 BatchGetBuilds calls, each request answered with its own build', async () => {
    const ids = buildIds(0, 32);
    stack.emulator.reset();
    const before = await metricCalls(stack, 'codebuild');
    const responses = await client.burst<One>(ids.map((id) => ({ query: BUILD, variables: { id } })));
    responses.forEach((response, i) => {
      expect(response.errors).toBeUndefined();
      expect(response.data!.build).toEqual({ id: ids[i], projectName: projectOf(ids[i]!) });
    });
    const calls = stack.emulator.calls.of('codebuild');
    expect(calls.length).toBeLessThanOrEqual(2);
    expect(calls.flatMap((call) => call.keys).sort()).toEqual([...ids].sort());
    // Process metrics count the calls really sent, not each request's share of them.
    expect((await metricCalls(stack, 'codebuild')) - before).toBe(calls.length);
  });

  it('32 concurrent requests of 100 distinct builds each cost 32 calls, not 64', async () => {
    // 37 seeded builds per request (the emulator holds 1,200) and 63 well-formed ids it has never
    // seen (answered in buildsNotFound): 3,200 distinct ids, each a key of one request only.
    const lists = Array.from({ length: 32 }, (_, r) => [
      ...buildIds(r * 37, 37),
      ...Array.from({ length: 63 }, (_, i) => `unseen-project:${r}-${i}`),
    ]);
    expect(new Set(lists.flat()).size).toBe(3200);
    const responses = await client.burst<Many>(lists.map((ids) => ({ query: BUILDS, variables: { ids } })));
    responses.forEach((response, r) => {
      expect(response.data!.builds.map((build) => build?.id ?? null)).toEqual(lists[r]!.map((id, i) => (i < 37 ? id : null)));
      expect(response.errors!.map((error) => error.path)).toEqual(lists[r]!.slice(37).map((_, i) => ['builds', 37 + i]));
      expect(response.errors!.every((error) => error.extensions?.code === 'NOT_FOUND')).toBe(true);
    });
    const calls = stack.emulator.calls.of('codebuild');
    expect(calls).toHaveLength(32);
    expect(calls.every((call) => call.keys.length === 100)).toBe(true);
  });

  it('requests asking the same ids at once share one call; each request log counts its share; a later request asks again', async () => {
    const ids = buildIds(0, 5);
    stack.emulator.faults.set('codebuild', { latencyMs: 50 });
    const [a, b] = await client.burst<Many>([
      { query: BUILDS, variables: { ids }, headers: { 'x-request-id': 'share-a' } },
      { query: BUILDS, variables: { ids: [...ids].reverse() }, headers: { 'x-request-id': 'share-b' } },
    ]);
    expect(a!.data!.builds.map((build) => build!.id)).toEqual(ids);
    expect(b!.data!.builds.map((build) => build!.id)).toEqual([...ids].reverse());
    expect(stack.emulator.calls.count('codebuild')).toBe(1);
    const lines = stack.logs.map((line) => JSON.parse(line) as { requestId?: string; msg: string; upstreamCalls?: Record<string, number> });
    for (const requestId of ['share-a', 'share-b']) {
      expect(lines.find((line) => line.requestId === requestId && line.msg === 'request finished')?.upstreamCalls).toEqual({
        codebuild: 1,
      });
    }
    // The window shares calls in flight, never answers: no cache outlives a request.
    await stack.query(BUILDS, { ids });
    expect(stack.emulator.calls.count('codebuild')).toBe(2);
  });

  it('Inspector lookups of concurrent requests share calls per region, never across regions', async () => {
    const details = stack.emulator.data.inspector.details;
    const east = details.filter((detail) => detail.findingArn!.includes(':us-east-1:')).slice(0, 8);
    const west = details.filter((detail) => detail.findingArn!.includes(':eu-west-1:')).slice(0, 8);
    // Each request asks 2 of each region: 8 requests = 16 ARNs per region = 2 calls per region.
    const lists = Array.from({ length: 4 }, (_, r) => [
      ...east.slice(r * 2, r * 2 + 2).map((detail) => detail.findingArn!),
      ...west.slice(r * 2, r * 2 + 2).map((detail) => detail.findingArn!),
    ]);
    const query = 'query($arns: [ID!]!) { findingDetails(findingArns: $arns) { findingArn riskScore } }';
    const responses = await client.burst<{ findingDetails: Array<{ findingArn: string } | null> }>(
      lists.map((arns) => ({ query, variables: { arns } })),
    );
    responses.forEach((response, r) => expect(response.data!.findingDetails.map((detail) => detail!.findingArn)).toEqual(lists[r]));
    const calls = stack.emulator.calls.of('inspector2');
    expect(calls.map((call) => call.region).sort()).toEqual(['eu-west-1', 'us-east-1']);
    for (const call of calls) expect(call.keys.every((arn) => arn.includes(`:${call.region}:`))).toBe(true);
  });

  it('CodeGuru Security findings of concurrent requests share calls', async () => {
    const findings = stack.emulator.data.findings.slice(0, 20);
    const query = 'query($ids: [FindingIdentifier!]!) { findings(identifiers: $ids) { scanName id } }';
    const lists = Array.from({ length: 4 }, (_, r) =>
      findings.slice(r * 5, r * 5 + 5).map(({ scanName, finding }) => ({ scanName, findingId: finding.id! })),
    );
    const responses = await client.burst<{ findings: Array<{ scanName: string; id: string } | null> }>(
      lists.map((ids) => ({ query, variables: { ids } })),
    );
    responses.forEach((response, r) =>
      expect(response.data!.findings.map((finding) => ({ scanName: finding!.scanName, findingId: finding!.id }))).toEqual(lists[r]),
    );
    expect(stack.emulator.calls.count('codeguru-security')).toBe(1);
  });
});

describe('what stays per request', () => {
  it("one request's id the service refuses never fails another request's ids; the refusal is its own, isolated in its own calls", async () => {
    const good = buildIds(0, 40);
    const bad = 'xy:not/a-build'; // passes our checks, refused by CodeBuild for the whole call (see bisection.test.ts)
    const mine = [...buildIds(40, 10), bad];
    const others = Array.from({ length: 4 }, (_, r) => good.slice(r * 10, r * 10 + 10));
    const responses = await client.burst<Many>([mine, ...others].map((ids) => ({ query: BUILDS, variables: { ids } })));
    const [refused, ...served] = responses;
    served.forEach((response, r) => {
      expect(response.errors).toBeUndefined();
      expect(response.data!.builds.map((build) => build!.id)).toEqual(others[r]);
    });
    expect(refused!.data!.builds.map((build) => build?.id ?? null)).toEqual([...mine.slice(0, 10), null]);
    expect(refused!.errors).toHaveLength(1);
    expect(refused!.errors![0]).toMatchObject({ path: ['builds', 10], extensions: { code: 'BAD_USER_INPUT', upstream: 'codebuild' } });
    // The bad id was only ever in calls the service refused, and every good id was served.
    const calls = stack.emulator.calls.of('codebuild');
    // The first call was shared: the bad id went out with the other requests' ids, and was refused with them.
    expect(calls[0]).toMatchObject({ status: 400 });
    expect(calls[0]!.keys).toHaveLength(51);
    const served200 = new Set(calls.filter((call) => call.status === 200).flatMap((call) => call.keys));
    expect([...good, ...mine.slice(0, 10)].every((id) => served200.has(id))).toBe(true);
    expect(served200.has(bad)).toBe(false);
  });

  it('a request whose budget ends detaches alone: the shared call runs on for the request still waiting', async () => {
    const ids = buildIds(0, 4);
    stack.emulator.faults.set('codebuild', { latencyMs: 400 });
    const [short, patient] = await client.burst<Many>([
      // The router's deadline header cuts this one's budget below the upstream's latency.
      { query: BUILDS, variables: { ids: ids.slice(0, 2) }, headers: { 'x-request-timeout-ms': '150' } },
      { query: BUILDS, variables: { ids } },
    ]);
    expect(short!.errors?.[0]?.extensions?.code).toBe('UPSTREAM_TIMEOUT');
    expect(patient!.errors).toBeUndefined();
    expect(patient!.data!.builds.map((build) => build!.id)).toEqual(ids);
    // One call carried both requests' ids, and it was answered (not cut) for the one still waiting.
    const calls = stack.emulator.calls.of('codebuild');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.status).toBe(200);
  });

  it('a shared call whose every request has given up is aborted', async () => {
    const ids = buildIds(0, 4);
    stack.emulator.faults.set('codebuild', { latencyMs: 400 });
    const started = performance.now();
    const responses = await client.burst<Many>([
      { query: BUILDS, variables: { ids: ids.slice(0, 2) }, headers: { 'x-request-timeout-ms': '150' } },
      { query: BUILDS, variables: { ids: ids.slice(2) }, headers: { 'x-request-timeout-ms': '150' } },
    ]);
    expect(responses.map((response) => response.errors?.[0]?.extensions?.code)).toEqual(['UPSTREAM_TIMEOUT', 'UPSTREAM_TIMEOUT']);
    expect(performance.now() - started).toBeLessThan(390);
    // The one shared call was cut when the last request gave up, and counted once, as cut.
    await expect.poll(() => timedOutCalls(stack), { timeout: 2000 }).toBe(1);
  });
});

describe('key and answer stay paired across requests, under faults', () => {
  const BAD = 'xy:not/a-build';
  it("every item is its own key's build or an error at its own path, whatever the mix of requests, ids and faults", async () => {
    const pool = buildIds(0, 60);
    const key = fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom(...pool) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 40 }).map((n) => `unseen-project:${n}`) },
      { weight: 1, arbitrary: fc.constant(BAD) },
    );
    const requests = fc.array(fc.uniqueArray(key, { minLength: 1, maxLength: 30 }), { minLength: 2, maxLength: 8 });
    const faults = fc.record({ throttleRate: fc.constantFrom(0, 0.2), errorRate: fc.constantFrom(0, 0.2) });
    await fc.assert(
      fc.asyncProperty(requests, faults, async (lists, fault) => {
        stack.emulator.reset();
        stack.emulator.faults.set('codebuild', fault);
        const responses = await client.burst<Many>(lists.map((ids) => ({ query: BUILDS, variables: { ids } })));
        responses.forEach((response, r) => {
          const errorAt = new Map((response.errors ?? []).map((error) => [error.path?.[1], error.extensions?.code]));
          lists[r]!.forEach((id, i) => {
            const item = response.data?.builds[i];
            if (item) {
              expect(item).toEqual({ id, projectName: projectOf(id) });
              expect(errorAt.has(i)).toBe(false);
            } else {
              expect(errorAt.has(i)).toBe(true);
              // Under injected faults an item may also carry the fault (THROTTLED, UPSTREAM_ERROR); without, exactly its own answer.
              if (fault.throttleRate === 0 && fault.errorRate === 0) {
                expect(errorAt.get(i)).toBe(id === BAD ? 'BAD_USER_INPUT' : 'NOT_FOUND');
              }
            }
          });
        });
      }),
      { numRuns: 25 },
    );
  });
});

describe('BATCH_SHARING=off', () => {
  let off: Stack;
  let offClient: BurstClient;
  beforeAll(async () => {
    off = await startStack({ env: { BATCH_SHARING: 'off' } });
    offClient = new BurstClient(`${off.subgraph.url}/graphql`, 32);
    await offClient.warm();
  });
  afterAll(async () => {
    offClient.close();
    await off.stop();
  });

  it('each request makes its own calls: 32 build(id) requests cost 32 calls (the control for the tests above)', async () => {
    const ids = off.emulator.data.builds.slice(0, 32).map((build) => build.id!);
    off.emulator.reset();
    const responses = await offClient.burst<One>(ids.map((id) => ({ query: BUILD, variables: { id } })));
    responses.forEach((response, i) => expect(response.data!.build!.id).toBe(ids[i]));
    expect(off.emulator.calls.count('codebuild')).toBe(32);
  });
});
