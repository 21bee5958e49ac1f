/**
 * The contract of one upstream API: everything the subgraph knows about an upstream comes
 * from its folder `src/upstreams/<api>/`, whose roles are fixed:
 *
 * - `model.ts`    its identity (name, label) and domain types (what GraphQL objects map to)
 * - `client.ts`   the process-wide API: SDK or HTTP client, limiter, retries
 * - `loader.ts`   its BatchSource: how keys become upstream calls (src/batching)
 * - `resolvers.ts` its root fields and entity references (src/upstreams/entity-resolvers.ts)
 * - `settings.ts` its configuration, read from the environment it is given
 * - `index.ts`    the UpstreamModule below, the one thing src/upstreams/registry.ts imports
 *
 * plus its SDL in `schema/<api>.graphql`. Adding an upstream is such a folder, its SDL file and
 * one line in the registry's list.
 */
import type { DocumentNode } from 'graphql';
import type { Logger } from 'pino';
import type { BatchOptions } from '../batching/batch-loader.js';
import type { SharedSettings } from '../config/aws.js';
import type { Env } from '../config/env.js';
import type { UpstreamIdentity } from '../errors.js';
import type { Resolvers } from '../generated/resolvers-types.js';
import type { EntityKeySpecs } from '../input/entities.js';
import type { Metrics } from '../observability/metrics.js';
import type { CircuitRegistry } from '../reliability/circuit-breaker.js';
import type { UpstreamContext } from '../request-context.js';

export type { SharedSettings };

/** What a module's process-wide API is built with, beside its own settings. */
export interface UpstreamDependencies {
  logger: Logger;
  metrics?: Metrics;
  /** Circuits wrap whole calls (after the client's retries), outside the limiters: an open one answers at once. */
  circuits: CircuitRegistry;
  shared: SharedSettings;
}

/** One GraphQL request, as its loaders see it. */
export interface LoaderScope extends BatchOptions {
  /** When the request's budget ends (ms since epoch): Advalidation answers THROTTLED at once for scans it cannot fetch before. */
  deadline?: number;
}

export interface UpstreamModule<Key extends string, Settings, Api, Loaders extends object> {
  /** How errors, logs and metrics name it (`extensions.upstream`, the `api` label, messages). */
  readonly identity: UpstreamIdentity;
  /** Its section of Config and its slot in Upstreams (camelCase). */
  readonly key: Key;
  /**
   * Its configuration, read ONLY from `env` (never process.env); anything missing or malformed
   * throws a ConfigError naming the variable, before a port is opened.
   */
  settings(env: Env, shared: SharedSettings): Settings;
  /** Once per process: clients, limiters, circuits (from deps). */
  createApi(settings: Settings, deps: UpstreamDependencies): Api;
  /** Once per GraphQL request: its DataLoaders (createBatchLoader), whose caches die with the request. */
  createLoaders(api: Api, scope: LoaderScope): Loaders;
  readonly resolvers: Resolvers<UpstreamContext<Loaders>>;
  /** Its entities' @key fields and key shapes, checked per `_entities` representation before any lookup (src/input/entities.ts). */
  readonly entities: EntityKeySpecs;
  /** Where its calls go, for the start-up log: what its clients really use, never a secret. */
  describe(settings: Settings, shared: SharedSettings): Promise<string>;
  /** SDL kept outside schema/ (a test fixture's); the product's modules keep theirs in schema/<api>.graphql. */
  readonly typeDefs?: DocumentNode;
}

// `any` where a list of modules of different types meets: each module is checked by defineUpstream.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyUpstreamModule = UpstreamModule<string, any, any, any>;

/** Checks a module against the contract and keeps its precise types for the registry. */
export function defineUpstream<Key extends string, Settings, Api, Loaders extends object>(
  module: UpstreamModule<Key, Settings, Api, Loaders>,
): UpstreamModule<Key, Settings, Api, Loaders> {
  return module;
}
