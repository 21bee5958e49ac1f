import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { buildSchema, parse, type GraphQLResolveInfo } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  listConnection,
  type Connection,
  MAX_LIST_CALLS_PER_CONNECTION,
  pageSize,
  type ListSource,
  type UpstreamPage,
} from '../../src/discovery/connection.js';
import { CursorCodec, cursorCodec, MAX_CURSOR_LENGTH } from '../../src/discovery/cursor.js';
import type { Continuation, ListCallEvent } from '../../src/discovery/page.js';
import { notFound, SubgraphError } from '../../src/errors.js';
import { queryCost } from '../../src/graphql/query-cost.js';
import type { BaseRequestContext } from '../../src/request-context.js';

/** The one paging contract every discovery field uses, over a list served by numbered tokens. */

const codec = () => new CursorCodec(randomBytes(32));

/** An upstream list of `total` items in pages of at most `pageMax` (its maxResults), or fixed pages when `fixed`. */
function upstream(total: number, pageMax: number, options: { fixed?: boolean; emptyPagesFirst?: number } = {}) {
  const calls: Array<{ token: Continuation | undefined; limit: number }> = [];
  const items = Array.from({ length: total }, (_, i) => `item-${i}`);
  let empties = options.emptyPagesFirst ?? 0;
  const source: ListSource<string> = {
    ...(options.fixed ? {} : { maxResults: pageMax }),
    fetch(token, limit) {
      calls.push({ token, limit });
      if (empties > 0 && token === undefined) {
        empties--;
        return Promise.resolve({ items: [], next: 'empty-1' });
      }
      if (typeof token === 'string' && token.startsWith('empty-')) {
        const n = Number(token.slice(6));
        return Promise.resolve(n < (options.emptyPagesFirst ?? 0) - 1 ? { items: [], next: `empty-${n + 1}` } : page(0));
      }
      const start = token === undefined ? 0 : Number(token);
      return Promise.resolve(page(start));
      function page(from: number): UpstreamPage<string> {
        const size = options.fixed ? pageMax : Math.min(limit, pageMax);
        const slice = items.slice(from, from + size);
        return { items: slice, ...(from + size < total ? { next: String(from + size) } : {}) };
      }
    },
  };
  return { source, calls, items };
}

function context(cursors = codec()): BaseRequestContext {
  return {
    requestId: 'r',
    upstreamCalls: [],
    signal: new AbortController().signal,
    logger: undefined as never,
    cachePolicy: { settledMaxAge: 1, activeMaxAge: 1, findingMaxAge: 1, listMaxAge: 10 },
    routerAuthenticated: false,
    cursors,
    listPages: new Map(),
    listCalls: [],
  };
}

const info = {} as GraphQLResolveInfo;
const resolved = (nodes: ReadonlyArray<string | Promise<string>>) => Promise.all(nodes.map((node) => Promise.resolve(node)));
const spec = (source: ListSource<string>, scope = 'test.list') => ({
  scope,
  upstream: { name: 'codebuild', label: 'CodeBuild' } as never,
  source,
  operation: 'ListThings',
  node: (item: string) => item,
});

/** Pages through everything, a fresh request per page (as a client does), and returns the items seen. */
async function pageAll(source: ListSource<string>, first: number, cursors: CursorCodec) {
  const seen: string[] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 1000; pages++) {
    const connection: Connection<string> = await listConnection(context(cursors), info, spec(source), { first, after });
    seen.push(...(await resolved(connection.nodes)));
    expect(connection.edges.map((edge) => edge.node)).toEqual(connection.nodes);
    if (!connection.pageInfo.hasNextPage) return seen;
    after = connection.pageInfo.endCursor;
  }
  throw new Error('did not end');
}

describe('pageSize', () => {
  it('defaults to 20 and takes 1..100, refusing anything else with BAD_USER_INPUT', () => {
    expect(pageSize(undefined)).toBe(20);
    expect(pageSize(null)).toBe(20);
    expect(pageSize(1)).toBe(1);
    expect(pageSize(100)).toBe(100);
    for (const bad of [0, -1, 101, 1.5, Number.NaN, 2 ** 31]) {
      expect(() => pageSize(bad)).toThrow(SubgraphError);
      try {
        pageSize(bad);
      } catch (error) {
        expect((error as SubgraphError).extensions.code).toBe('BAD_USER_INPUT');
      }
    }
  });
});

describe('CursorCodec', () => {
  it('round-trips tokens and page numbers, bound to the scope', () => {
    const cursors = codec();
    for (const position of [
      { token: undefined, offset: 0 },
      { token: 'eyJ0b2tlbiI6ICJhYmMifQ==', offset: 17 },
      { token: 3, offset: 24 },
    ]) {
      expect(cursors.decode('a', cursors.encode('a', position))).toEqual(position);
      expect(() => cursors.decode('b', cursors.encode('a', position))).toThrow(/not a cursor this field gave out/);
    }
  });

  it('refuses any edit, garbage, an over-long cursor and another key’s cursors', () => {
    const cursors = codec();
    const good = cursors.encode('s', { token: 'abc', offset: 1 });
    const refused = (cursor: string): void => void expect(() => cursors.decode('s', cursor)).toThrow(/not a cursor/);
    fc.assert(
      fc.property(fc.nat(good.length - 1), fc.string({ minLength: 1, maxLength: 1 }), (index, char) => {
        const edited = good.slice(0, index) + char + good.slice(index + 1);
        fc.pre(edited !== good);
        // Every other spelling is refused, spare bits and out-of-alphabet characters included.
        refused(edited);
      }),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (garbage) => {
        refused(garbage);
      }),
    );
    refused('');
    refused('.');
    // What Node's lenient decoder would take for the same bytes: one spelling only.
    for (const suffix of ['%', '==', '=', ' ', '\n']) refused(good + suffix);
    refused(good.slice(0, -1) + (good.endsWith('A') ? 'B' : 'A'));
    refused(`${'a'.repeat(MAX_CURSOR_LENGTH)}.x`);
    refused(codec().encode('s', { token: 'abc', offset: 1 }));
  });

  it('derives one key from CURSOR_SECRET or ROUTER_SECRET, so replicas accept each other’s cursors', () => {
    const secret = { cursorSecret: 'x'.repeat(32) };
    expect(cursorCodec(secret).decode('s', cursorCodec(secret).encode('s', { token: 't', offset: 2 }))).toEqual({ token: 't', offset: 2 });
    const router = { routerSecret: 'router-secret' };
    expect(cursorCodec(router).decode('s', cursorCodec(router).encode('s', { token: 't', offset: 2 }))).toEqual({ token: 't', offset: 2 });
    expect(() => cursorCodec({}).decode('s', cursorCodec({}).encode('s', { token: 't', offset: 2 }))).toThrow(/not a cursor/);
    // Neither secret appears in a cursor.
    expect(Buffer.from(cursorCodec(router).encode('s', { token: 't', offset: 2 }), 'base64url').toString()).not.toContain('router');
  });
});

describe('listConnection', () => {
  it('yields every item exactly once, in order, for any page size and upstream page size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(230),
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 1, max: 100 }),
        fc.boolean(),
        async (total, first, pageMax, fixed) => {
          const { source, items } = upstream(total, pageMax, { fixed });
          expect(await pageAll(source, first, codec())).toEqual(items);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('asks for exactly what `first` needs: maxResults = first, one call when one page fills it', async () => {
    const { source, calls } = upstream(500, 100);
    const connection = await listConnection(context(), info, spec(source), { first: 20 });
    expect(connection.nodes).toHaveLength(20);
    expect(calls).toEqual([{ token: undefined, limit: 20 }]);
    expect(connection.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
  });

  it('continues inside a fixed upstream page with one call, and fetches the next page only when needed', async () => {
    const { source, calls } = upstream(250, 100, { fixed: true });
    const cursors = codec();
    const firstPage = await listConnection(context(cursors), info, spec(source), { first: 30 });
    expect(calls).toHaveLength(1);
    calls.length = 0;
    const second = await listConnection(context(cursors), info, spec(source), { first: 80, after: firstPage.pageInfo.endCursor });
    expect(await resolved(second.nodes)).toEqual(Array.from({ length: 80 }, (_, i) => `item-${30 + i}`));
    expect(calls.map((call) => call.token)).toEqual([undefined, '100']);
  });

  it('resumes from any edge’s cursor', async () => {
    const { source } = upstream(60, 25);
    const cursors = codec();
    const page = await listConnection(context(cursors), info, spec(source), { first: 40 });
    const from = await listConnection(context(cursors), info, spec(source), { first: 5, after: page.edges[12]!.cursor });
    expect(await resolved(from.nodes)).toEqual(['item-13', 'item-14', 'item-15', 'item-16', 'item-17']);
  });

  it('ends with hasNextPage false and an empty page past the end', async () => {
    const { source } = upstream(5, 100);
    const cursors = codec();
    const page = await listConnection(context(cursors), info, spec(source), { first: 5 });
    expect(page.pageInfo.hasNextPage).toBe(false);
    const past = await listConnection(context(cursors), info, spec(source), { first: 5, after: page.pageInfo.endCursor });
    expect(past.nodes).toEqual([]);
    expect(past.pageInfo.hasNextPage).toBe(false);
    const empty = await listConnection(context(cursors), info, spec(upstream(0, 100).source), { first: 5 });
    expect(empty.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null });
  });

  it('stops after a bounded number of calls on pages an upstream returns empty with a token, with a cursor to go on', async () => {
    const { source, calls, items } = upstream(10, 100, { emptyPagesFirst: 8 });
    const cursors = codec();
    const page = await listConnection(context(cursors), info, spec(source), { first: 5 });
    expect(calls).toHaveLength(MAX_LIST_CALLS_PER_CONNECTION);
    expect(page.nodes).toEqual([]);
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect(await pageAll(source, 5, cursors)).toEqual(items);
  });

  it('refuses a bad `first` or a cursor of another list before any call', async () => {
    const { source, calls } = upstream(50, 10);
    const cursors = codec();
    const other = await listConnection(context(cursors), info, spec(source, 'other.list'), { first: 3 });
    calls.length = 0;
    await expect(listConnection(context(cursors), info, spec(source), { first: 101 })).rejects.toThrow(/between 1 and 100/);
    await expect(listConnection(context(cursors), info, spec(source), { first: 3, after: other.pageInfo.endCursor })).rejects.toThrow(
      /not a cursor/,
    );
    await expect(listConnection(context(cursors), info, spec(source), { after: 'forged' })).rejects.toThrow(/not a cursor/);
    expect(calls).toEqual([]);
  });

  it('fetches one upstream page once per request, however many fields ask for it', async () => {
    const { source, calls } = upstream(50, 100, { fixed: true });
    const request = context();
    await Promise.all([
      listConnection(request, info, spec(source), { first: 5 }),
      listConnection(request, info, spec(source), { first: 30 }),
    ]);
    expect(calls).toHaveLength(1);
  });
});

describe('the cost of a connection', () => {
  const schema = buildSchema(`
    directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION
    type Query { things(first: Int = 20, after: String, tags: [String!]): ThingConnection! @listSize(slicingArguments: ["first"], sizedFields: ["edges", "nodes"], requireOneSlicingArgument: false) }
    type ThingConnection { edges: [ThingEdge!]! nodes: [Thing]! pageInfo: PageInfo! }
    type ThingEdge { cursor: String! node: Thing }
    type Thing { id: ID! name: String }
    type PageInfo { hasNextPage: Boolean! endCursor: String }
  `);
  const cost = (query: string, variables = {}) => queryCost(schema, parse(query), variables);

  it('counts `first` (or its default) items under edges and nodes, whatever other list arguments say', () => {
    // things 1 + nodes first × (1 + id 1 + name 1) + pageInfo (1 + 1)
    expect(cost('{ things(first: 50) { nodes { id name } pageInfo { hasNextPage } } }')).toBe(1 + 50 * 3 + 2);
    expect(cost('{ things { nodes { id name } } }')).toBe(1 + 20 * 3);
    // Over the maximum, the field refuses itself at execution: costed as a full page, not as 2^31 - 1 items.
    expect(cost('{ things(first: 2147483647) { nodes { id name } } }')).toBe(1 + 100 * 3);
    expect(cost('query($n: Int) { things(first: $n, tags: ["a","b","c"]) { edges { cursor node { id } } } }', { n: 100 })).toBe(
      1 + 100 * (1 + 1 + 2),
    );
    expect(cost('{ things(first: 10) { ...F } } fragment F on ThingConnection { ... on ThingConnection { nodes { id } } }')).toBe(
      1 + 10 * 2,
    );
  });
});

describe('list calls as metrics see them', () => {
  it('reports each upstream list call once, with its operation, items and outcome', async () => {
    const events: ListCallEvent[] = [];
    const request = { ...context(), onListCall: (event: ListCallEvent) => events.push(event) };
    const { source } = upstream(30, 100, { fixed: true });
    await listConnection(request, info, spec(source), { first: 5 });
    await listConnection(request, info, spec(source), { first: 6 });
    expect(events).toEqual([
      expect.objectContaining({ upstream: 'codebuild', operation: 'ListThings', items: 30, outcome: 'ok', sent: true }),
    ]);
    const failing: ListSource<string> = { fetch: () => Promise.reject(notFound('Project "x"')) };
    await expect(listConnection(request, info, spec(failing, 'failing'), {})).rejects.toThrow(/not found/i);
    expect(events[1]).toMatchObject({ operation: 'ListThings', items: 0, outcome: 'NOT_FOUND' });
  });
});
