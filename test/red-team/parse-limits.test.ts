import { Lexer, Source, TokenKind, getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILD } from '../../bench/entities.js';
import { mixedQuery } from '../../bench/mixed.js';
import { mixedRequests } from '../../bench/mixed-queries.js';
import { demoExamples } from '../../demo/examples.js';
import { SeededEmulator } from '../../emulator/index.js';
import { loadConfig } from '../../src/config/index.js';
import { DEFAULT_EXAMPLES } from '../../src/graphiql/landing-page.js';
import { startStack, type Stack } from '../../testkit/stack.js';
import { selectAll } from '../../testkit/selection.js';
import { post } from './support.js';

/**
 * Red-team H2: 1.5 MB of 60,000 trivial operations passed every limit and held the event loop
 * for 2-2.7 s (six at once: 14 s, /health 11 s meanwhile). MAX_QUERY_TOKENS stops parsing
 * there. M2: `mutation { x }` was an internal error logged with a stack.
 */

const REQUIRED = { AWS_REGION: 'eu-west-1', ADVALIDATION_API_KEY: 'adv_test_key_0123456789' };
const DEFAULT_LIMITS = (await loadConfig(REQUIRED)).limits;
const MAX_TOKENS = DEFAULT_LIMITS.maxTokens;
const FULL_BUILD = selectAll('Build');
const quoted = (ids: readonly string[]) => ids.map((id) => JSON.stringify(id)).join(' ');

function tokens(document: string): number {
  const lexer = new Lexer(new Source(document));
  let count = 0;
  while (lexer.advance().kind !== TokenKind.EOF) count += 1;
  return count;
}

/** The largest documents a legitimate client sends, within every other default limit. */
function largestLegitimate(buildIds: readonly string[]): Record<string, string> {
  const aliases = DEFAULT_LIMITS.maxAliases;
  // As many full builds as MAX_QUERY_COST admits (555 each), spread inline over every alias.
  const perAlias = Math.floor(DEFAULT_LIMITS.maxQueryCost / 555 / aliases);
  return {
    'every alias with every field of a build': `{ ${buildIds
      .slice(0, aliases)
      .map((id, i) => `b${i}: build(id: ${JSON.stringify(id)}) ${FULL_BUILD}`)
      .join(' ')} }`,
    'MAX_KEYS_PER_REQUEST ids inline, every field': `{ a: builds(ids: [${quoted(buildIds.slice(0, 1000))}]) ${FULL_BUILD} b: builds(ids: [${quoted(
      buildIds.slice(0, 1000),
    )}]) { id } }`,
    'every alias with inline ids and every field, up to MAX_QUERY_COST': `{ ${Array.from(
      { length: aliases },
      (_, i) =>
        `b${i}: builds(ids: [${quoted(Array.from({ length: perAlias }, (_, j) => buildIds[(i * perAlias + j) % buildIds.length]!))}]) ${FULL_BUILD}`,
    ).join(' ')} }`,
  };
}

const errorOf = (answer: Awaited<ReturnType<typeof post>>) => answer.body.errors?.[0];

describe('MAX_QUERY_TOKENS admits every legitimate document in the repository', () => {
  it('counts the benchmark, example, introspection and largest documents under the default', () => {
    const data = new SeededEmulator().data;
    const documents = [
      mixedQuery(data).body.query,
      ...mixedRequests(data).map((body) => body.query),
      ...DEFAULT_EXAMPLES.map((example) => example.query),
      ...demoExamples(data).map((example) => example.query),
      getIntrospectionQuery(),
      // What GraphiQL may ask for: every option on.
      getIntrospectionQuery({
        descriptions: true,
        specifiedByUrl: true,
        directiveIsRepeatable: true,
        schemaDescription: true,
        inputValueDeprecation: true,
        oneOf: true,
      }),
    ];
    for (const document of documents) expect(tokens(document)).toBeLessThan(1000);
    const largest = largestLegitimate(Array.from({ length: 1000 }, (_, i) => `project:${i}`));
    for (const [name, document] of Object.entries(largest)) expect(tokens(document), name).toBeLessThanOrEqual(MAX_TOKENS);
    // The default leaves room over the largest of them.
    expect(Math.max(...Object.values(largest).map(tokens))).toBeLessThan(0.9 * MAX_TOKENS);
  });
});

describe('MAX_QUERY_TOKENS at the server (defaults)', () => {
  let stack: Stack;
  beforeAll(async () => {
    // "Every field" includes the sensitive ones, as in bench/.
    stack = await startStack({ env: { SENSITIVE_FIELDS: 'allow' } });
  });
  afterAll(() => stack?.stop());

  function expectTooManyTokens(answer: Awaited<ReturnType<typeof post>>): void {
    expect(answer.status).toBe(400);
    expect(answer.body.data ?? null).toBeNull();
    expect(answer.body.errors).toHaveLength(1);
    expect(errorOf(answer)!.extensions).toMatchObject({ code: 'GRAPHQL_PARSE_FAILED', maxTokens: MAX_TOKENS });
    expect(errorOf(answer)!.message).toContain(`more than ${MAX_TOKENS} tokens (MAX_QUERY_TOKENS)`);
  }

  it('answers the largest legitimate documents in full', async () => {
    const largest = largestLegitimate(BUILD.keys(stack.emulator.data, 1000));
    for (const [name, query] of Object.entries(largest)) {
      const answer = await post(stack, { query });
      expect(answer.status, name).toBe(200);
      expect(answer.body.errors, name).toBeUndefined();
    }
  });

  it('refuses 60,000 operations (1.5 MB) at once with the documented code, six at a time, and /health stays responsive', async () => {
    // Each a little different: Apollo caches a document it has parsed before.
    const documents = Array.from({ length: 6 }, (_, copy) =>
      Array.from({ length: 60_000 }, (_, i) => `query Q${i}x${copy} { __typename }`).join(' '),
    );
    expect(documents[0]!.length).toBeGreaterThan(1_500_000);
    const started = performance.now();
    const refusals = Promise.all(documents.map((query, copy) => post(stack, { query, operationName: `Q1x${copy}` })));
    const health = fetch(`${stack.subgraph.url}/health`).then((response) => ({ status: response.status, ms: performance.now() - started }));
    for (const answer of await refusals) expectTooManyTokens(answer);
    const elapsed = performance.now() - started;
    expect((await health).status).toBe(200);
    // Generous bounds on a shared machine: before, the six took 14 s and /health 11 s.
    expect(elapsed).toBeLessThan(5_000);
    expect((await health).ms).toBeLessThan(5_000);
  });

  it('refuses documents of unknown directives, unused variables or unused fragments the same way', async () => {
    const documents = {
      directives: `{ __typename ${'@a'.repeat(300_000)} }`,
      variables: `query(${Array.from({ length: 60_000 }, (_, i) => `$v${i}: Int`).join(' ')}) { __typename }`,
      fragments: `{ __typename } ${Array.from({ length: 50_000 }, (_, i) => `fragment F${i} on Query { __typename }`).join(' ')}`,
    };
    for (const query of Object.values(documents)) expectTooManyTokens(await post(stack, { query }));
  });
});

describe('MAX_QUERY_TOKENS set lower', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { MAX_QUERY_TOKENS: '1000' } });
  });
  afterAll(() => stack?.stop());

  it('refuses a document one token over it, and answers one at it', async () => {
    // 5 tokens an operation (repeating one field 1000 times would be refused by graphql-js's own
    // budget for comparing fields, not by this limit).
    const operations = (n: number) => Array.from({ length: n }, (_, i) => `query Q${i} { __typename }`).join(' ');
    expect(tokens(operations(200))).toBe(1000);
    const at = await post(stack, { query: operations(200), operationName: 'Q0' });
    expect(at.status).toBe(200);
    expect(at.body).toEqual({ data: { __typename: 'Query' } });
    const over = await post(stack, { query: `${operations(200)} {`, operationName: 'Q0' });
    expect(over.status).toBe(400);
    expect(errorOf(over)!.extensions).toMatchObject({ code: 'GRAPHQL_PARSE_FAILED', maxTokens: 1000 });
  });
});

describe('operations of a root type the schema has not', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.stop());

  it('refuses a mutation as a validation error (400), with no error-level log line', async () => {
    const logged = stack.logs.length;
    const answer = await post(stack, { query: 'mutation { x }' });
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toHaveLength(1);
    expect(errorOf(answer)).toMatchObject({
      message: 'This subgraph has no mutations: send a query.',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    // Also when the document's other operation is the one selected.
    const beside = await post(stack, { query: 'query Q { __typename } mutation M { x }', operationName: 'Q' });
    expect(beside.status).toBe(400);
    expect(errorOf(beside)!.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const levels = stack.logs.slice(logged).map((line) => (JSON.parse(line) as { level: number }).level);
    expect(levels.filter((level) => level >= 50)).toEqual([]);
  });

  it('still refuses a subscription as BAD_REQUEST (400)', async () => {
    const answer = await post(stack, { query: 'subscription { x }' });
    expect(answer.status).toBe(400);
    expect(errorOf(answer)!.extensions?.code).toBe('BAD_REQUEST');
    expect(errorOf(answer)!.message).toMatch(/Subscriptions are not supported/);
  });
});
