import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import { abortReason, sleep } from '../../abort.js';
import type { AdvalidationConfig } from './settings.js';
import { normaliseDates } from './dates.js';
import { AdvalidationRateLimiter, RateLimitDeferral, RequestQueue, Ticket } from './rate-limiter.js';

/** One check of a scan (the vendor SDK's ApiCheckResult; the docs do not publish it). */
export interface CheckResult {
  name?: string | null;
  /** Raw as sent: strings, numbers, booleans or null occur. */
  value?: unknown;
  valueFormatted?: string | null;
  valuePhrase?: string | null;
  result?: string | null;
  attributes?: Array<{ name?: string | null; description?: string | null; value?: string | null }> | null;
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
  tests?: CheckResult[] | null;
  /** Only in the vendor SDK's types, not in the docs (UNCONFIRMED). */
  isInconclusive?: boolean | null;
  inconclusiveReason?: string | null;
}

/** Statuses after which a scan never changes again (documented set; finished-is-final is UNCONFIRMED). */
const TERMINAL = new Set(['finished', 'failed', 'cancelled']);

/** Whether a scan can no longer change: what cache hints and the shared cache rely on. */
export const isTerminal = (scan: Scan): boolean => TERMINAL.has(String(scan.processingStatus));

export type AdvalidationErrorName =
  | 'AccessDeniedException'
  | 'NotFound'
  | 'ValidationException'
  | 'ThrottlingException'
  | 'TimeoutError'
  | 'NetworkError'
  | 'UpstreamError';

/**
 * A failed Advalidation call, named so the subgraph's one error mapping (toSubgraphError)
 * classifies it: 401/403 AccessDeniedException (FORBIDDEN), 404 NotFound, 422
 * ValidationException (BAD_USER_INPUT), 429 ThrottlingException (THROTTLED), per-attempt
 * timeouts TimeoutError (UPSTREAM_TIMEOUT), anything else UPSTREAM_ERROR. `issues` is the error
 * envelope's list, written by Advalidation for its user, safe to show.
 */
export class AdvalidationError extends Error {
  readonly $metadata: { httpStatusCode?: number; attempts?: number };
  constructor(
    override readonly name: AdvalidationErrorName,
    message: string,
    readonly status: number | undefined,
    readonly issues: Array<{ type?: string; message?: string }> = [],
  ) {
    super(message);
    this.$metadata = { httpStatusCode: status };
  }

  /** 429, 5xx, timeouts and network failures may succeed on another attempt; the rest will not. */
  get retryable(): boolean {
    return this.status === undefined || this.status === 429 || this.status >= 500;
  }
}

const NAME_BY_STATUS: Record<number, AdvalidationErrorName> = {
  401: 'AccessDeniedException',
  403: 'AccessDeniedException',
  404: 'NotFound',
  422: 'ValidationException',
  429: 'ThrottlingException',
};

/** What the loader needs from Advalidation: one scan by id. */
export interface AdvalidationScans {
  getScan(id: string, withTests: boolean, signal: AbortSignal): Promise<Scan>;
}

/** One GraphQL request, as the limiter sees it. */
export interface AdvalidationRequestScope {
  /** When the request's time budget ends (ms since epoch); unknown means no deadline-awareness. */
  deadline?: number | undefined;
}

/**
 * The process-wide client. `forRequest` gives one GraphQL request its own view, whose calls wait
 * in a queue of their own at the shared limiter (served round-robin with other requests') and
 * know the request's deadline. `getScan` on the client itself gives each call a queue of its own.
 */
export interface AdvalidationApi extends AdvalidationScans {
  forRequest(scope: AdvalidationRequestScope): AdvalidationScans;
}

export interface AdvalidationDependencies {
  logger: Logger;
  onLimiterWait?: (seconds: number) => void;
  onRetry?: (reason: 'throttled' | 'transient') => void;
}

/** One GET shared by every request waiting for the same answer. */
interface InFlight {
  promise: Promise<Scan>;
  controller: AbortController;
  /** The requests waiting for it: the limiter queues its attempts in each of their queues. */
  ticket: Ticket;
  settled: boolean;
}

/** The shared GET's reason to stop: nobody waits for it any more. */
function abandoned(): Error {
  const error = new Error('No request waits for this scan any more.');
  error.name = 'AbortError';
  return error;
}

/**
 * A thin client on Node's fetch (the vendor's `advalidation` package has no get-by-id,
 * serializes every request, has no timeouts and retries only 429). Every attempt goes through
 * the process-wide rate limiter; 429, 5xx, timeouts and network errors are retried with
 * full-jitter backoff (the documented Retry-After is always 15, so it is ignored); 401, 403,
 * 404 and 422 are not.
 *
 * Two process-wide savings, both keyed by endpoint, API-key fingerprint, id and shape (so no
 * data fetched with one key is ever served under another): a GET already in flight is joined
 * by concurrent requests for the same scan instead of repeated, and terminal scans are kept in
 * a small LRU. A call with checks also answers a request without them.
 */
export function createAdvalidationApi(config: AdvalidationConfig, deps: AdvalidationDependencies): AdvalidationApi {
  const limiter = new AdvalidationRateLimiter({
    maxConcurrency: config.maxConcurrency,
    ratePerSecond: config.ratePerSecond,
    burst: config.burst,
    // Brief: a sporadic 429 is a hiccup, not a verdict on the pace (the headers give that).
    throttlePauseMs: Math.min(config.retryBaseDelayMs, 1_000),
    onWait: deps.onLimiterWait,
  });
  const keyFingerprint = createHash('sha256').update(config.apiKey).digest('hex').slice(0, 16);
  const terminal =
    config.settledCacheSize > 0 && config.settledCacheTtlMs > 0
      ? new LRUCache<string, Scan>({ max: config.settledCacheSize, ttl: config.settledCacheTtlMs })
      : undefined;
  const inFlight = new Map<string, InFlight>();
  const identity = (id: string, withTests: boolean) => `${config.baseUrl}|${keyFingerprint}|${id}|${withTests ? 'tests' : 'summary'}`;
  const lastWarning = { rejected: 0, denied: 0 };

  /** Once a minute at most per kind: a bad key fails every call until someone fixes it. */
  function warnOnce(kind: keyof typeof lastWarning, message: string, status: number): void {
    if (Date.now() - lastWarning[kind] < 60_000) return;
    lastWarning[kind] = Date.now();
    deps.logger.error({ upstream: 'advalidation', status }, message);
  }

  async function attempt(id: string, withTests: boolean, signal: AbortSignal): Promise<Scan> {
    const url = `${config.baseUrl}/v2/scans/${encodeURIComponent(id)}${withTests ? '?include_checks=true' : ''}`;
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        headers: { 'X-API-Key': config.apiKey, Accept: 'application/json' },
        // The body is read under the same signals: a stalled body is a timeout too.
        signal: AbortSignal.any([signal, AbortSignal.timeout(config.attemptTimeoutMs)]),
      });
      text = await response.text();
    } catch (error) {
      if (signal.aborted) throw error;
      // The cause is dropped on purpose: undici's messages can quote request headers.
      if ((error as { name?: unknown } | undefined)?.name === 'TimeoutError') {
        throw new AdvalidationError('TimeoutError', `Advalidation did not answer within ${config.attemptTimeoutMs} ms.`, undefined);
      }
      throw new AdvalidationError('NetworkError', 'Advalidation could not be reached.', undefined);
    }
    limiter.observe(response.headers.get('x-ratelimit-iplimit'), response.headers.get('x-ratelimit-ipremaining'), response.status);
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined; // An HTML error page: the status still says what happened.
    }
    if (response.ok) {
      const data = (body as { data?: Scan } | undefined)?.data;
      if (!data || typeof data !== 'object' || Array.isArray(data)) {
        throw new AdvalidationError('UpstreamError', 'Advalidation answered without a scan.', response.status);
      }
      // Before the DateTime scalar sees them: an odd date is null and a log line, never a failed scan.
      return normaliseDates(data, (field, value) =>
        deps.logger.warn({ upstream: 'advalidation', scanId: id, field, value: preview(value) }, 'Advalidation sent a date that cannot be read; it is served as null'),
      );
    }
    const rawIssues = (body as { error?: { issues?: unknown } } | undefined)?.error?.issues;
    const issues = (Array.isArray(rawIssues) ? rawIssues : []) as Array<{ type?: string; message?: string }>;
    if (response.status === 401) {
      warnOnce('rejected', 'Advalidation rejected the API key (ADVALIDATION_API_KEY, HTTP 401): every Scan lookup will fail until it is fixed', 401);
    } else if (response.status === 403) {
      warnOnce('denied', 'Advalidation denied the API key (ADVALIDATION_API_KEY) access to a scan (HTTP 403): the key authenticates but lacks permission for it', 403);
    }
    const detail = issues
      .map((issue) => issue?.message)
      .filter((message): message is string => typeof message === 'string' && message.length > 0)
      .join('; ');
    throw new AdvalidationError(NAME_BY_STATUS[response.status] ?? 'UpstreamError', detail || `Advalidation answered HTTP ${response.status}.`, response.status, issues);
  }

  async function fetchWithRetries(id: string, withTests: boolean, ticket: Ticket, signal: AbortSignal): Promise<Scan> {
    for (let attemptNumber = 1; ; attemptNumber += 1) {
      try {
        const scan = await limiter.run(ticket, () => attempt(id, withTests, signal), signal);
        if (terminal && isTerminal(scan)) terminal.set(identity(id, withTests), scan);
        return scan;
      } catch (error) {
        if (!(error instanceof AdvalidationError) || !error.retryable || attemptNumber >= config.maxAttempts || signal.aborted) {
          if (error instanceof AdvalidationError) error.$metadata.attempts = attemptNumber;
          throw error;
        }
        deps.onRetry?.(error.status === 429 ? 'throttled' : 'transient');
        // Full jitter, capped: clients that were throttled together do not retry together.
        const cap = Math.min(config.retryBaseDelayMs * 2 ** (attemptNumber - 1), 8_000);
        const delay = Math.random() * cap;
        // Those whose budget this retry would outlast are answered now: THROTTLED after a 429,
        // the failure itself otherwise. When that was everyone, the sleep ends at once (aborted).
        error.$metadata.attempts = attemptNumber;
        limiter.releaseLate(ticket, delay, (retryAfterSeconds) => (error.status === 429 ? new RateLimitDeferral(retryAfterSeconds) : error));
        await sleep(delay, signal);
      }
    }
  }

  /**
   * Joins the GET in flight for this scan (one with checks serves a request without them), or
   * starts one. The shared GET runs under its own signal, aborted only when every request
   * waiting for it has given up, so one request's budget never fails another's lookup.
   */
  function joinOrStart(id: string, withTests: boolean): InFlight {
    const existing = inFlight.get(identity(id, true)) ?? (withTests ? undefined : inFlight.get(identity(id, false)));
    if (existing) return existing;
    const key = identity(id, withTests);
    const controller = new AbortController();
    const ticket = new Ticket();
    const entry: InFlight = { promise: fetchWithRetries(id, withTests, ticket, controller.signal), controller, ticket, settled: false };
    inFlight.set(key, entry);
    const forget = () => {
      entry.settled = true;
      if (inFlight.get(key) === entry) inFlight.delete(key);
    };
    entry.promise.then(forget, forget);
    controller.signal.addEventListener('abort', forget, { once: true });
    return entry;
  }

  /** Waits for the scan on behalf of one request (its queue), until the answer, its signal, or its release. */
  function getScan(queue: RequestQueue, id: string, withTests: boolean, signal: AbortSignal): Promise<Scan> {
    if (signal.aborted) return Promise.reject(abortReason(signal));
    const cached = terminal?.get(identity(id, true)) ?? (withTests ? undefined : terminal?.get(identity(id, false)));
    if (cached) return Promise.resolve(cached);
    const entry = joinOrStart(id, withTests);
    return new Promise<Scan>((resolve, reject) => {
      let done = false;
      const finish = (settle: () => void) => {
        if (done) return;
        done = true;
        signal.removeEventListener('abort', onAbort);
        entry.ticket.leave(queue, release);
        // The last request to give up cancels the shared GET (a waiting call is never made).
        if (entry.ticket.size === 0 && !entry.settled) entry.controller.abort(abandoned());
        settle();
      };
      const release = (error: Error) => finish(() => reject(error));
      const onAbort = () => finish(() => reject(abortReason(signal)));
      signal.addEventListener('abort', onAbort, { once: true });
      entry.ticket.join(queue, release);
      entry.promise.then(
        (scan) => finish(() => resolve(scan)),
        (error: unknown) => finish(() => reject(error)),
      );
    });
  }

  return {
    getScan: (id, withTests, signal) => getScan(new RequestQueue(), id, withTests, signal),
    forRequest(scope) {
      const queue = new RequestQueue(scope.deadline ?? Number.POSITIVE_INFINITY);
      return { getScan: (id, withTests, signal) => getScan(queue, id, withTests, signal) };
    },
  };
}

/** A bounded, printable rendering of an outside value for a log line. */
function preview(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return text.length > 64 ? `${text.slice(0, 64)}…` : text;
}
