/**
 * The subgraph's own settings (listeners, logging, request budget, limits, caching, circuit
 * breaking), read from the environment given. No upstream's settings live here: each
 * upstream reads its own in its settings.ts.
 */
import type { CachePolicy } from '../cache-hints.js';
import { ConfigError, integer, oneOf, text, type Env } from './env.js';

/** `deny` (default): @requiresScopes fields only for requests carrying ROUTER_SECRET; `allow`: to anyone (src/sensitive-fields.ts). */
export type SensitiveFieldsPolicy = 'allow' | 'deny';

export interface CoreConfig {
  port: number;
  host: string;
  /** The Prometheus listener, apart from the public port (as Apollo Router does). */
  metricsPort: number;
  metricsHost: string;
  /** Connections the public listener accepts at once (server.maxConnections). */
  maxConnections: number;
  /** How long an idle keep-alive connection is kept open. */
  keepAliveTimeoutMs: number;
  logLevel: string;
  /** Each GraphQL request's time budget; upstream calls and their retries never outlive it. */
  requestTimeoutMs: number;
  /** Whether the SDL keeps its federation authorization directives (see SchemaOptions). */
  authorizationDirectives: 'keep' | 'strip';
  /** When set, /graphql answers only requests whose `router-authorization` header equals it. */
  routerSecret: string | undefined;
  /** CURSOR_SECRET: the key page cursors are signed with (src/discovery/cursor.ts); replicas behind one router share it. */
  cursorSecret: string | undefined;
  sensitiveFields: SensitiveFieldsPolicy;
  /**
   * INTROSPECTION=on|off: whether the schema answers introspection, and so whether GraphiQL is served
   * (it needs introspection for its docs and completion). Never derived from NODE_ENV.
   */
  introspection: boolean;
  /** A header (lower case) in which a router may send its remaining budget in ms; it can only shorten ours. */
  deadlineHeader: string;
  /** Circuit breaking per upstream (and Inspector region); see src/reliability/circuit-breaker.ts. */
  circuitBreaker: { failureThreshold: number; halfOpenAfterMs: number };
  batching: {
    /**
     * BATCH_SHARING=on|off: whether lookups of concurrent requests share upstream calls (the
     * process-wide window of src/batching/shared-calls.ts). Off, each request makes its own calls.
     */
    sharing: boolean;
    /** BATCH_WINDOW_MS: how long keys wait for other requests' while a call of their group is in flight (0 = never longer than the next turn). */
    windowMs: number;
  };
  /** Cache hints by entity state (seconds). */
  cache: CachePolicy;
  limits: {
    /** Keys one list argument (ids, identifiers, findingArns, _entities representations) may carry. */
    maxKeysPerList: number;
    /** Keys all root fields of one operation may carry together. */
    maxKeysPerRequest: number;
    /** Deepest selection allowed. */
    maxDepth: number;
    /** Most aliases in one operation. */
    maxAliases: number;
    /** Most lexical tokens in one document: parsing stops past it, so validation never sees a huge one. */
    maxTokens: number;
    /** Highest estimated cost (src/graphql/query-cost.ts) an operation may have; refused before it runs. */
    maxQueryCost: number;
    /** Largest JSON answer sent; a bigger one is replaced by an error. */
    maxResponseBytes: number;
  };
}

export function loadCoreConfig(env: Env): CoreConfig {
  if (env.BATCH_CONCURRENCY !== undefined) {
    // Silently ignoring it would lift the cap an operator believes is there: say what replaced it.
    throw new ConfigError(
      'BATCH_CONCURRENCY is no longer read: all calls of one request run at once, bounded per API across all requests by AWS_MAX_CONCURRENT_CALLS (and Advalidation by its own gate). Remove it.',
    );
  }
  return {
    port: integer(env, 'PORT', 4001, 0, 65535),
    host: env.HOST?.trim() || '0.0.0.0',
    metricsPort: integer(env, 'METRICS_PORT', 9090, 0, 65535),
    metricsHost: env.METRICS_HOST?.trim() || '127.0.0.1',
    maxConnections: integer(env, 'MAX_CONNECTIONS', 1024, 1, 1_000_000),
    keepAliveTimeoutMs: integer(env, 'KEEP_ALIVE_TIMEOUT_MS', 5_000, 100, 600_000),
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
    requestTimeoutMs: integer(env, 'REQUEST_TIMEOUT_MS', 25_000, 100, 600_000),
    routerSecret: env.ROUTER_SECRET ? env.ROUTER_SECRET : undefined,
    cursorSecret: cursorSecret(env),
    authorizationDirectives: oneOf(env, 'AUTHORIZATION_DIRECTIVES', ['keep', 'strip'], 'keep'),
    sensitiveFields: oneOf(env, 'SENSITIVE_FIELDS', ['allow', 'deny'], 'deny'),
    // On by default: turning it off hides little on a subgraph, whose whole SDL the router reads
    // from `_service { sdl }` anyway; what keeps clients out is the network and ROUTER_SECRET,
    // which introspection queries need like any operation.
    introspection: oneOf(env, 'INTROSPECTION', ['on', 'off'], 'on') === 'on',
    deadlineHeader: (env.DEADLINE_HEADER?.trim() || 'x-request-timeout-ms').toLowerCase(),
    circuitBreaker: {
      failureThreshold: integer(env, 'CIRCUIT_BREAKER_FAILURES', 5, 0, 1000),
      halfOpenAfterMs: integer(env, 'CIRCUIT_BREAKER_HALF_OPEN_MS', 10_000, 50, 3_600_000),
    },
    batching: {
      sharing: oneOf(env, 'BATCH_SHARING', ['on', 'off'], 'on') === 'on',
      // Only while a call of the same upstream and group is in flight (under load); a lone request
      // never waits for it. At most 2 ms, which is what a lookup can then wait on top of the next turn.
      windowMs: integer(env, 'BATCH_WINDOW_MS', 2, 0, 2),
    },
    cache: {
      settledMaxAge: integer(env, 'CACHE_MAX_AGE_SETTLED', 86_400, 0, 31_536_000),
      activeMaxAge: integer(env, 'CACHE_MAX_AGE_ACTIVE', 5, 0, 86_400),
      findingMaxAge: integer(env, 'CACHE_MAX_AGE_FINDINGS', 300, 0, 86_400),
      listMaxAge: integer(env, 'CACHE_MAX_AGE_LISTS', 10, 0, 86_400),
    },
    limits: {
      maxKeysPerList: integer(env, 'MAX_KEYS_PER_LIST', 1000, 1, 100_000),
      maxKeysPerRequest: integer(env, 'MAX_KEYS_PER_REQUEST', 2000, 1, 1_000_000),
      maxDepth: integer(env, 'MAX_QUERY_DEPTH', 12, 2, 100),
      maxAliases: integer(env, 'MAX_ALIASES', 30, 0, 1000),
      // The largest legitimate documents are about 6,700 tokens (30 aliases, each with every field of a
      // build) and 8,000 with as many inline ids as MAX_QUERY_COST then allows; 10,000 leaves room and
      // keeps parse plus validation of the worst document that passes at a few hundred ms at most.
      // Introspection (GraphiQL's included) is under 1,000.
      maxTokens: integer(env, 'MAX_QUERY_TOKENS', 10_000, 1000, 1_000_000),
      // 1000 builds with every field cost 555,000 (about 7.8 MB of JSON): the largest answer one
      // list may carry. 750,000 admits it with room for a smaller list beside it (1000 full scans
      // cost 145,000) and refuses two of it (1,110,000). See src/graphql/query-cost.ts for the weights.
      maxQueryCost: integer(env, 'MAX_QUERY_COST', 750_000, 1, 1_000_000_000),
      // 32 MiB: four times the 7.8 MB of 1000 full builds; the cost limit refuses most bigger answers first.
      maxResponseBytes: integer(env, 'MAX_RESPONSE_BYTES', 32 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    },
  };
}

/** A short secret would make cursors forgeable by brute force: 32 characters at least (e.g. `openssl rand -hex 32`). */
function cursorSecret(env: Env): string | undefined {
  const secret = text(env, 'CURSOR_SECRET');
  if (secret !== undefined && secret.length < 32)
    throw new ConfigError('CURSOR_SECRET must be at least 32 characters (e.g. `openssl rand -hex 32`).');
  return secret;
}
