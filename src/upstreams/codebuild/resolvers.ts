import type DataLoader from 'dataloader';
import type { GraphQLResolveInfo } from 'graphql';
import { loadEach } from '../../batching/batch-loader.js';
import { withCacheHint, withCacheHints, type CachePolicy } from '../../cache-hints.js';
import { notFound } from '../../errors.js';
import type { Resolvers } from '../../generated/resolvers-types.js';
import { looksLikeArn } from './build-arn.js';
import type { Build } from './client.js';
import { CODEBUILD } from './model.js';

/** A completed build never changes again; a running one changes every few seconds. */
const maxAge = (policy: CachePolicy) => (build: Build) => (build.buildComplete ? policy.settledMaxAge : policy.activeMaxAge);

type BuildLoader = DataLoader<string, Build, string>;

/**
 * The loader keys an ARN by the build id inside it, so a build asked by ARN must still be the
 * one that ARN names: an ARN of another account (or partition) with the same id is not it.
 */
const isNamedBy = (key: string, build: Build) => !looksLikeArn(key) || build.arn === undefined || build.arn === key;

async function loadBuild(loader: BuildLoader, key: string): Promise<Build> {
  const build = await loader.load(key);
  if (!isNamedBy(key, build)) throw notFound(`Build "${key}"`, CODEBUILD);
  return build;
}

/** One entry per key; failed items stay Error instances (see loadEach). */
async function loadBuilds(loader: BuildLoader, keys: readonly string[]): Promise<Array<Build | null>> {
  const loaded = await loadEach(loader, keys);
  return loaded.map((build, index) =>
    build === null || build instanceof Error || isNamedBy(keys[index]!, build) ? build : (notFound(`Build "${keys[index]}"`, CODEBUILD) as unknown as Build),
  );
}

/** A build named by another build's field: absent (or empty) means none, not an error. */
function relatedBuild(arn: string | undefined, loader: BuildLoader, policy: CachePolicy, info: GraphQLResolveInfo): Promise<Build> | null {
  return arn ? withCacheHint(info, loadBuild(loader, arn), maxAge(policy)) : null;
}

export const codebuildResolvers: Resolvers = {
  Query: {
    build: (_root, { id }, { loaders, cachePolicy }, info) => withCacheHint(info, loadBuild(loaders.build, id), maxAge(cachePolicy)),
    builds: (_root, { ids }, { loaders, cachePolicy }, info) => withCacheHints(info, loadBuilds(loaders.build, ids), maxAge(cachePolicy)),
  },
  Build: {
    __resolveReference: (reference, { loaders, cachePolicy }, info) => withCacheHint(info, loadBuild(loaders.build, reference.id), maxAge(cachePolicy)),
  },
  AutoRetryConfig: {
    nextAutoRetryBuild: (config, _args, { loaders, cachePolicy }, info) => relatedBuild(config.nextAutoRetry, loaders.build, cachePolicy, info),
    previousAutoRetryBuild: (config, _args, { loaders, cachePolicy }, info) => relatedBuild(config.previousAutoRetry, loaders.build, cachePolicy, info),
  },
};
