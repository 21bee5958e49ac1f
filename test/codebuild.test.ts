import { describe, expect, it } from 'vitest';
import { asGraphQLJson, withoutNulls } from '../testkit/stack.js';
import { useStack } from '../testkit/use-stack.js';
import { selectAll } from '../testkit/selection.js';

// Every field includes the @requiresScopes ones (test/red-team/sensitive.test.ts covers the default, deny).
const stack = useStack({ env: { SENSITIVE_FIELDS: 'allow' } });

const BUILD = selectAll('Build');
const ids = (n: number, offset = 0) => stack.emulator.data.builds.slice(offset, offset + n).map((build) => build.id!);
const byId = (id: string) => stack.emulator.data.builds.find((build) => build.id === id)!;
const batchGetBuilds = () => stack.emulator.calls.of('codebuild', (call) => call.operation === 'BatchGetBuilds');

describe('Query.build', () => {
  it('returns every field exactly as the emulator holds it', async () => {
    const [id] = ids(1, 7);
    const response = await stack.query<{ build: unknown }>(`query($id: ID!) { build(id: $id) ${BUILD} }`, { id });
    expect(response.errors).toBeUndefined();
    expect(withoutNulls(response.data!.build)).toEqual(asGraphQLJson(byId(id!)));
    expect(batchGetBuilds()).toHaveLength(1);
  });

  it('serializes timestamps as ISO-8601 UTC with milliseconds', async () => {
    const [id] = ids(1);
    const response = await stack.query<{ build: { startTime: string } }>(`query($id: ID!) { build(id: $id) { startTime } }`, { id });
    expect(response.data!.build.startTime).toBe(byId(id!).startTime!.toISOString());
    expect(response.data!.build.startTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('answers null with NOT_FOUND for an unknown id', async () => {
    const response = await stack.query(`{ build(id: "no-such-project:00000000") { id } }`);
    expect(response.data!.build).toBeNull();
    expect(response.errors).toMatchObject([{ path: ['build'], extensions: { code: 'NOT_FOUND' } }]);
  });

  it('rejects a blank id as BAD_USER_INPUT without calling CodeBuild', async () => {
    const response = await stack.query(`{ build(id: "  ") { id } }`);
    expect(response.errors).toMatchObject([{ path: ['build'], extensions: { code: 'BAD_USER_INPUT' } }]);
    expect(stack.emulator.calls.count('codebuild')).toBe(0);
  });
});

describe('Query.builds batching', () => {
  it.each([
    [1, 1],
    [100, 1],
    [101, 2],
    [250, 3],
  ])('%i distinct ids cost exactly %i BatchGetBuilds calls, each within the limit of 100', async (n, calls) => {
    const wanted = ids(n);
    const response = await stack.query<{ builds: Array<{ id: string }> }>(`query($ids: [ID!]!) { builds(ids: $ids) { id buildNumber } }`, {
      ids: wanted,
    });
    expect(response.errors).toBeUndefined();
    expect(response.data!.builds.map((build) => build.id)).toEqual(wanted);
    const seen = batchGetBuilds();
    expect(seen).toHaveLength(calls);
    expect(Math.max(...seen.map((call) => call.keys.length))).toBeLessThanOrEqual(100);
    expect(new Set(seen.flatMap((call) => call.keys))).toEqual(new Set(wanted));
  });

  it('asks for duplicates once and answers every position in input order', async () => {
    const [a, b] = ids(2);
    const response = await stack.query<{ builds: Array<{ id: string }> }>(`query($ids: [ID!]!) { builds(ids: $ids) { id } }`, {
      ids: [a, b, a, a, b],
    });
    expect(response.data!.builds.map((build) => build.id)).toEqual([a, b, a, a, b]);
    expect(stack.emulator.calls.keysAsked('codebuild').sort()).toEqual([a, b].sort());
  });

  it('answers unknown and blank ids per item while the others come back', async () => {
    const [a, b] = ids(2, 20);
    const response = await stack.query<{ builds: Array<{ id: string } | null> }>(
      `query($ids: [ID!]!) { builds(ids: $ids) { id projectName } }`,
      {
        ids: [a, 'ghost:1', '', b],
      },
    );
    expect(response.data!.builds).toEqual([
      { id: a, projectName: byId(a!).projectName },
      null,
      null,
      { id: b, projectName: byId(b!).projectName },
    ]);
    expect(response.errors).toHaveLength(2);
    expect(response.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: ['builds', 1], extensions: expect.objectContaining({ code: 'NOT_FOUND' }) }),
        expect.objectContaining({ path: ['builds', 2], extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }),
      ]),
    );
    expect(stack.emulator.calls.keysAsked('codebuild')).not.toContain('');
  });

  it('a failing batch marks only its own items; the other batches of the query still answer', async () => {
    const wanted = ids(250);
    // Every attempt of the call carrying the second batch (ids 100..199) fails, retries included.
    const poisoned = wanted[150]!;
    stack.emulator.faults.set('codebuild', { down: true, when: (request) => request.body.includes(poisoned) });
    const response = await stack.query<{ builds: Array<{ id: string } | null> }>(`query($ids: [ID!]!) { builds(ids: $ids) { id } }`, {
      ids: wanted,
    });

    const failed = response.errors!.map((error) => error.path![1] as number).sort((x, y) => x - y);
    expect(failed).toEqual(Array.from({ length: 100 }, (_, index) => 100 + index));
    expect(new Set(response.errors!.map((error) => error.extensions!.code))).toEqual(new Set(['UPSTREAM_ERROR']));
    expect(response.data!.builds.slice(0, 100).map((build) => build!.id)).toEqual(wanted.slice(0, 100));
    expect(response.data!.builds.slice(200).map((build) => build!.id)).toEqual(wanted.slice(200));
    // The SDK retried the failing call (3 attempts), and no other call failed.
    expect(batchGetBuilds().filter((call) => call.status >= 500)).toHaveLength(3);
    expect(batchGetBuilds().filter((call) => call.status === 200)).toHaveLength(2);
  });

  it('retries a throttled call and answers every build', async () => {
    stack.emulator.faults.set('codebuild', { throttleRate: 1, times: 1 });
    const wanted = ids(5);
    const response = await stack.query<{ builds: Array<{ id: string }> }>(`query($ids: [ID!]!) { builds(ids: $ids) { id } }`, {
      ids: wanted,
    });
    expect(response.errors).toBeUndefined();
    expect(response.data!.builds.map((build) => build.id)).toEqual(wanted);
    expect(batchGetBuilds().map((call) => call.status)).toEqual([400, 200]);
  });
});
