import type DataLoader from 'dataloader';
import type { GraphQLResolveInfo } from 'graphql';
import type { CachePolicy } from '../../cache-hints.js';
import type { Resolvers } from '../../generated/resolvers-types.js';
import type { UpstreamContext } from '../../request-context.js';
import { selectsField } from '../../graphql/selections.js';
import { entityResolvers } from '../entity-resolvers.js';
import { isTerminal, type Scan } from './client.js';
import type { ScanKey } from './loader.js';

/** This upstream's per-request loaders (created by its index.ts): what its resolvers read. */
export interface AdvalidationLoaders {
  scan: DataLoader<ScanKey, Scan, string>;
}

type AdvalidationContext = UpstreamContext<AdvalidationLoaders>;

/** A finished, failed or cancelled scan never changes; a queued or running one does. */
const maxAge = (policy: CachePolicy) => (scan: Scan) => (isTerminal(scan) ? policy.settledMaxAge : policy.activeMaxAge);

/** Only a query that selects `tests` on a Scan (through fragments, honouring @skip/@include) makes the heavier include_checks call. */
export const selectsTests = (info: GraphQLResolveInfo): boolean => selectsField(info, 'tests', 'Scan');

const scans = entityResolvers({ loader: (context: AdvalidationContext) => context.loaders.scan, maxAge });

export const advalidationResolvers: Resolvers<AdvalidationContext> = {
  Query: {
    scan: scans.one(({ id }: { id: string }, info) => ({ id, withTests: selectsTests(info) })),
    scans: scans.many(({ ids }: { ids: readonly string[] }, info) => {
      const withTests = selectsTests(info);
      return ids.map((id) => ({ id, withTests }));
    }),
  },
  Scan: {
    __resolveReference: scans.reference(({ id }: { id: unknown }, info) => ({ id: String(id), withTests: selectsTests(info) })),
  },
};
