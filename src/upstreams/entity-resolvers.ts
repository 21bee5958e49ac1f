/**
 * The three resolvers every entity of this subgraph has - a root field for one key, a root
 * field for a list of keys, and `__resolveReference` for `_entities` - made once from what
 * differs between upstreams: which loader, how arguments or a reference become keys, how long
 * an answer may be cached, and an optional check of each loaded entity against its key.
 *
 * One key answers its entity or throws (the error lands at the field's path); a list answers
 * one entry per key, a failed key's entry an Error (graphql-js puts it at that index). Cache
 * hints only ever lower the field's max-age (src/cache-hints.ts).
 */
import type DataLoader from 'dataloader';
import type { GraphQLResolveInfo } from 'graphql';
import { loadEach } from '../batching/batch-loader.js';
import { withCacheHint, withCacheHints, type CachePolicy } from '../cache-hints.js';
import type { SubgraphError } from '../errors.js';
import type { BaseRequestContext } from '../request-context.js';

export interface EntitySpec<Context extends BaseRequestContext, Key, Entity> {
  loader(context: Context): DataLoader<Key, Entity, string>;
  /** How long the entity may be cached, from its state (seconds). */
  maxAge(policy: CachePolicy): (entity: Entity) => number;
  /** A loaded entity that is still not the one its key asked for: the error to answer instead. */
  check?(key: Key, entity: Entity): SubgraphError | undefined;
}

export interface EntityResolvers<Context extends BaseRequestContext, Key, Entity> {
  /** A root field for one key, its key taken from the arguments (and selection). */
  one<Args>(
    keyOf: (args: Args, info: GraphQLResolveInfo) => Key,
  ): (root: unknown, args: Args, context: Context, info: GraphQLResolveInfo) => Promise<Entity>;
  /** A root field for a list of keys. */
  many<Args>(
    keysOf: (args: Args, info: GraphQLResolveInfo) => readonly Key[],
  ): (root: unknown, args: Args, context: Context, info: GraphQLResolveInfo) => Promise<Array<Entity | null>>;
  /** `__resolveReference`: the key taken from the representation (and selection). */
  reference<Reference>(
    keyOf: (reference: Reference, info: GraphQLResolveInfo) => Key,
  ): (reference: Reference, context: Context, info: GraphQLResolveInfo) => Promise<Entity>;
  /** One key from elsewhere (a field naming another entity), with the same checks and hints. */
  load(context: Context, key: Key, info: GraphQLResolveInfo): Promise<Entity>;
}

export function entityResolvers<Context extends BaseRequestContext, Key, Entity>(
  spec: EntitySpec<Context, Key, Entity>,
): EntityResolvers<Context, Key, Entity> {
  async function loadOne(context: Context, key: Key): Promise<Entity> {
    const entity = await spec.loader(context).load(key);
    const problem = spec.check?.(key, entity);
    if (problem) throw problem;
    return entity;
  }
  async function loadMany(context: Context, keys: readonly Key[]): Promise<Array<Entity | null>> {
    const loaded = await loadEach(spec.loader(context), keys);
    if (!spec.check) return loaded;
    // Entries that failed stay Error instances (see loadEach); a failed check becomes one.
    return loaded.map((entity, index) =>
      entity === null || entity instanceof Error
        ? entity
        : ((spec.check!(keys[index]!, entity) as unknown as Entity | undefined) ?? entity),
    );
  }
  const load = (context: Context, key: Key, info: GraphQLResolveInfo) =>
    withCacheHint(info, loadOne(context, key), spec.maxAge(context.cachePolicy));
  return {
    one: (keyOf) => (_root, args, context, info) => load(context, keyOf(args, info), info),
    many: (keysOf) => (_root, args, context, info) =>
      withCacheHints(info, loadMany(context, keysOf(args, info)), spec.maxAge(context.cachePolicy)),
    reference: (keyOf) => (reference, context, info) => load(context, keyOf(reference, info), info),
    load,
  };
}
