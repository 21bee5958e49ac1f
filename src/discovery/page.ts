/** What an upstream's list operation looks like to the connections (src/discovery/connection.ts). */
import type { ErrorCode, UpstreamName } from '../errors.js';

/** The upstream's own continuation: a `nextToken` (AWS) or a page number (Advalidation). */
export type Continuation = string | number;

/** One answer of a list operation. `next` undefined: there is no page after it. */
export interface UpstreamPage<Item> {
  items: readonly Item[];
  next?: Continuation | undefined;
}

/** One upstream list operation, bound to its arguments (project, scan, filter, region, …). */
export interface ListSource<Item> {
  /**
   * One upstream call: the page at `token` (undefined = the first page). `limit` (at most
   * maxResults) is what to send as `maxResults`; an API without a page-size parameter leaves
   * maxResults undefined and ignores it.
   */
  fetch(token: Continuation | undefined, limit: number, signal: AbortSignal): Promise<UpstreamPage<Item>>;
  readonly maxResults?: number;
}

/** One list call as metrics and traces see it (no token, no argument: those are the caller's). */
export interface ListCallEvent {
  upstream: UpstreamName;
  /** The upstream's operation name (`ListBuildsForProject`, `GET /v2/campaigns`): a fixed set per upstream. */
  operation: string;
  items: number;
  durationMs: number;
  /** `CLIENT_CLOSED`: cut because the request's client went away. */
  outcome: 'ok' | ErrorCode | 'CLIENT_CLOSED';
  /** False when no request went out (an open circuit): traced and logged, never counted as a call. */
  sent: boolean;
}
