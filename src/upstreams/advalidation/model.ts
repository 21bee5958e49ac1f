import type { UpstreamIdentity } from '../../errors.js';

/** How errors, logs and metrics name Advalidation: `extensions.upstream`, the metric label, the message label. */
export const ADVALIDATION = { name: 'advalidation', label: 'Advalidation' } as const satisfies UpstreamIdentity;

// Scan, AdvalidationCheckResult and AdvalidationCheckResultAttribute are also what the object types
// of schema/advalidation.graphql resolve from (codegen.ts maps each type to the export of its name):
// the vendor's names with the upstream prefix, as the GraphQL types take them.

/** One attribute of a check (the vendor SDK's types). */
export interface AdvalidationCheckResultAttribute {
  name?: string | null;
  description?: string | null;
  value?: string | null;
}

/** One check of a scan (the vendor SDK's ApiCheckResult; the docs do not publish it). */
export interface AdvalidationCheckResult {
  name?: string | null;
  /** Raw as sent: strings, numbers, booleans or null occur. */
  value?: unknown;
  valueFormatted?: string | null;
  valuePhrase?: string | null;
  result?: string | null;
  attributes?: AdvalidationCheckResultAttribute[] | null;
  extended?: unknown;
}

/** Advalidation's Scan, as `GET /v2/scans/{id}` returns it in `data`. */
export interface Scan {
  id: number | string;
  createdAt?: string | null;
  updatedAt?: string | null;
  finishedAt?: string | null;
  sequenceType?: string | null;
  nbIssues?: number | null;
  processingStatus?: string | null;
  tests?: AdvalidationCheckResult[] | null;
  /** Only in the vendor SDK's types, not in the docs (UNCONFIRMED). */
  isInconclusive?: boolean | null;
  inconclusiveReason?: string | null;
}

/** Statuses after which a scan never changes again (documented set; finished-is-final is UNCONFIRMED). */
const TERMINAL = new Set(['finished', 'failed', 'cancelled']);

/** Whether a scan can no longer change: what cache hints and the shared cache rely on. */
export const isTerminal = (scan: Scan): boolean => TERMINAL.has(String(scan.processingStatus));

/** What the loader needs from Advalidation: one scan by id. */
export interface AdvalidationScans {
  getScan(id: string, withTests: boolean, signal: AbortSignal): Promise<Scan>;
}

/** One GraphQL request, as the gate sees it. */
export interface AdvalidationRequestScope {
  /** When the request's time budget ends (ms since epoch); unknown means no deadline-awareness. */
  deadline?: number | undefined;
}

/**
 * The process-wide client. `forRequest` gives one GraphQL request its own view, whose calls wait
 * in a queue of their own at the shared gate (served round-robin with other requests') and
 * know the request's deadline. `getScan` on the client itself gives each call a queue of its own.
 */
export interface AdvalidationApi extends AdvalidationScans, AdvalidationLists {
  forRequest(scope: AdvalidationRequestScope): AdvalidationScans & AdvalidationLists;
}

// Discovery: what the collections `GET /v2/campaigns` and `GET /v2/campaigns/{id}/creatives`
// return (https://advalidation.com/docs/data-model, …/get-campaigns-by-campaignid-creatives).
// Nullability is defensive where the docs leave it open; the vendor SDK's types mark parentId,
// previewAnimationURL, width, height, nbVariations, nbMediaFiles and latestScanStatus nullable.

/** A campaign as `GET /v2/campaigns` lists it: the docs name id, name and adspecId. */
export interface AdvalidationCampaign {
  id: number | string;
  name?: string | null;
  /** The ad specification the campaign's creatives are checked against. */
  adspecId?: number | string | null;
}

/** A creative's latest scan as the creative list embeds it ("Scan object with a status"): never its checks. */
export interface AdvalidationScanStatus {
  id: number | string;
  processingStatus?: string | null;
}

/** A creative as `GET /v2/campaigns/{id}/creatives` lists it. */
export interface AdvalidationCreative {
  id: number | string;
  campaignId?: number | string | null;
  name?: string | null;
  createdAt?: string | null;
  updatedAt?: string | null;
  /** Usually the id of the VAST container this creative belongs to. */
  parentId?: number | string | null;
  sourceType?: string | null;
  sourceTypeLabel?: string | null;
  shareURL?: string | null;
  livePreviewURL?: string | null;
  previewAnimationURL?: string | null;
  width?: number | null;
  height?: number | null;
  userId?: number | string | null;
  nbVariations?: number | null;
  /** "Not available in list mode": null in the list. */
  nbMediaFiles?: number | null;
  latestScanStatus?: AdvalidationScanStatus | null;
}

/** The `meta.pagination` of every Advalidation collection. */
export interface AdvalidationPagination {
  count: number;
  totalCount: number;
  page: number;
  totalPages: number;
}

/** One page of a collection: its items and where it stands. */
export interface AdvalidationPage<Item> {
  items: Item[];
  pagination: AdvalidationPagination;
}

/** The collections, one page (1-based) per call; each call counts against the same per-IP allowance as a scan. */
export interface AdvalidationLists {
  listCampaigns(page: number, signal: AbortSignal): Promise<AdvalidationPage<AdvalidationCampaign>>;
  listCreatives(campaignId: string, page: number, signal: AbortSignal): Promise<AdvalidationPage<AdvalidationCreative>>;
}

// The connections' shapes (src/discovery/connection.ts builds them; a node may still be loading).

export interface AdvalidationPageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export interface AdvalidationCampaignEdge {
  cursor: string;
  node: AdvalidationCampaign | Promise<AdvalidationCampaign>;
}

export interface AdvalidationCampaignConnection {
  edges: AdvalidationCampaignEdge[];
  nodes: Array<AdvalidationCampaign | Promise<AdvalidationCampaign>>;
  pageInfo: AdvalidationPageInfo;
}

export interface AdvalidationCreativeEdge {
  cursor: string;
  node: AdvalidationCreative | Promise<AdvalidationCreative>;
}

export interface AdvalidationCreativeConnection {
  edges: AdvalidationCreativeEdge[];
  nodes: Array<AdvalidationCreative | Promise<AdvalidationCreative>>;
  pageInfo: AdvalidationPageInfo;
}
