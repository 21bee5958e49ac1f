import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './support/harness.js';

/** Hints from upstream state, so the router's entity cache can keep what no longer changes. */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { CACHE_MAX_AGE_SETTLED: '3600', CACHE_MAX_AGE_ACTIVE: '7' } });
});
afterAll(() => stack.stop());

async function cacheControl(query: string, variables: Record<string, unknown>): Promise<string | null> {
  const response = await fetch(`${stack.subgraph.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  await response.json();
  return response.headers.get('cache-control');
}

const complete = () => stack.emulator.data.builds.find((build) => build.buildComplete)!.id!;
const running = () => stack.emulator.data.builds.find((build) => !build.buildComplete)!.id!;
const FULL = `{ id buildStatus phases { phaseType contexts { message } } environment { image environmentVariables { name } } }`;

describe('Build cache hints', () => {
  it('a completed build gets the long max-age, nested fields included', async () => {
    expect(await cacheControl(`query($id: ID!) { build(id: $id) ${FULL} }`, { id: complete() })).toBe('max-age=3600, public');
  });

  it('an in-progress build gets the short one', async () => {
    expect(await cacheControl(`query($id: ID!) { build(id: $id) ${FULL} }`, { id: running() })).toBe('max-age=7, public');
  });

  it('a list takes the shortest of its items', async () => {
    expect(await cacheControl(`query($ids: [ID!]!) { builds(ids: $ids) ${FULL} }`, { ids: [complete(), running()] })).toBe('max-age=7, public');
  });

  it('_entities carries the hint too, for the router entity cache', async () => {
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Build ${FULL} } }`;
    expect(await cacheControl(query, { r: [{ __typename: 'Build', id: complete() }] })).toBe('max-age=3600, public');
  });

  it('a failed lookup is not cacheable', async () => {
    expect(await cacheControl(`query($id: ID!) { build(id: $id) { id } }`, { id: 'missing:0' })).toBe('no-store');
  });
});
