import type DataLoader from 'dataloader';
import type { GraphQLResolveInfo } from 'graphql';
import { restrictMaxAge, type CachePolicy } from '../../cache-hints.js';
import type { Resolvers } from '../../generated/resolvers-types.js';
import type { UpstreamContext } from '../../request-context.js';
import { selectsField } from '../../graphql/selections.js';
import { entityResolvers } from '../entity-resolvers.js';
import { listConnection, type ConnectionArgs } from '../../discovery/connection.js';
import { isTerminal, type AdvalidationLists, type Scan } from './client.js';
import { campaignIdProblem, campaignSource, creativeSource, LIST_CAMPAIGNS, LIST_CREATIVES } from './discovery.js';
import type { ScanKey } from './loader.js';
import { ADVALIDATION } from './model.js';

/** This upstream's per-request loaders (created by its index.ts): what its resolvers read. */
export interface AdvalidationLoaders {
  scan: DataLoader<ScanKey, Scan, string>;
  /** This request's list calls (its queue at the gate, and its deadline); listConnection memoizes and observes the pages. */
  advalidationLists: AdvalidationLists;
}

type AdvalidationContext = UpstreamContext<AdvalidationLoaders>;

/** A finished, failed or cancelled scan never changes; a queued or running one does. */
const maxAge = (policy: CachePolicy) => (scan: Scan) => (isTerminal(scan) ? policy.settledMaxAge : policy.activeMaxAge);

/** Only a query that selects `tests` on a Scan (through fragments, honouring @skip/@include) makes the heavier include_checks call. */
export const selectsTests = (info: GraphQLResolveInfo): boolean => selectsField(info, 'tests', 'Scan');

/**
 * A campaign's creatives, wherever they are asked (nested under a campaign or by campaign id):
 * one list, scoped by the campaign, so a cursor of one campaign's creatives is refused on
 * another's, and a bad campaign id is refused before any call.
 */
function creatives(context: AdvalidationContext, info: GraphQLResolveInfo, campaignId: string, args: ConnectionArgs) {
  const problem = campaignIdProblem(campaignId);
  if (problem) throw problem;
  return listConnection(
    context,
    info,
    {
      scope: `advalidation.campaignCreatives|${campaignId}`,
      upstream: ADVALIDATION,
      operation: LIST_CREATIVES,
      source: creativeSource(context.loaders.advalidationLists, campaignId),
      node: (creative) => creative,
    },
    args,
  );
}

const scans = entityResolvers({ loader: (context: AdvalidationContext) => context.loaders.scan, maxAge });

export const advalidationResolvers: Resolvers<AdvalidationContext> = {
  Query: {
    scan: scans.one(({ id }: { id: string }, info) => ({ id, withTests: selectsTests(info) })),
    scans: scans.many(({ ids }: { ids: readonly string[] }, info) => {
      const withTests = selectsTests(info);
      return ids.map((id) => ({ id, withTests }));
    }),
    // One list, no argument shapes it: its cursors are refused anywhere else.
    advalidationCampaigns: (_root, args, context, info) =>
      listConnection(
        context,
        info,
        {
          scope: 'advalidation.campaigns',
          upstream: ADVALIDATION,
          operation: LIST_CAMPAIGNS,
          source: campaignSource(context.loaders.advalidationLists),
          node: (campaign) => campaign,
        },
        args,
      ),
    advalidationCampaignCreatives: (_root, { campaignId, ...args }, context, info) => creatives(context, info, campaignId, args),
  },
  AdvalidationCampaign: {
    creatives: (campaign, args, context, info) => creatives(context, info, String(campaign.id), args),
  },
  AdvalidationCreative: {
    // Through the Scan loader: a page's creatives share its de-duplication and pacing, and a
    // scan selected elsewhere in the request costs no second GET.
    latestScan: (creative, _args, context, info) => {
      const id = creative.latestScanStatus?.id;
      if (id !== undefined && id !== null) return scans.load(context, { id: String(id), withTests: selectsTests(info) }, info);
      // Never scanned: a fact of the list page, cacheable as long as the page (an object field
      // with no hint would otherwise make the whole response no-store).
      restrictMaxAge(info, context.cachePolicy.listMaxAge);
      return null;
    },
  },
  Scan: {
    __resolveReference: scans.reference(({ id }: { id: unknown }, info) => ({ id: String(id), withTests: selectsTests(info) })),
  },
};
