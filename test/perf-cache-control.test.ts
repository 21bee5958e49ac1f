import { ApolloServer, HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginInlineTrace } from '@apollo/server/plugin/inlineTrace';
import { isObjectType, type GraphQLFieldResolver, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restrictMaxAge, withCacheHints } from '../src/cache-hints.js';
import { cacheControlPlugin } from '../src/graphql/cache-control.js';

/**
 * src/graphql/cache-control.ts replaces Apollo's cacheControl plugin (which hooks every field):
 * every operation here is sent to a server with Apollo's plugin and to one with ours, over the
 * same SDL and resolvers, and the Cache-Control headers must be the same. The expected headers
 * are written out too, so that both cannot drift together unnoticed.
 */

const typeDefs = `#graphql
  enum CacheControlScope { PUBLIC PRIVATE }
  directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION
  type Query {
    item(age: Int!): Item
    items(ages: [Int]!): [Item]
    fixed: Fixed
    fieldHinted: Item @cacheControl(maxAge: 15)
    inheriting: Nested @cacheControl(inheritMaxAge: true)
    plain: String
    hintedScalar: String @cacheControl(maxAge: 40)
    privateThing: Priv
    node(kind: String!): Node @cacheControl(maxAge: 60)
    failing: Item
    sync(age: Int!): Item
  }
  type Item {
    id: ID!
    age: Int
    nested: Nested
    child: Child
    other(age: Int!): Item
    scalarHint: Int
    page: Page
  }
  # A connection that inherits (listConnection's restrictMaxAge on a nested field)
  type Page @cacheControl(inheritMaxAge: true) { nodes: [Item] @cacheControl(inheritMaxAge: true) }
  type Nested @cacheControl(inheritMaxAge: true) { value: String deeper: Nested }
  type Child { value: String }
  type Fixed @cacheControl(maxAge: 30) { value: String short: String @cacheControl(maxAge: 5) nested: Nested }
  type Priv @cacheControl(maxAge: 50, scope: PRIVATE) { value: String }
  interface Node { id: ID! }
  type A implements Node @cacheControl(maxAge: 100) { id: ID! a: Child }
  type B implements Node @cacheControl(maxAge: 20) { id: ID! b: String }
`;

interface ItemValue {
  id: string;
  age: number;
  child: { value: string } | null;
}
const item = (age: number): ItemValue => ({ id: `i${age}`, age, child: age % 2 === 0 ? { value: 'even' } : null });
const later = <V>(value: V) => new Promise<V>((resolve) => setTimeout(() => resolve(value), 1));

const resolvers = {
  Query: {
    // The entity pattern: load, then restrict by what came back (src/cache-hints.ts).
    item: async (_: unknown, { age }: { age: number }, __: unknown, info: GraphQLResolveInfo) => {
      const value = await later(item(age));
      restrictMaxAge(info, age);
      return value;
    },
    items: (_: unknown, { ages }: { ages: Array<number | null> }, __: unknown, info: GraphQLResolveInfo) =>
      withCacheHints(info, later(ages.map((age) => (age === null ? null : item(age)))), (value) => value.age),
    sync: (_: unknown, { age }: { age: number }, __: unknown, info: GraphQLResolveInfo) => {
      restrictMaxAge(info, age);
      return item(age);
    },
    fixed: () => ({ value: 'v', short: 's', nested: { value: 'n' } }),
    fieldHinted: () => item(8),
    inheriting: () => ({ value: 'n', deeper: { value: 'd' } }),
    plain: () => 'p',
    hintedScalar: () => 'h',
    privateThing: () => ({ value: 'secret' }),
    node: (_: unknown, { kind }: { kind: string }) => (kind === 'A' ? { __typename: 'A', id: 'a' } : { __typename: 'B', id: 'b', b: 'b' }),
    failing: () => Promise.reject(new Error('upstream down')),
  },
  Item: {
    nested: () => ({ value: 'n', deeper: { value: 'd' } }),
    other: async (_: unknown, { age }: { age: number }, __: unknown, info: GraphQLResolveInfo) => {
      restrictMaxAge(info, age);
      return later(item(age));
    },
    // A nested list page: the dynamic hint on a field that inherits, so not wrapped either.
    page: async (_: unknown, __: unknown, ___: unknown, info: GraphQLResolveInfo) => {
      const nodes = await later([item(100), item(200)]);
      restrictMaxAge(info, 11);
      return { nodes };
    },
    // A dynamic hint from a field our plugin does not wrap (a scalar).
    scalarHint: (parent: ItemValue, _: unknown, __: unknown, info: GraphQLResolveInfo) => {
      restrictMaxAge(info, 9);
      return parent.age;
    },
  },
  A: { a: () => ({ value: 'a' }) },
};

/** A plugin that sets a header first, as src/sensitive-fields.ts does. */
const presetHeader: ApolloServerPlugin = {
  async requestDidStart({ request }) {
    const preset = request.http?.headers.get('x-preset');
    return {
      async willSendResponse({ response }) {
        if (preset) response.http.headers.set('cache-control', preset);
      },
    };
  },
};

let apollos: ApolloServer;
let ours: ApolloServer;
beforeAll(async () => {
  apollos = new ApolloServer({ typeDefs, resolvers, plugins: [presetHeader] });
  ours = new ApolloServer({ typeDefs, resolvers, plugins: [presetHeader, ApolloServerPluginCacheControlDisabled(), cacheControlPlugin()] });
  await Promise.all([apollos.start(), ours.start()]);
});
afterAll(async () => {
  await Promise.all([apollos.stop(), ours.stop()]);
});

async function cacheControl(server: ApolloServer, query: string, headers: Record<string, string> = {}): Promise<string | undefined> {
  const map = new HeaderMap([['content-type', 'application/json'], ...Object.entries(headers)]);
  const response = await server.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: 'POST', headers: map, search: '', body: { query } },
    context: async () => ({}),
  });
  return response.headers.get('cache-control');
}

const CASES: Array<[name: string, query: string, expected: string, headers?: Record<string, string>]> = [
  ['a dynamic hint on a root field', '{ item(age: 60) { id age } }', 'max-age=60, public'],
  ['a synchronous resolver', '{ sync(age: 12) { id } }', 'max-age=12, public'],
  ['two root fields: the shorter', '{ a: item(age: 60) { id } b: item(age: 25) { id } }', 'max-age=25, public'],
  ['a list: the shortest item', '{ items(ages: [40, 10, 30]) { id } }', 'max-age=10, public'],
  ['a list with a null item', '{ items(ages: [40, null]) { id } }', 'max-age=40, public'],
  ['an empty list: no hint, root default 0', '{ items(ages: []) { id } }', 'no-store'],
  ['inheriting nested types', '{ item(age: 60) { nested { value deeper { value } } } }', 'max-age=60, public'],
  ['a composite type without a hint (resolved)', '{ item(age: 60) { child { value } } }', 'no-store'],
  ['a composite type without a hint, resolved to null', '{ item(age: 61) { child { value } } }', 'no-store'],
  ['a dynamic hint on a nested composite field', '{ item(age: 60) { other(age: 7) { id } } }', 'max-age=7, public'],
  ['a dynamic hint from an unwrapped scalar', '{ item(age: 60) { scalarHint } }', 'max-age=9, public'],
  [
    'a dynamic hint on a nested inheriting field (a list page)',
    '{ item(age: 60) { page { nodes { id nested { value } } } } }',
    'max-age=11, public',
  ],
  ['a type maxAge and a shorter field maxAge', '{ fixed { value short nested { value } } }', 'max-age=5, public'],
  ['a type maxAge alone', '{ fixed { value } }', 'max-age=30, public'],
  ['a field maxAge on a composite root field (its type has none)', '{ fieldHinted { id age } }', 'max-age=15, public'],
  ['a field maxAge, its child without a hint', '{ fieldHinted { child { value } } }', 'no-store'],
  ['an inheriting root field: the root default', '{ inheriting { value } }', 'no-store'],
  ['a root scalar without a hint', '{ plain }', 'no-store'],
  ['a root scalar with a hint', '{ hintedScalar }', 'max-age=40, public'],
  ['a PRIVATE type', '{ privateThing { value } hintedScalar }', 'max-age=40, private'],
  ['an abstract type: A', '{ node(kind: "A") { id ... on A { a { value } } ... on B { b } } }', 'no-store'],
  [
    'an abstract type: B (the fragment on A is not resolved)',
    '{ node(kind: "B") { id ... on A { a { value } } ... on B { b } } }',
    'max-age=60, public',
  ],
  ['an error', '{ item(age: 60) { id } failing { id } }', 'no-store'],
  ['__typename only', '{ __typename }', 'no-store'],
  ['a validation error', '{ nope }', 'no-store'],
  ['a cacheable header set before: the lower', '{ item(age: 60) { id } }', 'max-age=10, public', { 'x-preset': 'max-age=10, public' }],
  ['a cacheable header set before, longer', '{ item(age: 60) { id } }', 'max-age=60, private', { 'x-preset': 'max-age=90, private' }],
  ['no-store set before', '{ item(age: 60) { id } }', 'no-store', { 'x-preset': 'no-store' }],
  ['an unparsable header set before is left', '{ item(age: 60) { id } }', 'private, no-store', { 'x-preset': 'private, no-store' }],
];

describe('our Cache-Control = Apollo cacheControl plugin', () => {
  it.each(CASES)('%s', async (_name, query, expected, headers) => {
    const theirs = await cacheControl(apollos, query, headers);
    expect(await cacheControl(ours, query, headers)).toBe(theirs);
    expect(theirs).toBe(expected);
  });

  it('the same under concurrency: each request keeps its own policy', async () => {
    const ages = [5, 50, 500, 7, 70, 700];
    const answers = await Promise.all(ages.map((age) => cacheControl(ours, `{ item(age: ${age}) { other(age: ${age * 2}) { id } } }`)));
    expect(answers).toEqual(ages.map((age) => `max-age=${age}, public`));
  });
});

describe('ordinary requests are not instrumented per field', () => {
  const resolversOf = (schema: GraphQLSchema) => {
    const map = new Map<string, GraphQLFieldResolver<unknown, unknown> | undefined>();
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const [name, field] of Object.entries(type.getFields())) map.set(`${type.name}.${name}`, field.resolve);
    }
    return map;
  };
  const schemaOf = (server: ApolloServer) =>
    (
      server as unknown as { internals: { state: { schemaManager: { getSchemaDerivedData(): { schema: GraphQLSchema } } } } }
    ).internals.state.schemaManager.getSchemaDerivedData().schema;

  it("with Apollo's plugin every resolver is wrapped; with ours, an ordinary request leaves them as they were, an ftv1 one is traced", async () => {
    const traced = new ApolloServer({
      typeDefs,
      resolvers,
      plugins: [ApolloServerPluginInlineTrace(), ApolloServerPluginCacheControlDisabled(), cacheControlPlugin()],
    });
    await traced.start();
    try {
      const before = resolversOf(schemaOf(traced));
      expect(await cacheControl(traced, '{ item(age: 60) { id nested { value } } }')).toBe('max-age=60, public');
      const after = resolversOf(schemaOf(traced));
      expect([...after].filter(([coordinate, resolve]) => before.get(coordinate) !== resolve)).toEqual([]);
      // Nested.value has no resolver of its own: Apollo's plugin gives it a wrapper (the control: this check can fail).
      expect(after.get('Nested.value')).toBeUndefined();
      await cacheControl(apollos, '{ plain }');
      expect(resolversOf(schemaOf(apollos)).get('Nested.value')).toBeTypeOf('function');

      const map = new HeaderMap([
        ['content-type', 'application/json'],
        ['apollo-federation-include-trace', 'ftv1'],
      ]);
      const response = await traced.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: 'POST', headers: map, search: '', body: { query: '{ item(age: 60) { id } }' } },
        context: async () => ({}),
      });
      const body = response.body.kind === 'complete' ? (JSON.parse(response.body.string) as { extensions?: { ftv1?: string } }) : {};
      expect(body.extensions?.ftv1).toMatch(/^[A-Za-z0-9+/]+=*$/);
      expect(response.headers.get('cache-control')).toBe('max-age=60, public');
    } finally {
      await traced.stop();
    }
  });
});
