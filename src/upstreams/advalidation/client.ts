import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import { sleep } from '../../abort.js';
import type { AdvalidationConfig } from '../../config.js';
import { AdvalidationRateLimiter } from './rate-limiter.js';

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
}

/** Statuses after which a scan never changes again. */
const SETTLED = new Set(['finished', 'failed', 'cancelled']);
export const isSettled = (scan: Scan) => SETTLED.has(String(scan.processingStatus));

/**
 * A failed Advalidation call, named so the subgraph's error mapping classifies it:
 * 401/403 AccessDenied, 404 NotFound, 422 ValidationException, 429 Throttling, else an
 * upstream error. `issues` is the error envelope's list, safe to show.
 */
export class AdvalidationError extends Error {
  readonly $metadata: { httpStatusCode?: number; attempts?: number };
  constructor(
    name: string,
    message: string,
    readonly status: number | undefined,
    readonly issues: Array<{ type?: string; message?: string }> = [],
  ) {
    super(message);
    this.name = name;
    this.$metadata = { httpStatusCode: status };
  }
}

const NAME_BY_STATUS: Record<number, string> = {
  401: 'AccessDeniedException',
  403: 'AccessDeniedException',
  404: 'NotFound',
  422: 'ValidationException',
  429: 'ThrottlingException',
};

/** What the loader needs from Advalidation: one scan by id. */
export interface AdvalidationApi {
  getScan(id: string, withTests: boolean, signal: AbortSignal): Promise<Scan>;
}

export interface AdvalidationDependencies {
  logger: Logger;
  onLimiterWait?: (seconds: number) => void;
  onRetry?: (reason: 'throttled' | 'transient') => void;
}

/**
 * A thin client on Node's fetch (the vendor's `advalidation` package has no get-by-id,
 * serializes every request, has no timeouts and retries only 429). Every attempt goes through
 * the process-wide rate limiter; 429, 5xx and network errors are retried with full-jitter
 * backoff (the documented Retry-After is always 15, so it is ignored); 401/403/404/422 are
 * not. Settled scans are kept in a small process-wide cache keyed by endpoint, API key
 * fingerprint, id and shape, so no data fetched with one key is served under another.
 */
export function createAdvalidationApi(config: AdvalidationConfig, deps: AdvalidationDependencies): AdvalidationApi {
  const limiter = new AdvalidationRateLimiter({
    maxConcurrency: config.maxConcurrency,
    ratePerSecond: config.ratePerSecond,
    burst: config.burst,
    onWait: deps.onLimiterWait,
  });
  const keyFingerprint = createHash('sha256').update(config.apiKey).digest('hex').slice(0, 16);
  const settled =
    config.settledCacheSize > 0 && config.settledCacheTtlMs > 0
      ? new LRUCache<string, Scan>({ max: config.settledCacheSize, ttl: config.settledCacheTtlMs })
      : undefined;
  const cacheKey = (id: string, withTests: boolean) => `${config.baseUrl}|${keyFingerprint}|${id}|${withTests ? 'tests' : 'summary'}`;
  let lastKeyWarning = 0;

  async function attempt(id: string, withTests: boolean, signal: AbortSignal): Promise<Scan> {
    const url = `${config.baseUrl}/v2/scans/${encodeURIComponent(id)}${withTests ? '?include_checks=true' : ''}`;
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { 'X-API-Key': config.apiKey, Accept: 'application/json' },
        signal: AbortSignal.any([signal, AbortSignal.timeout(config.attemptTimeoutMs)]),
      });
    } catch (error) {
      if (signal.aborted) throw error;
      // Network failure or the per-attempt timeout: transient.
      throw new AdvalidationError('NetworkError', 'Advalidation could not be reached.', undefined);
    }
    const remaining = Number(response.headers.get('x-ratelimit-ipremaining') ?? Number.NaN);
    limiter.observeRemaining(Number.isFinite(remaining) ? remaining : undefined);
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined; // An HTML error page: the status still says what happened.
    }
    if (response.ok) {
      limiter.observeSuccess();
      const data = (body as { data?: Scan } | undefined)?.data;
      if (!data || typeof data !== 'object') throw new AdvalidationError('UpstreamError', 'Advalidation answered without a scan.', response.status);
      return data;
    }
    if (response.status === 429) limiter.observeThrottled(config.retryBaseDelayMs);
    const issues = ((body as { error?: { issues?: unknown } } | undefined)?.error?.issues ?? []) as Array<{ type?: string; message?: string }>;
    const name = NAME_BY_STATUS[response.status] ?? 'UpstreamError';
    if (response.status === 401 || response.status === 403) {
      // Once a minute at most: a rejected key fails every call until someone fixes it.
      if (Date.now() - lastKeyWarning > 60_000) {
        lastKeyWarning = Date.now();
        deps.logger.error({ upstream: 'advalidation', status: response.status }, 'Advalidation rejected the API key (ADVALIDATION_API_KEY): every Scan lookup will fail until it is fixed');
      }
    }
    const detail = issues.map((issue) => issue.message).filter(Boolean).join('; ');
    throw new AdvalidationError(name, detail || `Advalidation answered HTTP ${response.status}.`, response.status, issues);
  }

  return {
    async getScan(id, withTests, signal) {
      const cached = settled?.get(cacheKey(id, true)) ?? (withTests ? undefined : settled?.get(cacheKey(id, false)));
      if (cached) return cached;
      for (let attemptNumber = 1; ; attemptNumber += 1) {
        try {
          const scan = await limiter.run(() => attempt(id, withTests, signal), signal);
          if (settled && isSettled(scan)) settled.set(cacheKey(id, withTests), scan);
          return scan;
        } catch (error) {
          const retryable = error instanceof AdvalidationError && (error.status === undefined || error.status === 429 || error.status >= 500);
          if (!retryable || attemptNumber >= config.maxAttempts || signal.aborted) {
            if (error instanceof AdvalidationError) error.$metadata.attempts = attemptNumber;
            throw error;
          }
          deps.onRetry?.(error.status === 429 ? 'throttled' : 'transient');
          // Full jitter, capped: clients that were throttled together do not retry together.
          const cap = Math.min(config.retryBaseDelayMs * 2 ** (attemptNumber - 1), 8_000);
          await sleep(Math.random() * cap, signal);
        }
      }
    },
  };
}
