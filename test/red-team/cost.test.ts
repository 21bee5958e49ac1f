import { getIntrospectionQuery, parse, type GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BUILD } from '../../bench/entities.js';
import { mixedQuery } from '../../bench/mixed.js';
import { mixedRequests } from '../../bench/mixed-queries.js';
import { ConfigError, loadConfig } from '../../src/config/index.js';
import { SeededEmulator } from '../../emulator/index.js';
import { createLogger } from '../../src/logger.js';
import { queryCost } from '../../src/graphql/query-cost.js';
import { buildSchema } from '../../src/schema.js';
import { startStack, type Stack } from '../../testkit/stack.js';
import { selectAll } from '../../testkit/selection.js';

/**
 * Issue #12, reproduction 2: two aliases × 1000 keys with every field made 16 MB from one call
 * per batch, and 20 of them at once starved the process. Now an operation is costed before it
 * runs (keys × the fields selected under them) and refused over MAX_QUERY_COST, and an answer
 * over MAX_RESPONSE_BYTES is replaced by an error.
 */

const REQUIRED = { AWS_REGION: 'eu-west-1', ADVALIDATION_API_KEY: 'adv_test_key_0123456789' };
const DEFAULT_LIMIT = (await loadConfig(REQUIRED)).limits.maxQueryCost;
const FULL_BUILD = selectAll('Build');
const ids = (n: number) => Array.from({ length: n }, (_, i) => `project:${i}`);

describe('queryCost (the estimate, from the schema directives)', () => {
  let schema: GraphQLSchema;
  beforeAll(() => {
    schema = buildSchema(createLogger('silent'));
  });
  const cost = (query: string, variables: Record<string, unknown> = {}) => queryCost(schema, parse(query), variables);

  it('multiplies the selection by the keys of a list argument, inline or as a variable', () => {
    expect(cost(`{ builds(ids: ["a", "b", "c"]) { id buildStatus } }`)).toBe(3 * (1 + 2));
    expect(cost(`query($ids: [ID!]!) { builds(ids: $ids) { id buildStatus } }`, { ids: ids(1000) })).toBe(1000 * 3);
    expect(
      cost(`query($k: [FindingIdentifier!]!) { findings(identifiers: $k) { id } }`, {
        k: ids(40).map((id) => ({ scanName: 's', findingId: id })),
      }),
    ).toBe(40 * 2);
    expect(cost(`{ build(id: "a") { id } }`)).toBe(2);
  });

  it('counts every alias, and a named fragment exactly like the same fields inline', () => {
    const inline = cost(`query($ids: [ID!]!) { builds(ids: $ids) { id phases { phaseType } } }`, { ids: ids(10) });
    const aliased = cost(
      `query($ids: [ID!]!) { a: builds(ids: $ids) { id phases { phaseType } } b: builds(ids: $ids) { id phases { phaseType } } }`,
      { ids: ids(10) },
    );
    const fragments = cost(
      `query($ids: [ID!]!) { a: builds(ids: $ids) { ...B } b: builds(ids: $ids) { ...B } } fragment B on Build { id phases { phaseType } }`,
      { ids: ids(10) },
    );
    expect(aliased).toBe(2 * inline);
    expect(fragments).toBe(aliased);
    // phases: @listSize(assumedSize: 11), each phase 1 + phaseType 1.
    expect(inline).toBe(10 * (1 + 1 + 11 * (1 + 1)));
  });

  it('leaves out what @skip/@include leave out', () => {
    const query = `query($ids: [ID!]!, $deep: Boolean!) { builds(ids: $ids) { id phases @include(if: $deep) { phaseType } } }`;
    expect(cost(query, { ids: ids(10), deep: false })).toBe(10 * 2);
    expect(cost(query, { ids: ids(10), deep: true })).toBe(10 * (2 + 22));
  });

  it('costs _entities per representation, each by its own type: like the root list of that type', () => {
    const builds = cost(`query($ids: [ID!]!) { builds(ids: $ids) ${FULL_BUILD} }`, { ids: ids(100) });
    const entities = `query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Build ${FULL_BUILD} ... on Scan { id } } }`;
    const asBuilds = cost(entities, { r: ids(100).map((id) => ({ __typename: 'Build', id })) });
    // __typename is free (introspection).
    expect(asBuilds).toBe(builds);
    // 100 scans under the same selection cost their own small share, not the builds'.
    expect(cost(entities, { r: ids(100).map((id) => ({ __typename: 'Scan', id })) })).toBe(100 * (1 + 1));
    // A representation of no known type is costed as the dearest.
    expect(cost(entities, { r: [{ __typename: 'Nope', id: 'x' }] })).toBe(asBuilds / 100);
  });

  it('costs introspection nothing (bounded by the schema, not by upstream data)', () => {
    expect(cost(getIntrospectionQuery())).toBe(0);
  });

  it('admits every legitimate query in the repository under the default limit, and refuses two × 1000 full builds', async () => {
    const data = new SeededEmulator().data;
    const oneThousandFull = cost(`query($ids: [ID!]!) { builds(ids: $ids) ${FULL_BUILD} }`, { ids: BUILD.keys(data, 1000) });
    const mixed = mixedQuery(data).body;
    expect(oneThousandFull).toBeLessThanOrEqual(DEFAULT_LIMIT);
    expect(cost(mixed.query, { ...mixed.variables })).toBeLessThanOrEqual(DEFAULT_LIMIT);
    for (const body of mixedRequests(data)) expect(cost(body.query, body.variables)).toBeLessThanOrEqual(DEFAULT_LIMIT);
    const twice = cost(`query($ids: [ID!]!) { a: builds(ids: $ids) ${FULL_BUILD} b: builds(ids: $ids) ${FULL_BUILD} }`, {
      ids: BUILD.keys(data, 1000),
    });
    expect(twice).toBe(2 * oneThousandFull);
    expect(twice).toBeGreaterThan(DEFAULT_LIMIT);
  });
});

describe('MAX_QUERY_COST at the server (defaults)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      env: {
        // "Every field" includes the sensitive ones, as in bench/.
        SENSITIVE_FIELDS: 'allow',
        ADVALIDATION_RATE_PER_SECOND: '1000',
        ADVALIDATION_BURST: '1000',
        ADVALIDATION_MAX_CONCURRENCY: '16',
        ADVALIDATION_SETTLED_CACHE_SIZE: '0',
      },
    });
  });
  afterAll(() => stack?.stop());
  beforeEach(() => stack.emulator.reset());
  const buildIds = (n: number) => BUILD.keys(stack.emulator.data, n);

  async function post(query: string, variables: Record<string, unknown>) {
    const response = await fetch(`${stack.subgraph.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    return {
      status: response.status,
      bytes: Buffer.byteLength(text),
      body: JSON.parse(text) as { data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> },
    };
  }

  function expectRefused(answer: Awaited<ReturnType<typeof post>>, cost: RegExp): void {
    expect(answer.status).toBe(400);
    expect(answer.body.data ?? null).toBeNull();
    expect(answer.body.errors).toHaveLength(1);
    expect(answer.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', maxCost: DEFAULT_LIMIT });
    expect(answer.body.errors![0]!.message).toMatch(cost);
    expect(answer.body.errors![0]!.message).toContain(`over the limit of ${DEFAULT_LIMIT} (MAX_QUERY_COST)`);
    expect(stack.emulator.calls.entries).toHaveLength(0);
  }

  it('refuses two aliases × 1000 builds with every field: 400, the cost and the limit, no upstream call', async () => {
    const answer = await post(`query($ids: [ID!]!) { a: builds(ids: $ids) ${FULL_BUILD} b: builds(ids: $ids) ${FULL_BUILD} }`, {
      ids: buildIds(1000),
    });
    expectRefused(answer, /estimated cost is 1110000/);
  });

  it('refuses the same through a named fragment, and through two aliased _entities fetches', async () => {
    const fragment = `fragment B on Build ${FULL_BUILD}`;
    expectRefused(
      await post(`query($ids: [ID!]!) { a: builds(ids: $ids) { ...B } b: builds(ids: $ids) { ...B } } ${fragment}`, {
        ids: buildIds(1000),
      }),
      /estimated cost is 1110000/,
    );
    const r = buildIds(1000).map((id) => ({ __typename: 'Build', id }));
    expectRefused(
      await post(
        `query($r: [_Any!]!) { a: _entities(representations: $r) { ...B } b: _entities(representations: $r) { ...B } } ${fragment}`,
        { r },
      ),
      /estimated cost is 1110000/,
    );
  });

  it('answers 1000 builds with every field (the largest legitimate answer) in 10 calls', async () => {
    const answer = await post(`query($ids: [ID!]!) { builds(ids: $ids) ${FULL_BUILD} }`, { ids: buildIds(1000) });
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    expect((answer.body.data as { builds: unknown[] }).builds).toHaveLength(1000);
    expect(stack.emulator.calls.of('codebuild', (call) => call.operation === 'BatchGetBuilds')).toHaveLength(10);
    // About 7.8 MB: well under MAX_RESPONSE_BYTES' default.
    expect(answer.bytes).toBeGreaterThan(5_000_000);
    expect(answer.bytes).toBeLessThan(stack.config.limits.maxResponseBytes);
  });

  it("answers the benchmark's mixed query (1000 builds, 250 findings, 100 details, 50 scans)", async () => {
    const { body } = mixedQuery(stack.emulator.data);
    const answer = await post(body.query, { ...body.variables });
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
  });
});

describe('MAX_RESPONSE_BYTES', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { SENSITIVE_FIELDS: '', MAX_RESPONSE_BYTES: '20000' } });
  });
  afterAll(() => stack?.stop());

  it('replaces an answer over the cap by one clear error (400), and sends a small one as it is', async () => {
    const buildIds = BUILD.keys(stack.emulator.data, 100);
    const response = await fetch(`${stack.subgraph.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `query($ids: [ID!]!) { builds(ids: $ids) { id arn projectName logs { deepLink } } }`,
        variables: { ids: buildIds },
      }),
    });
    const text = await response.text();
    expect(response.status).toBe(400);
    expect(text.length).toBeLessThan(1000);
    expect(JSON.parse(text)).toEqual({
      errors: [
        {
          message: expect.stringMatching(/exceeds 20000 bytes \(MAX_RESPONSE_BYTES\).*fewer keys/),
          extensions: { code: 'BAD_USER_INPUT', maxResponseBytes: 20000 },
        },
      ],
    });
    expect(response.headers.get('cache-control')).toBe('no-store');
    const small = await stack.query<{ builds: unknown[] }>(`query($ids: [ID!]!) { builds(ids: $ids) { id } }`, {
      ids: buildIds.slice(0, 5),
    });
    expect(small.errors).toBeUndefined();
    expect(small.data!.builds).toHaveLength(5);
  });
});

describe('configuration', () => {
  it('validates MAX_QUERY_COST and MAX_RESPONSE_BYTES at start-up', async () => {
    expect((await loadConfig({ ...REQUIRED, MAX_QUERY_COST: '1000', MAX_RESPONSE_BYTES: '4096' })).limits).toMatchObject({
      maxQueryCost: 1000,
      maxResponseBytes: 4096,
    });
    expect((await loadConfig(REQUIRED)).limits.maxResponseBytes).toBe(32 * 1024 * 1024);
    for (const env of [{ MAX_QUERY_COST: '0' }, { MAX_QUERY_COST: 'lots' }, { MAX_RESPONSE_BYTES: '1.5' }, { MAX_RESPONSE_BYTES: '10' }]) {
      await expect(loadConfig({ ...REQUIRED, ...env })).rejects.toThrow(ConfigError);
    }
    await expect(loadConfig({ ...REQUIRED, SENSITIVE_FIELDS: 'yes' })).rejects.toThrow(/SENSITIVE_FIELDS must be one of allow, deny/);
    expect((await loadConfig(REQUIRED)).sensitiveFields).toBe('deny');
  });
});
