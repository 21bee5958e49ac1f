import type { Scan } from '../../src/upstreams/advalidation/client.js';
import type { EmulatedApi, EmulatorRequest, EmulatorResponse, RouteResult } from '../core/route.js';
import { catalogOf, EMULATOR_PAGE_SIZE, type AdvalidationCatalog } from './catalog.js';
import { EMULATOR_API_KEY, FOREIGN_SCAN_IDS } from './data.js';

const PATH = /^\/v2\/scans\/([^/]+)$/;
const CAMPAIGNS = /^\/v2\/campaigns$/;
const CREATIVES = /^\/v2\/campaigns\/([^/]+)\/creatives$/;

export interface Allowance {
  /** Bucket size, as Advalidation's per-IP limit. */
  size: number;
  refillPerSecond: number;
}

export interface AdvalidationControls {
  /** Tightens or loosens the per-IP allowance (generous by default, so only tests that want it feel it). */
  setAllowance(allowance: Allowance): void;
  /** The campaigns and creatives served (derived from the seeded scans): what tests compare the lists against. */
  readonly catalog: AdvalidationCatalog;
}

/**
 * The per-IP token bucket. One for every caller of the emulator: several subgraph processes
 * pointed at it share it, as replicas behind one egress IP do.
 */
class Bucket {
  private allowance: Allowance = { size: 10_000, refillPerSecond: 10_000 };
  private tokens = this.allowance.size;
  private lastRefill = Date.now();

  get size(): number {
    return this.allowance.size;
  }

  reset(allowance: Allowance): void {
    this.allowance = allowance;
    this.tokens = allowance.size;
    this.lastRefill = Date.now();
  }

  take(): { ok: boolean; remaining: number } {
    this.refill();
    if (this.tokens < 1) return { ok: false, remaining: 0 };
    this.tokens -= 1;
    return { ok: true, remaining: Math.floor(this.tokens) };
  }

  /** What is left, without taking: for answers that cost nothing (injected faults). */
  peek(): number {
    this.refill();
    return Math.floor(this.tokens);
  }

  private refill(): void {
    const now = Date.now();
    this.tokens = Math.min(this.allowance.size, this.tokens + ((now - this.lastRefill) / 1000) * this.allowance.refillPerSecond);
    this.lastRefill = now;
  }
}

/** What a request asks for, read once: a scan (and whether with its checks), or a page of a collection. */
type Asked =
  | { kind: 'scan'; id: string; withChecks: boolean }
  | { kind: 'campaigns'; page: string | null }
  | { kind: 'creatives'; campaignId: string; page: string | null };

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function read(request: EmulatorRequest): Asked {
  const path = request.url.pathname;
  const page = request.url.searchParams.get('page');
  if (CAMPAIGNS.test(path)) return { kind: 'campaigns', page };
  const creatives = CREATIVES.exec(path);
  if (creatives) return { kind: 'creatives', campaignId: decoded(creatives[1]!), page };
  return {
    kind: 'scan',
    id: decoded(PATH.exec(path)?.[1] ?? ''),
    withChecks: request.url.searchParams.get('include_checks') === 'true',
  };
}

/** The call log's view: list calls name their operation as the docs' pages do, with the campaign and the page asked. */
const callOf = (asked: Asked) => {
  switch (asked.kind) {
    case 'scan':
      return { operation: asked.withChecks ? 'GetScan?include_checks' : 'GetScan', keys: [asked.id] };
    case 'campaigns':
      return { operation: 'ListCampaigns', keys: [`page=${asked.page ?? ''}`] };
    case 'creatives':
      return { operation: 'ListCreatives', keys: [asked.campaignId, `page=${asked.page ?? ''}`] };
  }
};

/** A 1-based page number as the request wrote it; absent means the first page. */
const PAGE = /^[1-9]\d{0,8}$/;

/**
 * Advalidation's `GET /v2/scans/{id}`: X-API-Key checked (401 otherwise), `{ data }` on success,
 * the `{ error: { responseCode, issues } }` envelope on 401/403/404/422, `tests` only for
 * finished scans asked with include_checks=true, and the per-IP limit: a token bucket whose
 * state is told in X-RateLimit-IPLimit / X-RateLimit-IPRemaining on every answer, 429 when
 * empty (in the error envelope) with the quirky `Retry-After: 15` the real service sends
 * whatever the wait. Its internal error is an HTML page, as non-JSON error bodies do occur.
 * Discovery: `GET /v2/campaigns?page=N` and `GET /v2/campaigns/{id}/creatives?page=N` answer
 * `{ meta: { pagination: { count, totalCount, page, totalPages } }, data: [...] }` (404 for an
 * unknown campaign), behind the same key check and bucket.
 */
export function emulateAdvalidation(scans: readonly Scan[]): EmulatedApi<AdvalidationControls> {
  const bucket = new Bucket();
  const catalog: AdvalidationCatalog = catalogOf(scans);
  const summaries = new Map(scans.map((scan) => [String(scan.id), JSON.stringify({ data: { ...scan, tests: undefined } })]));
  const full = new Map(scans.map((scan) => [String(scan.id), JSON.stringify({ data: scan })]));
  const rateHeaders = (remaining: number): Record<string, string> => ({
    'x-ratelimit-iplimit': String(bucket.size),
    'x-ratelimit-ipremaining': String(remaining),
  });
  // 429 in the documented error envelope, with the quirky Retry-After the real service sends whatever the wait.
  const tooManyRequests = (remaining: number): EmulatorResponse => ({
    status: 429,
    headers: { ...rateHeaders(remaining), 'retry-after': '15', 'content-type': 'application/json' },
    body: JSON.stringify({ error: { responseCode: 429, issues: [{ type: 'rate_limit_exceeded', message: 'Too many requests' }] } }),
  });
  const envelope = (
    status: number,
    type: string,
    message: string,
    extra: Record<string, string> = {},
    relatedField = 'scanId',
  ): EmulatorResponse => ({
    status,
    headers: { 'content-type': 'application/json', ...extra },
    body: JSON.stringify({ error: { responseCode: status, issues: [{ type, message, relatedField }] } }),
  });
  /**
   * One page of a collection in the documented envelope, pages of the server's fixed size; a
   * page past the last is empty (an inference: the docs do not say), a page that is not a
   * positive integer is a 422 naming the field.
   */
  const collection = <Item>(items: readonly Item[], page: string | null, rate: Record<string, string>): EmulatorResponse => {
    if (page !== null && !PAGE.test(page)) return envelope(422, 'invalid_page', 'page must be a positive integer', rate, 'page');
    const number = page === null ? 1 : Number(page);
    const data = items.slice((number - 1) * EMULATOR_PAGE_SIZE, number * EMULATOR_PAGE_SIZE);
    const pagination = {
      count: data.length,
      totalCount: items.length,
      page: number,
      totalPages: Math.max(1, Math.ceil(items.length / EMULATOR_PAGE_SIZE)),
    };
    return { status: 200, headers: { 'content-type': 'application/json', ...rate }, body: JSON.stringify({ meta: { pagination }, data }) };
  };
  const list = (asked: Exclude<Asked, { kind: 'scan' }>, rate: Record<string, string>): EmulatorResponse => {
    if (asked.kind === 'campaigns') return collection(catalog.campaigns, asked.page, rate);
    if (!/^\d+$/.test(asked.campaignId)) return envelope(422, 'invalid_campaign_id', 'campaignId must be an integer', rate, 'campaignId');
    const creatives = catalog.creatives.get(asked.campaignId);
    if (!creatives) return envelope(404, 'not_found', 'Requested resource or underlying resource was not found', rate, 'campaignId');
    return collection(creatives, asked.page, rate);
  };
  const handle = (request: EmulatorRequest): RouteResult => {
    const asked = read(request);
    const call = callOf(asked);
    // List calls draw from the same per-IP bucket as scans, behind the same key check.
    const { ok, remaining } = bucket.take();
    const rate = rateHeaders(remaining);
    if (!ok) return { response: tooManyRequests(0), call };
    if (request.headers['x-api-key'] !== EMULATOR_API_KEY)
      return { response: envelope(401, 'authentication_failed', 'Unable to authenticate user', rate), call };
    if (asked.kind !== 'scan') return { response: list(asked, rate), call };
    const { id, withChecks } = asked;
    if (!/^\d+$/.test(id)) return { response: envelope(422, 'invalid_scan_id', 'scanId must be an integer', rate), call };
    if (FOREIGN_SCAN_IDS.includes(id)) {
      return {
        response: envelope(
          403,
          'forbidden',
          'Currently authenticated user does not have permission to access or update requested object',
          rate,
        ),
        call,
      };
    }
    const body = (withChecks ? full : summaries).get(id);
    if (!body) return { response: envelope(404, 'not_found', 'Requested resource or underlying resource was not found', rate), call };
    return { response: { status: 200, headers: { 'content-type': 'application/json', ...rate }, body }, call };
  };
  return {
    route: {
      api: 'advalidation',
      matches: (request) => request.method === 'GET' && [PATH, CAMPAIGNS, CREATIVES].some((pattern) => pattern.test(request.url.pathname)),
      describe: (request) => callOf(read(request)),
      handle,
      // Injected faults are sporadic: the bucket is not charged, and the headers say what it really holds.
      throttled: () => tooManyRequests(bucket.peek()),
      internalError: () => ({
        status: 500,
        headers: { 'content-type': 'text/html', ...rateHeaders(bucket.peek()) },
        body: '<html><body><h1>500 Internal Server Error</h1></body></html>',
      }),
    },
    controls: { setAllowance: (allowance) => bucket.reset(allowance), catalog },
  };
}
