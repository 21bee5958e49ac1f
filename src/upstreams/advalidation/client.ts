import type { Logger } from 'pino';
import type { AdvalidationConfig } from './settings.js';
import { withUpstreamSpan } from '../../observability/tracing-upstream.js';
import { withFailure, type Failure } from '../../reliability/failure-kinds.js';
import { RequestQueue, type Ticket } from '../../reliability/gate.js';
import { withRetries } from '../../reliability/retry.js';
import { normaliseDates } from './dates.js';
import { keyWarnings } from './key-warnings.js';
import type { AdvalidationApi, Scan } from './model.js';
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
export function createAdvalidationApi(config: AdvalidationConfig, deps: AdvalidationDependencies): AdvalidationApi {
  const { gate, observe } = createAdvalidationGate(config, deps.onLimiterWait);
  const warnAboutKey = keyWarnings(deps.logger);
  // Named by route, as the HTTP conventions say: the scan id is a key and stays out of spans.
  const base = new URL(config.baseUrl);
  const spanAttributes = {
    'http.request.method': 'GET',
    'url.template': '/v2/scans/{id}',
    'server.address': base.hostname,
    'server.port': Number(base.port) || (base.protocol === 'https:' ? 443 : 80),
  };

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
        throw new AdvalidationError(`Advalidation did not answer within ${config.attemptTimeoutMs} ms.`, undefined, {
          kind: 'attempt-timeout',
        });
      }
      throw new AdvalidationError('Advalidation could not be reached.', undefined, { kind: 'unreachable' });
    }
    observe(response.headers.get('x-ratelimit-iplimit'), response.headers.get('x-ratelimit-ipremaining'), response.status);
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined; // An HTML error page: the status still says what happened.
    }
    if (response.ok) {
      const data = (body as { data?: Scan } | undefined)?.data;
      if (!data || typeof data !== 'object' || Array.isArray(data)) {
        throw new AdvalidationError('Advalidation answered without a scan.', response.status, { kind: 'failed' });
      }
      // Before the DateTime scalar sees them: an odd date is null and a log line, never a failed scan.
      return normaliseDates(data, (field, value) =>
        deps.logger.warn(
          { upstream: 'advalidation', scanId: id, field, value: preview(value) },
          'Advalidation sent a date that cannot be read; it is served as null',
        ),
      );
    }
    warnAboutKey(response.status);
    const rawIssues = (body as { error?: { issues?: unknown } } | undefined)?.error?.issues;
    const detail = (Array.isArray(rawIssues) ? rawIssues : [])
      .map((issue: { message?: unknown } | null) => issue?.message)
      .filter((message): message is string => typeof message === 'string' && message.length > 0)
      .join('; ');
    const message = detail || `Advalidation answered HTTP ${response.status}.`;
    throw new AdvalidationError(message, response.status, failureOfStatus(response.status, message));
  }

  function fetchWithRetries(id: string, withTests: boolean, ticket: Ticket, signal: AbortSignal): Promise<Scan> {
    const stamp = (error: unknown, attempts: number) => {
      if (error instanceof AdvalidationError) error.$metadata.attempts = attempts;
    };
    // The requests the gate let through, for the span (the retry policy stamps only failures).
    let sent = 0;
    const retried = () =>
      withRetries(
        () =>
          gate.run(
            ticket,
            () => {
              sent += 1;
              return attempt(id, withTests, signal);
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
    return withUpstreamSpan('GET /v2/scans/{id}', spanAttributes, retried, (outcome) =>
      'error' in outcome && outcome.error instanceof AdvalidationError
        ? { attempts: sent, status: outcome.error.status }
        : { attempts: sent },
    );
  }

  const cache = createScanCache({ ...config, fetch: fetchWithRetries });
  return {
    getScan: (id, withTests, signal) => cache.getScan(new RequestQueue(), id, withTests, signal),
    forRequest(scope) {
      const queue = new RequestQueue(scope.deadline ?? Number.POSITIVE_INFINITY);
      return { getScan: (id, withTests, signal) => cache.getScan(queue, id, withTests, signal) };
    },
  };
}

/** A bounded, printable rendering of an outside value for a log line. */
function preview(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return text.length > 64 ? `${text.slice(0, 64)}…` : text;
}
