import { createHash } from 'node:crypto';
import type { Finding } from '@aws-sdk/client-inspector2';
import type { ListSource } from '../../discovery/connection.js';
import { toSubgraphError } from '../../errors.js';
import type { ListFindingsQuery } from './finding-filter.js';
import { INSPECTOR2, type Inspector2Api } from './model.js';

/** ListFindingsMaxResults: 1..100 per call (a page may still hold fewer, with a nextToken). */
export const LIST_FINDINGS_MAX_RESULTS = 100;

/**
 * The cursor scope of one list: region, filter and sort shape it, so a cursor is refused on any
 * other (Inspector's nextToken is bound to its query too). Hashed: a filter may be large.
 */
export function listFindingsScope(query: ListFindingsQuery): string {
  const shape = JSON.stringify([query.region, query.filterCriteria ?? null, query.sortCriteria ?? null]);
  return `inspector2.findings|${createHash('sha256').update(shape).digest('base64url')}`;
}

/** ListFindings pages of one region and query, as src/discovery/connection.ts reads them. */
export function listFindingsSource(api: Inspector2Api, query: ListFindingsQuery): ListSource<Finding> {
  return {
    maxResults: LIST_FINDINGS_MAX_RESULTS,
    async fetch(token, limit, signal) {
      try {
        const { findings, nextToken } = await api.listFindings(
          query.region,
          {
            maxResults: limit,
            ...(token !== undefined && { nextToken: String(token) }),
            ...(query.filterCriteria && { filterCriteria: query.filterCriteria }),
            ...(query.sortCriteria && { sortCriteria: query.sortCriteria }),
          },
          signal,
        );
        return { items: findings, ...(nextToken !== undefined && { next: nextToken }) };
      } catch (error) {
        throw toSubgraphError(error, INSPECTOR2, `the findings of ${query.region}`, { signal });
      }
    },
  };
}
