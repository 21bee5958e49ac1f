import { loadEach } from '../../batching/batch-loader.js';
import { withCacheHint, withCacheHints } from '../../cache-hints.js';
import type { Resolvers } from '../../generated/resolvers-types.js';

export const inspector2Resolvers: Resolvers = {
  Query: {
    findingDetail: (_root, { findingArn }, { loaders, cachePolicy }, info) =>
      withCacheHint(info, loaders.findingDetail.load(findingArn), () => cachePolicy.findingMaxAge),
    findingDetails: (_root, { findingArns }, { loaders, cachePolicy }, info) =>
      withCacheHints(info, loadEach(loaders.findingDetail, findingArns), () => cachePolicy.findingMaxAge),
  },
  FindingDetail: {
    __resolveReference: ({ findingArn }, { loaders, cachePolicy }, info) =>
      withCacheHint(info, loaders.findingDetail.load(findingArn), () => cachePolicy.findingMaxAge),
  },
};
