import { describe, expect, it } from 'vitest';
import { useStack } from '../testkit/use-stack.js';

const stack = useStack({ env: { MAX_KEYS_PER_LIST: '40', MAX_KEYS_PER_REQUEST: '60', MAX_QUERY_DEPTH: '4', MAX_ALIASES: '2' } });

const ids = (n: number, offset = 0) => stack.emulator.data.builds.slice(offset, offset + n).map((build) => build.id);

describe('fan-out limits', () => {
  it('answers a list within the cap', async () => {
    const response = await stack.query(`query($ids: [ID!]!) { builds(ids: $ids) { id } }`, { ids: ids(40) });
    expect(response.errors).toBeUndefined();
  });

  it('refuses a list argument over the cap with BAD_USER_INPUT before any upstream call', async () => {
    const response = await stack.query(`query($ids: [ID!]!) { builds(ids: $ids) { id } }`, { ids: ids(41) });
    expect(response.data ?? null).toBeNull();
    expect(response.errors).toMatchObject([{ extensions: { code: 'BAD_USER_INPUT' } }]);
    expect(response.errors![0]!.message).toMatch(/builds\(ids:\) carries 41 keys; at most 40/);
    expect(stack.emulator.calls.count('codebuild')).toBe(0);
  });

  it('leaves a missing variable to execution, which reports it as BAD_USER_INPUT (not a crash)', async () => {
    const response = await stack.query(`query($ids: [ID!]!) { builds(ids: $ids) { id } }`);
    expect(response.errors).toMatchObject([{ extensions: { code: 'BAD_USER_INPUT' } }]);
    expect(response.errors![0]!.message).toMatch(/\$ids/);
  });

  it('counts _entities representations too', async () => {
    const representations = ids(41).map((id) => ({ __typename: 'Build', id }));
    const response = await stack.query(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Build { id } } }`, {
      r: representations,
    });
    expect(response.errors).toMatchObject([{ extensions: { code: 'BAD_USER_INPUT' } }]);
    expect(stack.emulator.calls.count('codebuild')).toBe(0);
  });

  it('adds up aliased root fields against the per-request cap', async () => {
    const response = await stack.query(`query($a: [ID!]!, $b: [ID!]!) { a: builds(ids: $a) { id } b: builds(ids: $b) { id } }`, {
      a: ids(31),
      b: ids(30, 31),
    });
    expect(response.errors).toMatchObject([{ extensions: { code: 'BAD_USER_INPUT' } }]);
    expect(response.errors![0]!.message).toMatch(/61 keys in all; at most 60/);
    expect(stack.emulator.calls.count('codebuild')).toBe(0);
  });
});

describe('query shape limits', () => {
  const id = () => stack.emulator.data.builds[0]!.id;

  it('allows a query within the depth limit', async () => {
    const response = await stack.query(`query($id: ID!) { build(id: $id) { logs { s3Logs { status } } } }`, { id: id() });
    expect(response.errors).toBeUndefined();
  });

  it('refuses a deeper query before execution', async () => {
    const response = await stack.query(`query($id: ID!) { build(id: $id) { environment { dockerServer { status { message } } } } }`, {
      id: id(),
    });
    expect(response.errors).toMatchObject([{ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }]);
    // Read as the limit it is, not as graphql-armor's "Syntax Error: …" (the document parsed fine).
    expect(response.errors![0]!.message).toMatch(/^Query depth limit of 4 exceeded, found \d+\.$/);
    expect(stack.emulator.calls.count('codebuild')).toBe(0);
  });

  it('refuses too many aliases', async () => {
    const response = await stack.query(`query($id: ID!) { a: build(id: $id) { id } b: build(id: $id) { id } c: build(id: $id) { id } }`, {
      id: id(),
    });
    expect(response.errors).toMatchObject([{ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }]);
    expect(response.errors![0]!.message).toBe('Aliases limit of 2 exceeded, found 3.');
    expect(stack.emulator.calls.count('codebuild')).toBe(0);
  });

  it('counts aliases of __typename too (graphql-armor would let them through)', async () => {
    expect((await stack.query('{ a: __typename b: __typename }')).errors).toBeUndefined();
    const response = await stack.query('{ a: __typename b: __typename c: __typename }');
    expect(response.errors).toMatchObject([
      { message: 'Aliases limit of 2 exceeded, found 3.', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
    ]);
  });
});
