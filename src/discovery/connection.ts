/**
 * Relay-style connections over an upstream's list operation, the one way every discovery field
 * pages: `first` (default 20, 1..100) and `after` are checked before any call, the upstream is
 * asked for exactly what `first` needs (its `maxResults` when it has one, a further page only
 * when the first did not fill `first`), pages are memoized per request, and every cursor is
 * signed and bound to its list (src/discovery/cursor.ts).
 *
 * Nodes are whatever `node(item)` returns, typically a DataLoader's promise: the entities of
 * a page (and of every sibling page in the request) are fetched by the batching loaders, and a
 * failed one is null with its error at its own path.
 */
import type { GraphQLResolveInfo } from 'graphql';
import { restrictMaxAge } from '../cache-hints.js';
import { badUserInput, ErrorCode, SubgraphError, type UpstreamIdentity } from '../errors.js';
import { startListSpan } from '../observability/tracing.js';
import { abandonedByClient } from '../reliability/abort.js';
import { wasSent } from '../reliability/failure-kinds.js';
import type { BaseRequestContext } from '../request-context.js';
import type { CursorPosition } from './cursor.js';
import { trackListCall } from './list-settling.js';
import type { Continuation, ListCallEvent, ListSource, UpstreamPage } from './page.js';

export type { Continuation, ListCallEvent, ListSource, UpstreamPage } from './page.js';

export const DEFAULT_FIRST = 20;
export const MAX_FIRST = 100;
/**
 * Upstream calls one connection may make. `first` ≤ 100 needs at most two (the rest of one
 * page, then the next); the margin covers pages an upstream returns empty with a token
 * (Inspector does, under filters). Past it the page ends early, with a cursor to go on.
 */
export const MAX_LIST_CALLS_PER_CONNECTION = 5;

export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
}

export interface Edge<Node> {
  cursor: string;
  node: Node | Promise<Node>;
}

export interface PageInfo {
  hasNextPage: boolean;
  /** Always false: connections page forward only (`first`/`after`). */
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export interface Connection<Node> {
  edges: Array<Edge<Node>>;
  nodes: Array<Node | Promise<Node>>;
  pageInfo: PageInfo;
}

export interface ConnectionSpec<Item, Node> {
  /** The list and every argument that shapes it (`codebuild.projectBuilds|<project>|<order>`): a cursor is valid only here. */
  scope: string;
  upstream: UpstreamIdentity;
  source: ListSource<Item>;
  /** The upstream operation the source calls (`ListBuildsForProject`), for metrics and spans. */
  operation: string;
  node(item: Item): Node | Promise<Node>;
  /**
   * How long a node may be cached, from its state (an entity's own hint): the page is never
   * cached longer than its shortest-lived node. The node fields inherit the page's hint in the
   * SDL (`@cacheControl(inheritMaxAge: true)`), so this is where an entity's state lowers it.
   */
  maxAge?(node: Node): number;
}

/** The page size `first` asks for, or a BAD_USER_INPUT error. */
export function pageSize(first: number | null | undefined, upstream?: UpstreamIdentity): number {
  if (first === undefined || first === null) return DEFAULT_FIRST;
  if (!Number.isInteger(first) || first < 1 || first > MAX_FIRST) {
    throw badUserInput(`\`first\` must be between 1 and ${MAX_FIRST}, got ${String(first)}.`, upstream);
  }
  return first;
}

export async function listConnection<Item, Node>(
  context: BaseRequestContext,
  info: GraphQLResolveInfo,
  spec: ConnectionSpec<Item, Node>,
  args: ConnectionArgs,
): Promise<Connection<Node>> {
  const first = pageSize(args.first, spec.upstream);
  const start: CursorPosition =
    args.after === undefined || args.after === null
      ? { token: undefined, offset: 0 }
      : context.cursors.decode(spec.scope, args.after, spec.upstream);
  // A list changes as builds start and findings arrive: never cached for long.
  restrictMaxAge(info, context.cachePolicy.listMaxAge);

  const edges: Array<Edge<Node>> = [];
  let position = start;
  let hasNextPage = false;
  for (let calls = 0; ; calls++) {
    if (calls === MAX_LIST_CALLS_PER_CONNECTION) {
      hasNextPage = true;
      break;
    }
    const wanted = position.offset + first - edges.length;
    const limit = spec.source.maxResults === undefined ? wanted : Math.min(spec.source.maxResults, wanted);
    const page = await fetchPage(context, spec, position.token, limit);
    let index = position.offset;
    for (; index < page.items.length && edges.length < first; index++) {
      const after = positionAfter(position.token, index, page);
      edges.push({ cursor: context.cursors.encode(spec.scope, after), node: spec.node(page.items[index]!) });
    }
    const rest = index < page.items.length;
    position = positionAfter(position.token, index - 1, page);
    if (edges.length === first) {
      hasNextPage = rest || page.next !== undefined;
      break;
    }
    if (page.next === undefined) break;
  }
  if (spec.maxAge) await restrictByNodes(info, spec.maxAge, edges);
  const endCursor = edges.length > 0 || hasNextPage ? context.cursors.encode(spec.scope, position) : null;
  return {
    edges,
    nodes: edges.map((edge) => edge.node),
    pageInfo: { hasNextPage, hasPreviousPage: false, startCursor: edges[0]?.cursor ?? null, endCursor },
  };
}

/**
 * Lowers the page's cache hint to its shortest-lived node (a failed node adds none: errors are
 * not cached). The hint must be set while the connection field resolves (the field's policy is
 * settled when it returns), so the page waits for its nodes, which were all asked for at once
 * above: the same moment graphql-js would have waited for them.
 */
async function restrictByNodes<Node>(info: GraphQLResolveInfo, maxAge: (node: Node) => number, edges: Array<Edge<Node>>): Promise<void> {
  const settled = await Promise.allSettled(edges.map((edge) => edge.node));
  let lowest: number | undefined;
  for (const result of settled) if (result.status === 'fulfilled') lowest = Math.min(lowest ?? Infinity, maxAge(result.value));
  if (lowest !== undefined) restrictMaxAge(info, lowest);
}

/** Where the item after `index` of the page fetched with `token` is: the same page, or the next one's start. */
function positionAfter(token: Continuation | undefined, index: number, page: UpstreamPage<unknown>): CursorPosition {
  if (index + 1 < page.items.length || page.next === undefined) return { token, offset: Math.max(0, index + 1) };
  return { token: page.next, offset: 0 };
}

/** One upstream page per request, however many fields ask for it (the same project's builds twice cost one call). */
function fetchPage<Item>(
  context: BaseRequestContext,
  spec: ConnectionSpec<Item, unknown>,
  token: Continuation | undefined,
  limit: number,
): Promise<UpstreamPage<Item>> {
  // A page without a size parameter is the same page whatever `first` asked for.
  const size = spec.source.maxResults === undefined ? '' : String(limit);
  const key = `${spec.scope}\0${JSON.stringify(token ?? null)}\0${size}`;
  let page = context.listPages.get(key) as Promise<UpstreamPage<Item>> | undefined;
  if (page === undefined) {
    // Tracked so nodes that wait for the request's list calls (src/discovery/list-settling.ts) load together.
    page = trackListCall(
      context,
      spec.upstream.name,
      observed(context, spec, limit, () => spec.source.fetch(token, limit, context.signal)),
    );
    context.listPages.set(key, page);
  }
  return page;
}

/** One list call, timed, traced and reported with its outcome. */
async function observed<Item>(
  context: BaseRequestContext,
  spec: ConnectionSpec<Item, unknown>,
  pageSize: number,
  fetch: () => Promise<UpstreamPage<Item>>,
): Promise<UpstreamPage<Item>> {
  const started = performance.now();
  const span = context.trace && startListSpan(context.trace, { upstream: spec.upstream.name, operation: spec.operation, pageSize });
  const report = (outcome: ListCallEvent['outcome'], items: number, sent = true) => {
    span?.end({ outcome, items });
    context.onListCall?.({
      upstream: spec.upstream.name,
      operation: spec.operation,
      items,
      durationMs: performance.now() - started,
      outcome,
      sent,
    });
  };
  try {
    const page = await (span ? span.run(fetch) : fetch());
    report('ok', page.items.length);
    return page;
  } catch (error) {
    // The source may have mapped the failure already: whether a request went out is its cause's to say.
    const code = abandonedByClient(context.signal)
      ? 'CLIENT_CLOSED'
      : error instanceof SubgraphError
        ? error.code
        : ErrorCode.UPSTREAM_ERROR;
    report(code, 0, wasSent(error instanceof SubgraphError ? error.cause : error));
    throw error;
  }
}
