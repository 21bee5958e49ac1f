/**
 * Advalidation's collections as list sources for src/discovery/connection.ts: campaigns, and the
 * creatives of one campaign. Advalidation pages by number (1-based, a page size the server
 * fixes), so the continuation is the next page number, and there is no page-size parameter to
 * send (`maxResults` stays undefined): listConnection slices the page for `first` and keeps the
 * offset in its cursor. Every page is one GET through the client's gate (the same pace and
 * allowance as scans); listConnection times, traces and counts it under the operation names
 * below (the emulator's call log uses the same).
 */
import type { Continuation, ListSource, UpstreamPage } from '../../discovery/connection.js';
import { badUserInput, notFound, quote, toSubgraphError } from '../../errors.js';
import { failureKindOf } from '../../reliability/failure-kinds.js';
import {
  ADVALIDATION,
  type AdvalidationCampaign,
  type AdvalidationCreative,
  type AdvalidationLists,
  type AdvalidationPage,
} from './model.js';

/** How metrics and spans name the two list calls (Advalidation names no operations; these follow its docs' pages). */
export const LIST_CAMPAIGNS = 'ListCampaigns';
export const LIST_CREATIVES = 'ListCreatives';

/** Advalidation's campaign ids are positive integers, like its scan ids. */
const CAMPAIGN_ID = /^[1-9]\d{0,15}$/;

/** BAD_USER_INPUT for a campaign id that cannot exist (checked before any call), undefined for a good one. */
export function campaignIdProblem(id: unknown) {
  if (typeof id === 'string' && CAMPAIGN_ID.test(id)) return undefined;
  return badUserInput(
    `${typeof id === 'string' ? quote(id) : 'The value'} is not an Advalidation campaign id (a positive integer).`,
    ADVALIDATION,
  );
}

/** The page a continuation names: the first when there is none; listConnection only hands back what `next` said. */
function pageOf(token: Continuation | undefined): number {
  if (token === undefined) return 1;
  if (typeof token === 'number' && Number.isSafeInteger(token) && token >= 1) return token;
  throw badUserInput('The cursor does not name a page of this Advalidation list.', ADVALIDATION);
}

/**
 * One page as listConnection wants it. The next page is the one after while the server says
 * there are more; an empty page ends the list whatever it says, so a confused answer cannot
 * send the walk on through empty pages.
 */
function toUpstreamPage<Item>({ items, pagination }: AdvalidationPage<Item>, page: number): UpstreamPage<Item> {
  const more = items.length > 0 && pagination.page === page && page < pagination.totalPages;
  return more ? { items, next: page + 1 } : { items };
}

/** What a failed list call answers at its field: NOT_FOUND names what was missing, the rest is the vocabulary's. */
function listError(error: unknown, missing: string, subject: string, signal: AbortSignal) {
  if (!signal.aborted && failureKindOf(error) === 'not-found') return notFound(missing, ADVALIDATION);
  return toSubgraphError(error, ADVALIDATION, subject, { signal });
}

export function campaignSource(lists: AdvalidationLists): ListSource<AdvalidationCampaign> {
  return {
    async fetch(token, _limit, signal) {
      const page = pageOf(token);
      try {
        return toUpstreamPage(await lists.listCampaigns(page, signal), page);
      } catch (error) {
        throw listError(error, 'The Advalidation campaign list', `page ${page} of the campaigns`, signal);
      }
    },
  };
}

export function creativeSource(lists: AdvalidationLists, campaignId: string): ListSource<AdvalidationCreative> {
  return {
    async fetch(token, _limit, signal) {
      const problem = campaignIdProblem(campaignId);
      if (problem) throw problem;
      const page = pageOf(token);
      try {
        return toUpstreamPage(await lists.listCreatives(campaignId, page, signal), page);
      } catch (error) {
        throw listError(error, `Campaign ${quote(campaignId)}`, `page ${page} of the creatives of campaign ${quote(campaignId)}`, signal);
      }
    },
  };
}
