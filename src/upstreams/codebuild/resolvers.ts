import { loadEach } from '../../batching/batch-loader.js';
import type { Resolvers } from '../../generated/resolvers-types.js';

export const codebuildResolvers: Resolvers = {
  Query: {
    build: (_root, { id }, { loaders }) => loaders.build.load(id),
    builds: (_root, { ids }, { loaders }) => loadEach(loaders.build, ids),
  },
  Build: {
    __resolveReference: (reference, { loaders }) => loaders.build.load(reference.id),
  },
};
