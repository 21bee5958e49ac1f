import { expect, it } from 'vitest';
import { useStack } from '../testkit/use-stack.js';

/**
 * Loaders and their caches live and die with one request: nothing one caller fetched is served
 * to another. Cross-request batching (on by default) shares calls in flight, on purpose, and is
 * tested in cross-request-batching.test.ts; with it off, nothing at all is shared, which is what
 * this file proves of the loaders themselves.
 */
const stack = useStack({ env: { LOG_LEVEL: 'debug', BATCH_SHARING: 'off' } });

it('two concurrent requests for the same ids each ask the upstream: no cache is shared', async () => {
  const ids = stack.emulator.data.builds.slice(0, 5).map((build) => build.id!);
  // Slow answers keep both requests in flight at the same time.
  stack.emulator.faults.set('codebuild', { latencyMs: 150 });
  const query = `query($ids: [ID!]!) { builds(ids: $ids) { id } }`;
  const [a, b] = await Promise.all([
    stack.query<{ builds: Array<{ id: string }> }>(query, { ids }, { 'x-request-id': 'caller-a', authorization: 'Bearer token-a' }),
    stack.query<{ builds: Array<{ id: string }> }>(query, { ids }, { 'x-request-id': 'caller-b', authorization: 'Bearer token-b' }),
  ]);
  expect(a.data!.builds.map((build) => build.id)).toEqual(ids);
  expect(b.data!.builds.map((build) => build.id)).toEqual(ids);
  const calls = stack.emulator.calls.of('codebuild');
  expect(calls).toHaveLength(2);
  // Both calls were at the emulator at once, so a shared loader cache would have shown as a single call.
  expect(stack.emulator.peakConcurrency('codebuild')).toBe(2);
  const lines = stack.logs.map((line) => JSON.parse(line) as { requestId?: string; msg: string; upstreamCalls?: Record<string, number> });
  for (const requestId of ['caller-a', 'caller-b']) {
    expect(lines.find((line) => line.requestId === requestId && line.msg === 'request finished')?.upstreamCalls).toEqual({ codebuild: 1 });
  }
});

it('a second request for the same ids asks again (no cross-request memoization)', async () => {
  const [id] = stack.emulator.data.builds.map((build) => build.id!);
  for (let i = 0; i < 3; i += 1) await stack.query(`query($id: ID!) { build(id: $id) { id } }`, { id });
  expect(stack.emulator.calls.count('codebuild')).toBe(3);
});
