/**
 * The closed vocabulary of why an upstream call failed. Clients put a kind on what they throw,
 * at their boundary, where they know their protocol (AWS exception names, Advalidation's HTTP
 * statuses, the HTTP handler's clocks); everything after them (the batching mechanism, the
 * circuit breaker, `toSubgraphError`) asks the kind, never a name.
 *
 * - `not-found`, `bad-input`, `forbidden`, `throttled`: the upstream answered so;
 * - `rate-deferred`: not sent, a rate limit leaves no room within the request's budget;
 * - `upstream-timeout`: the upstream answered that it timed out itself;
 * - `attempt-timeout`: our per-attempt timeout expired (on every attempt the retries allowed);
 * - `budget-expired`: the request's time budget ran out;
 * - `unreachable`: connection refused or reset, DNS failure, no connection within the connect timeout;
 * - `circuit-open`: not sent, the upstream's circuit breaker is open after repeated failures;
 * - `failed`: anything else (a 5xx, an answer that cannot be read).
 */
export type FailureKind =
  | 'not-found'
  | 'bad-input'
  | 'forbidden'
  | 'throttled'
  | 'rate-deferred'
  | 'upstream-timeout'
  | 'attempt-timeout'
  | 'budget-expired'
  | 'unreachable'
  | 'circuit-open'
  | 'failed';

const FAILURE_KINDS: ReadonlySet<string> = new Set<FailureKind>([
  'not-found',
  'bad-input',
  'forbidden',
  'throttled',
  'rate-deferred',
  'upstream-timeout',
  'attempt-timeout',
  'budget-expired',
  'unreachable',
  'circuit-open',
  'failed',
]);

/** What a client says about a failure besides its kind; every field is safe to show. */
export interface Failure {
  readonly kind: FailureKind;
  /** The upstream's own code for it (an exception name); absent when it gave none. */
  readonly upstreamCode?: string;
  /** A message the upstream wrote for its user (e.g. Advalidation's validation issues). */
  readonly detail?: string;
  /** With `rate-deferred`: in how many seconds a retry could be served. */
  readonly retryAfterSeconds?: number;
}

/** Node/undici error codes of a connection that could not be made or was lost. */
export const UNREACHABLE_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EAI_NONAME',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENETRESET',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/** Marks an error with its failure; name and code stay (the SDK retries by them). A later mark replaces an earlier one. */
export function withFailure<E>(error: E, failure: Failure): E {
  if (error && typeof error === 'object') {
    Object.defineProperty(error, 'failure', { value: failure, enumerable: false, configurable: true, writable: true });
  }
  return error;
}

export const withFailureKind = <E>(error: E, kind: FailureKind): E => withFailure(error, { kind });

/** The mark a client put on an error, if any. */
export function markedFailure(err: unknown): Failure | undefined {
  const own = err && typeof err === 'object' ? (err as { failure?: Failure }).failure : undefined;
  return own && FAILURE_KINDS.has(own.kind) ? own : undefined;
}

/** The network error code an error carries (directly, or as fetch's `cause`), if any. */
export function networkCodeOf(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 3; e = (e as { cause?: unknown }).cause, depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return code;
  }
  return undefined;
}

/** The HTTP status of the answer an error reports (SDK errors and Advalidation's carry `$metadata`). */
export function httpStatusOf(err: unknown): number | undefined {
  const status = (err as { $metadata?: { httpStatusCode?: unknown } } | undefined)?.$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

/**
 * The failure of an error: the one a client marked, else what transport facts still say
 * truthfully of an unmarked one: a network code is `unreachable`; `AbortError` the budget
 * (only the request's signal aborts calls); the DOMException `TimeoutError` is
 * `AbortSignal.timeout`'s reason (the budget), any other `TimeoutError` an attempt timeout;
 * HTTP 401/403 `forbidden`, 429 `throttled`. Undefined when nothing says.
 */
export function failureOf(err: unknown): Failure | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const marked = markedFailure(err);
  if (marked) return marked;
  if (networkCodeOf(err)) return { kind: 'unreachable' };
  const name = (err as { name?: unknown }).name;
  if (name === 'AbortError') return { kind: 'budget-expired' };
  if (name === 'TimeoutError')
    return { kind: typeof DOMException !== 'undefined' && err instanceof DOMException ? 'budget-expired' : 'attempt-timeout' };
  if (name === 'NetworkError') return { kind: 'unreachable' };
  const status = httpStatusOf(err);
  if (status === 401 || status === 403) return { kind: 'forbidden' };
  if (status === 429) return { kind: 'throttled' };
  return undefined;
}

export const failureKindOf = (err: unknown): FailureKind | undefined => failureOf(err)?.kind;

/** Failures of calls that were refused before any request went out. */
const NOT_SENT: ReadonlySet<FailureKind | undefined> = new Set<FailureKind>(['circuit-open', 'rate-deferred']);

/**
 * Whether a failed call reached the upstream at all: an open circuit or a rate deferral answers
 * without a request, so metrics and logs, which count the calls really sent, leave it out.
 */
export const wasSent = (error: unknown): boolean => !NOT_SENT.has(failureKindOf(error));
