/**
 * The registry of upstream APIs: the one list of them. Everything else that depends on the set
 * of upstreams - their names, the per-request loaders' type, the configuration sections, the
 * process-wide APIs, the resolvers, the metric labels - is derived from it. Adding an upstream
 * is a folder shaped like `codebuild/` (see module.ts), its SDL file in schema/, and one entry here.
 */
import { SharedCalls } from '../batching/shared-calls.js';
import type { CoreConfig } from '../config/core.js';
import { CircuitRegistry } from '../reliability/circuit-breaker.js';
import { advalidation } from './advalidation/index.js';
import { codebuild } from './codebuild/index.js';
import { codeguruSecurity } from './codeguru-security/index.js';
import { inspector2 } from './inspector2/index.js';
import type { AnyUpstreamModule, LoaderScope, SharedSettings, UpstreamDependencies } from './module.js';

export const UPSTREAMS = [codebuild, codeguruSecurity, inspector2, advalidation] as const;

export type UpstreamModules = readonly AnyUpstreamModule[];
type Registered = typeof UPSTREAMS;

/** The upstreams' stable names (`extensions.upstream`, the metric `api` label). */
export type UpstreamName = Registered[number]['identity']['name'];

type UnionToIntersection<U> = (U extends unknown ? (value: U) => void : never) extends (value: infer I) => void ? I : never;

/** Per-request loaders of these modules: their caches live and die with one GraphQL request. */
export type LoadersOf<M extends UpstreamModules> = UnionToIntersection<ReturnType<M[number]['createLoaders']>> & object;
/** Each module's settings, under its key: the upstream sections of Config. */
export type SettingsOf<M extends UpstreamModules> = { [Module in M[number] as Module['key']]: ReturnType<Module['settings']> };
/** Each module's process-wide API, under its key. */
export type ApisOf<M extends UpstreamModules> = { [Module in M[number] as Module['key']]: ReturnType<Module['createApi']> };

export type Loaders = LoadersOf<Registered>;
export type UpstreamSettings = SettingsOf<Registered>;

/**
 * Process-wide APIs: connection pools, credentials, retry state and limiters are shared. Data
 * is not, with one deliberate exception: Advalidation scans that can no longer change, and GETs
 * in flight, keyed by endpoint and API-key fingerprint (see advalidation/client.ts).
 */
export type Upstreams<M extends UpstreamModules = Registered> = ApisOf<M> & {
  /** The modules these APIs are of: the schema's resolvers and each request's loaders come from them. */
  readonly modules: M;
  /** The circuit of each upstream (and Inspector region), for /health. */
  readonly circuits: CircuitRegistry;
  /**
   * The cross-request window shareable loaders send their calls through (undefined with
   * BATCH_SHARING=off). It shares calls, never data: each request gets the answers to its own keys.
   */
  readonly sharedCalls: SharedCalls | undefined;
};

/** What createUpstreams reads of Config: the circuit settings, the shared settings and each module's section. */
export type UpstreamsConfig<M extends UpstreamModules> = Pick<CoreConfig, 'circuitBreaker' | 'batching'> & SharedSettings & SettingsOf<M>;

const RESERVED = new Set(['modules', 'circuits', 'sharedCalls']);

/** Names and keys must be unique (they key errors, metrics, config sections and API slots). */
export function assertUniqueModules(modules: UpstreamModules): void {
  const seen = new Set<string>();
  for (const { identity, key } of modules) {
    for (const id of [`name ${identity.name}`, `key ${key}`]) {
      if (seen.has(id)) throw new Error(`Two upstream modules share the ${id}: each must have its own.`);
      seen.add(id);
    }
    if (RESERVED.has(key)) throw new Error(`The upstream key "${key}" is reserved.`);
  }
}

export function createUpstreams<M extends UpstreamModules = Registered>(
  config: UpstreamsConfig<M>,
  { logger, metrics }: Omit<UpstreamDependencies, 'circuits' | 'shared'>,
  modules: M = UPSTREAMS as unknown as M,
): Upstreams<M> {
  assertUniqueModules(modules);
  const circuits = new CircuitRegistry(config.circuitBreaker, ({ api, region, state }) => {
    metrics?.setCircuitState(api, region, state);
    if (state !== 'closed')
      logger.warn({ upstream: api, region, circuit: state }, 'upstream circuit not closed: its calls fail fast until a probe succeeds');
  });
  metrics?.registerUpstreams(modules.map((module) => module.identity.name));
  const deps: UpstreamDependencies = { logger, metrics, circuits, shared: { aws: config.aws, awsProfile: config.awsProfile } };
  const sections = config as unknown as Record<string, unknown>;
  const apis = Object.fromEntries(modules.map((module) => [module.key, module.createApi(sections[module.key], deps)]));
  // Process metrics count the calls this window really sends; each request still sees its own share (src/context.ts).
  const sharedCalls = config.batching.sharing
    ? new SharedCalls({ windowMs: config.batching.windowMs, onCall: (event) => metrics?.recordCall(event) })
    : undefined;
  return { ...apis, modules, circuits, sharedCalls } as Upstreams<M>;
}

/** One request's loaders, from every module's (the only place they are made; see src/context.ts). */
export function createLoaders<M extends UpstreamModules>(upstreams: Upstreams<M>, scope: Omit<LoaderScope, 'shared'>): LoadersOf<M> {
  const apis = upstreams as unknown as Record<string, unknown>;
  const withSharing: LoaderScope = { ...scope, shared: upstreams.sharedCalls };
  // One namespace for every module's loaders: a name two modules chose would silently hand one
  // module's resolvers the other's loaders, so it stops the request instead.
  const loaders: Record<string, unknown> = {};
  for (const module of upstreams.modules) {
    for (const [name, loader] of Object.entries(module.createLoaders(apis[module.key], withSharing) as Record<string, unknown>)) {
      if (name in loaders)
        throw new Error(`Two upstream modules name a loader "${name}": prefix it with the module's key (${module.key}).`);
      loaders[name] = loader;
    }
  }
  return loaders as LoadersOf<M>;
}

/** Where each module's calls go, for the start-up log (what its clients really use; no secrets). */
export async function describeUpstreams(
  config: UpstreamsConfig<UpstreamModules>,
  modules: UpstreamModules = UPSTREAMS,
): Promise<Record<string, string>> {
  const sections = config as unknown as Record<string, unknown>;
  const shared = { aws: config.aws, awsProfile: config.awsProfile };
  return Object.fromEntries(
    await Promise.all(modules.map(async (module) => [module.key, await module.describe(sections[module.key], shared)] as const)),
  );
}
