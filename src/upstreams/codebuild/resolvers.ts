import { loadEach } from '../../batching/batch-loader.js';
import { withCacheHint, withCacheHints, type CachePolicy } from '../../cache-hints.js';
import type { Resolvers } from '../../generated/resolvers-types.js';
import type { Build } from './client.js';

/** A completed build never changes again; a running one changes every few seconds. */
const maxAge = (policy: CachePolicy) => (build: Build) => (build.buildComplete ? policy.settledMaxAge : policy.activeMaxAge);

export const codebuildResolvers: Resolvers = {
  Query: {
    build: (_root, { id }, { loaders, cachePolicy }, info) => withCacheHint(info, loaders.build.load(id), maxAge(cachePolicy)),
    builds: (_root, { ids }, { loaders, cachePolicy }, info) => withCacheHints(info, loadEach(loaders.build, ids), maxAge(cachePolicy)),
  },
  Build: {
    __resolveReference: (reference, { loaders, cachePolicy }, info) => withCacheHint(info, loaders.build.load(reference.id), maxAge(cachePolicy)),
  },
};
