import { afterAll, beforeAll, expect, it } from 'vitest';
import { startStack, type Stack } from '../testkit/stack.js';

/** A throttled AWS API is not stampeded: calls in flight are capped across all requests. */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { AWS_MAX_CONCURRENT_CALLS: '2' } });
});
afterAll(() => stack.stop());

it('caps CodeBuild calls in flight process-wide, across concurrent requests, and everything still answers', async () => {
  stack.emulator.faults.set('codebuild', { latencyMs: 60 });
  const ids = stack.emulator.data.builds.slice(0, 300).map((build) => build.id!);
  const query = `query($ids: [ID!]!) { builds(ids: $ids) { id } }`;
  const responses = await Promise.all([0, 1, 2].map(() => stack.query<{ builds: Array<{ id: string }> }>(query, { ids })));
  for (const response of responses) expect(response.data!.builds.map((build) => build.id)).toEqual(ids);
  expect(stack.emulator.calls.count('codebuild')).toBe(9);
  expect(stack.emulator.peakConcurrency('codebuild')).toBe(2);
  const metrics = await stack.scrapeMetrics();
  expect(metrics).toMatch(/subgraph_upstream_limiter_wait_seconds_count\{api="codebuild"\} 9/);
});
