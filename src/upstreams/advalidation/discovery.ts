/**
 * Advalidation's collections as list sources for src/discovery/connection.ts: campaigns, and the
 * creatives of one campaign. Advalidation pages by number (1-based, a page size the server
 * fixes), so the continuation is the next page number, and there is no page-size parameter to
 * send (`maxResults` stays undefined): listConnection slices the page for `first` and keeps the
 * offset in its cursor. Every page is one GET through the client's gate (the same pace and
 * allowance as scans), reported like a batch call for metrics, the request's log line and its
 * trace.
 */
import type { LoaderScope } from '../module.js';
import type { Continuation, ListSource, UpstreamPage } from '../../discovery/connection.js';
import { badUserInput, notFound, quote, toSubgraphError, type ErrorCode } from '../../errors.js';
import { failureKindOf } from '../../reliability/failure-kinds.js';
import {
  ADVALIDATION,
  type AdvalidationCampaign,
  type AdvalidationCreative,
  type AdvalidationLists,
  type AdvalidationPage,
} from './model.js';

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

/**
 * A request's list calls, each reported as the batch calls are (`scope.onCall`: the upstream
 * calls metric and the request's log line; `scope.traceCall`: a call span the client's CLIENT
 * span nests under). Group `''`: Advalidation has no regions. Size: the items the page held;
 * the server fixes the page size and does not say it, so the page is its own limit (fill 1).
 */
export function reportedLists(lists: AdvalidationLists, scope: LoaderScope): AdvalidationLists {
  async function reported<T extends AdvalidationPage<unknown>>(call: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const start = { upstream: ADVALIDATION.name, group: '', size: 1, maxBatchSize: 1 };
    const traced = scope.traceCall?.(start);
    const report = (outcome: 'ok' | ErrorCode, size: number) => {
      const event = { ...start, size, maxBatchSize: Math.max(size, 1), durationMs: performance.now() - started, outcome, shared: false };
      traced?.end(event);
      scope.onCall?.(event);
    };
    try {
      const result = await (traced ? traced.run(call) : call());
      report('ok', result.items.length);
      return result;
    } catch (error) {
      report(
        failureKindOf(error) === 'not-found' ? 'NOT_FOUND' : toSubgraphError(error, ADVALIDATION, undefined, { signal: scope.signal }).code,
        0,
      );
      throw error;
    }
  }
  return {
    listCampaigns: (page, signal) => reported(() => lists.listCampaigns(page, signal)),
    listCreatives: (campaignId, page, signal) => reported(() => lists.listCreatives(campaignId, page, signal)),
  };
}
