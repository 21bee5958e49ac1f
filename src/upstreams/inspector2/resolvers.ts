import type DataLoader from 'dataloader';
import type { Resolvers } from '../../generated/resolvers-types.js';
import type { UpstreamContext } from '../../request-context.js';
import { entityResolvers } from '../entity-resolvers.js';
import type { FindingDetail } from './client.js';

/** This upstream's per-request loaders (created by its index.ts): what its resolvers read. */
export interface Inspector2Loaders {
  findingDetail: DataLoader<string, FindingDetail, string>;
}

type Inspector2Context = UpstreamContext<Inspector2Loaders>;

const findingDetails = entityResolvers({
  loader: (context: Inspector2Context) => context.loaders.findingDetail,
  maxAge: (policy) => () => policy.findingMaxAge,
});

export const inspector2Resolvers: Resolvers<Inspector2Context> = {
  Query: {
    findingDetail: findingDetails.one(({ findingArn }: { findingArn: string }) => findingArn),
    findingDetails: findingDetails.many(({ findingArns }: { findingArns: readonly string[] }) => findingArns),
  },
  FindingDetail: {
    __resolveReference: findingDetails.reference(({ findingArn }: { findingArn: string }) => findingArn),
  },
};
