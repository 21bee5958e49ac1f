import type { Logger } from 'pino';
import type { AdvalidationConfig } from './settings.js';
import { withUpstreamSpan } from '../../observability/tracing-upstream.js';
import { withFailure, type Failure } from '../../reliability/failure-kinds.js';
import { abortReason, onAbort, raceAbort } from '../../reliability/abort.js';
import { RequestQueue, Ticket } from '../../reliability/gate.js';
import { withRetries } from '../../reliability/retry.js';
import { normaliseDates } from './dates.js';
import { keyWarnings } from './key-warnings.js';
import type {
  AdvalidationApi,
  AdvalidationCampaign,
  AdvalidationCreative,
  AdvalidationLists,
  AdvalidationPage,
  AdvalidationPagination,
  Scan,
} from './model.js';
import { createAdvalidationGate } from './pacing.js';
import { createScanCache } from './scan-cache.js';

export type {
  AdvalidationApi,
  AdvalidationRequestScope,
  AdvalidationScans,
  AdvalidationCheckResult,
  AdvalidationCampaign,
  AdvalidationCreative,
  AdvalidationLists,
  AdvalidationPage,
  Scan,
} from './model.js';
export { isTerminal } from './model.js';

/**
 * A failed Advalidation call, with the failure kind its HTTP status means: 401/403 forbidden,
 * 404 not-found, 422 bad-input (with the error envelope's issues, written by Advalidation for its
 * user, as the detail), 429 throttled, per-attempt timeouts attempt-timeout, no connection
 * unreachable, anything else failed. Like an SDK error it reports `$metadata`.
 */
export class AdvalidationError extends Error {
  override readonly name = 'AdvalidationError';
  readonly $metadata: { httpStatusCode?: number; attempts?: number };
  constructor(
    message: string,
    readonly status: number | undefined,
    failure: Failure,
  ) {
    super(message);
    this.$metadata = { httpStatusCode: status };
    withFailure(this, failure);
  }

  /** 429, 5xx, timeouts and network failures may succeed on another attempt; the rest will not. */
  get retryable(): boolean {
    return this.status === undefined || this.status === 429 || this.status >= 500;
  }
}

/** The failure an HTTP status means; only 404 and 422 are about the scan, and name no code of their own. */
function failureOfStatus(status: number, detail: string): Failure {
  if (status === 404) return { kind: 'not-found' };
  if (status === 422) return { kind: 'bad-input', detail };
  const upstreamCode = `HTTP_${status}`;
  if (status === 401 || status === 403) return { kind: 'forbidden', upstreamCode };
  if (status === 429) return { kind: 'throttled', upstreamCode };
  return { kind: 'failed', upstreamCode };
}

export interface AdvalidationDependencies {
  logger: Logger;
  onLimiterWait?: (seconds: number) => void;
  onRetry?: (reason: 'throttled' | 'transient') => void;
}

/**
 * A thin client on Node's fetch (the vendor's `advalidation` package has no get-by-id,
 * serializes every request, has no timeouts and retries only 429). Every attempt goes through
 * the process-wide gate (see pacing.ts); 429, 5xx, timeouts and network errors are retried by
 * the toolkit's policy with full-jitter backoff (the documented Retry-After is always 15, so it
 * is ignored); 401, 403, 404 and 422 are not. GETs in flight are shared and terminal scans
 * kept (see scan-cache.ts).
 */
/** The status of the last answer a call's attempts got (what its CLIENT span reports). */
interface StatusSeen {
  status?: number;
}

export function createAdvalidationApi(config: AdvalidationConfig, deps: AdvalidationDependencies): AdvalidationApi {
  const { gate, observe } = createAdvalidationGate(config, deps.onLimiterWait);
  const warnAboutKey = keyWarnings(deps.logger);
  // Named by route, as the HTTP conventions say: ids are keys and stay out of spans.
  const base = new URL(config.baseUrl);
  const spanAttributes = (template: string) => ({
    'http.request.method': 'GET',
    'url.template': template,
    'server.address': base.hostname,
    'server.port': Number(base.port) || (base.protocol === 'https:' ? 443 : 80),
  });
  const unreadableDate = (record: string, id: unknown) => (field: string, value: unknown) =>
    deps.logger.warn(
      { upstream: 'advalidation', [record]: preview(id), field, value: preview(value) },
      'Advalidation sent a date that cannot be read; it is served as null',
    );

  /**
   * One GET of `path` (under /v2): its parsed body on a 2xx, the marked AdvalidationError otherwise.
   * `seen` gets the status of the answer, for the call's span (a success carries none of its own).
   */
  async function get(path: string, signal: AbortSignal, seen?: StatusSeen): Promise<{ status: number; body: unknown }> {
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${config.baseUrl}/v2${path}`, {
        headers: { 'X-API-Key': config.apiKey, Accept: 'application/json' },
        // The body is read under the same signals: a stalled body is a timeout too.
        signal: AbortSignal.any([signal, AbortSignal.timeout(config.attemptTimeoutMs)]),
      });
      text = await response.text();
    } catch (error) {
      if (signal.aborted) throw error;
      // The cause is dropped on purpose: undici's messages can quote request headers.
      if ((error as { name?: unknown } | undefined)?.name === 'TimeoutError') {
        throw new AdvalidationError(`Advalidation did not answer within ${config.attemptTimeoutMs} ms.`, undefined, {
          kind: 'attempt-timeout',
        });
      }
      throw new AdvalidationError('Advalidation could not be reached.', undefined, { kind: 'unreachable' });
    }
    if (seen) seen.status = response.status;
    observe(response.headers.get('x-ratelimit-iplimit'), response.headers.get('x-ratelimit-ipremaining'), response.status);
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined; // An HTML error page: the status still says what happened.
    }
    if (response.ok) return { status: response.status, body };
    warnAboutKey(response.status);
    const rawIssues = (body as { error?: { issues?: unknown } } | undefined)?.error?.issues;
    const detail = (Array.isArray(rawIssues) ? rawIssues : [])
      .map((issue: { message?: unknown } | null) => issue?.message)
      .filter((message): message is string => typeof message === 'string' && message.length > 0)
      .join('; ');
    const message = detail || `Advalidation answered HTTP ${response.status}.`;
    throw new AdvalidationError(message, response.status, failureOfStatus(response.status, message));
  }

  async function attemptScan(id: string, withTests: boolean, signal: AbortSignal, seen?: StatusSeen): Promise<Scan> {
    const { status, body } = await get(`/scans/${encodeURIComponent(id)}${withTests ? '?include_checks=true' : ''}`, signal, seen);
    const data = (body as { data?: Scan } | undefined)?.data;
    if (!data || typeof data !== 'object' || Array.isArray(data)) {
      throw new AdvalidationError('Advalidation answered without a scan.', status, { kind: 'failed' });
    }
    // Before the DateTime scalar sees them: an odd date is null and a log line, never a failed scan.
    return normaliseDates(data, unreadableDate('scanId', id));
  }

  /**
   * One call under the gate with the toolkit's retries, in a CLIENT span named `route`. Each
   * attempt waits its turn at the gate in every queue of `ticket`, so it draws on the same
   * per-IP allowance, pace and concurrency cap as every other Advalidation call.
   */
  function withRetriesAtGate<T>(route: string, ticket: Ticket, signal: AbortSignal, attempt: (seen: StatusSeen) => Promise<T>): Promise<T> {
    const stamp = (error: unknown, attempts: number) => {
      if (error instanceof AdvalidationError) error.$metadata.attempts = attempts;
    };
    // The requests the gate let through and the last answer's status, for the span (the retry
    // policy stamps only failures).
    let sent = 0;
    const seen: StatusSeen = {};
    const retried = () =>
      withRetries(
        () =>
          gate.run(
            ticket,
            () => {
              sent += 1;
              return attempt(seen);
            },
            signal,
          ),
        {
          maxAttempts: config.maxAttempts,
          baseDelayMs: config.retryBaseDelayMs,
          maxDelayMs: 8_000,
          retryable: (error): error is AdvalidationError => error instanceof AdvalidationError && error.retryable,
          onRetry(error, attempts, delayMs) {
            deps.onRetry?.(error.status === 429 ? 'throttled' : 'transient');
            stamp(error, attempts);
            // Those whose budget this retry would outlast are answered now: THROTTLED after a 429
            // (the gate's deferral), the failure itself otherwise. When that was everyone, the
            // shared GET is abandoned and the backoff ends at once (aborted).
            gate.releaseLate(ticket, delayMs, error.status === 429 ? undefined : () => error);
          },
          onGiveUp: stamp,
        },
        signal,
      );
    return withUpstreamSpan(`GET ${route}`, spanAttributes(route), retried, (outcome) => {
      const status = 'error' in outcome ? (outcome.error instanceof AdvalidationError ? outcome.error.status : undefined) : seen.status;
      return status === undefined ? { attempts: sent } : { attempts: sent, status };
    });
  }

  const fetchWithRetries = (id: string, withTests: boolean, ticket: Ticket, signal: AbortSignal): Promise<Scan> =>
    withRetriesAtGate('/v2/scans/{id}', ticket, signal, (seen) => attemptScan(id, withTests, signal, seen));

  /** One page of a collection, read from the documented envelope; anything else is a failed call, not an empty page. */
  async function attemptPage<Item>(path: string, page: number, signal: AbortSignal, seen?: StatusSeen): Promise<AdvalidationPage<Item>> {
    const { status, body } = await get(`${path}?${PAGE_PARAMETER}=${page}`, signal, seen);
    const { data, meta } = (body ?? {}) as { data?: unknown; meta?: { pagination?: Partial<AdvalidationPagination> } };
    const pagination = meta?.pagination;
    if (!Array.isArray(data) || !pagination || !isCount(pagination.page) || !isCount(pagination.totalPages)) {
      throw new AdvalidationError('Advalidation answered without a page of its collection.', status, { kind: 'failed' });
    }
    return {
      items: data.filter((item): item is Item => typeof item === 'object' && item !== null && !Array.isArray(item)),
      pagination: {
        page: pagination.page,
        totalPages: pagination.totalPages,
        count: isCount(pagination.count) ? pagination.count : data.length,
        totalCount: isCount(pagination.totalCount) ? pagination.totalCount : data.length,
      },
    };
  }

  /**
   * A list call for one request's queue: the GET joins the gate under a ticket of that queue
   * alone (list pages are not shared between requests: listConnection memoizes them per request),
   * and a request the gate cannot serve within its deadline is answered at once (THROTTLED).
   */
  async function listPage<Item>(
    queue: RequestQueue,
    route: string,
    run: (signal: AbortSignal, seen: StatusSeen) => Promise<AdvalidationPage<Item>>,
    signal: AbortSignal,
  ) {
    if (signal.aborted) throw abortReason(signal);
    const ticket = new Ticket();
    let release!: (error: Error) => void;
    const released = new Promise<never>((_resolve, reject) => (release = reject));
    ticket.join(queue, release);
    // Released or not, the call's own signal ends with the caller's: no GET outlives its request.
    const controller = new AbortController();
    const stop = onAbort(signal, () => controller.abort(abortReason(signal)));
    try {
      return await raceAbort(
        Promise.race([withRetriesAtGate(route, ticket, controller.signal, (seen) => run(controller.signal, seen)), released]),
        signal,
      );
    } finally {
      stop();
      ticket.leave(queue, release);
      if (!controller.signal.aborted) controller.abort(abandonedList());
    }
  }

  const lists = (queue: RequestQueue): AdvalidationLists => ({
    listCampaigns: (page, signal) =>
      listPage(
        queue,
        '/v2/campaigns',
        (callSignal, seen) => attemptPage<AdvalidationCampaign>('/campaigns', page, callSignal, seen),
        signal,
      ),
    listCreatives: (campaignId, page, signal) =>
      listPage(
        queue,
        '/v2/campaigns/{id}/creatives',
        async (callSignal, seen) => {
          const result = await attemptPage<AdvalidationCreative>(
            `/campaigns/${encodeURIComponent(campaignId)}/creatives`,
            page,
            callSignal,
            seen,
          );
          // As for scans: an odd date is null and a log line, never a failed page.
          return { ...result, items: result.items.map((creative) => normaliseDates(creative, unreadableDate('creativeId', creative.id))) };
        },
        signal,
      ),
  });

  const cache = createScanCache({ ...config, fetch: fetchWithRetries });
  return {
    getScan: (id, withTests, signal) => cache.getScan(new RequestQueue(), id, withTests, signal),
    listCampaigns: (page, signal) => lists(new RequestQueue()).listCampaigns(page, signal),
    listCreatives: (campaignId, page, signal) => lists(new RequestQueue()).listCreatives(campaignId, page, signal),
    forRequest(scope) {
      const queue = new RequestQueue(scope.deadline ?? Number.POSITIVE_INFINITY);
      return { getScan: (id, withTests, signal) => cache.getScan(queue, id, withTests, signal), ...lists(queue) };
    },
  };
}

/**
 * The request-side page parameter: 1-based `page=N`. Advalidation documents the collections'
 * `meta.pagination` (count, totalCount, page, totalPages) but not the parameter that asks for a
 * page (UNCONFIRMED); this is the one place that names it.
 */
export const PAGE_PARAMETER = 'page';

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** A list GET's reason to stop: its request no longer waits for it. */
function abandonedList(): Error {
  const error = new Error('No request waits for this page any more.');
  error.name = 'AbortError';
  return error;
}

/** A bounded, printable rendering of an outside value for a log line. */
function preview(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return text.length > 64 ? `${text.slice(0, 64)}…` : text;
}
