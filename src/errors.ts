import { GraphQLError } from 'graphql';

/**
 * The subgraph's one error vocabulary. Every error a client sees carries exactly one of these
 * in `extensions.code`, whatever upstream it came from.
 */
export const ErrorCode = {
  NOT_FOUND: 'NOT_FOUND',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  FORBIDDEN: 'FORBIDDEN',
  THROTTLED: 'THROTTLED',
  UPSTREAM_ERROR: 'UPSTREAM_ERROR',
  UPSTREAM_TIMEOUT: 'UPSTREAM_TIMEOUT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * An upstream as errors, logs and metrics name it: a stable `name` (`extensions.upstream`, the
 * metric label) and a `label` for messages. Each upstream declares its own (its model.ts); the
 * mechanisms below take it as a value, so none of them lists the upstreams.
 */
export interface UpstreamIdentity {
  readonly name: string;
  readonly label: string;
}

/** An upstream's stable name (UpstreamIdentity.name); the registry knows the set. */
export type UpstreamName = string;

export interface SubgraphErrorOptions {
  upstream?: UpstreamIdentity;
  /** The upstream's own error or item code (e.g. `ITEM_DOES_NOT_EXIST`), safe to show. */
  upstreamCode?: string;
  /** Not serialized: kept for logs only. */
  cause?: unknown;
}

/**
 * An error for one item (one key) or one whole upstream call. Messages are written for the
 * person reading the GraphQL response: they name the key and what to do, never credentials,
 * endpoints' internals or stack traces.
 */
export class SubgraphError extends GraphQLError {
  readonly code: ErrorCode;
  /** The upstream it is about, if any (its name is in `extensions.upstream`). */
  declare readonly upstream: UpstreamIdentity | undefined;
  /** What the upstream call threw, for logs; never serialized. */
  override readonly cause: unknown;

  constructor(code: ErrorCode, message: string, options: SubgraphErrorOptions = {}) {
    const extensions: Record<string, unknown> = { code };
    if (options.upstream) extensions.upstream = options.upstream.name;
    if (options.upstreamCode) extensions.upstreamCode = options.upstreamCode;
    // No captured stack, and the cause is not passed as graphql-js's `originalError` (GraphQLError
    // copies that error's `stack`, and reading a stack formats it: ~0.1 ms with source maps).
    // These are answers, not bugs, made per key: a request whose 300 keys timed out made 600
    // stacks, enough to push 20 such answers past their budget. The cause stays for logs.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(message, { extensions });
    } finally {
      Error.stackTraceLimit = limit;
    }
    Object.defineProperty(this, 'cause', { value: options.cause, enumerable: false, writable: false });
    Object.defineProperty(this, 'upstream', { value: options.upstream, enumerable: false, writable: false });
    this.name = 'SubgraphError';
    this.code = code;
  }

  /** A copy for another key: graphql-js attaches a path to the instance it receives. */
  forKey(message?: string): SubgraphError {
    return new SubgraphError(this.code, message ?? this.message, {
      upstream: this.upstream,
      upstreamCode: this.extensions.upstreamCode as string | undefined,
      cause: this.cause,
    });
  }
}

/** The most characters of a client-supplied value an error message or log line quotes. */
export const MAX_QUOTED_CHARS = 100;

/**
 * A client-supplied value as an error message or log line quotes it: in double quotes, cut to
 * MAX_QUOTED_CHARS with the full length noted, so 1,000 copies of a 100 KB id cost kilobytes of
 * response, not 100 MB. Every place that names a key in a message goes through this.
 */
export function quote(value: unknown, max = MAX_QUOTED_CHARS): string {
  const text = typeof value === 'string' ? value : (safeJson(value) ?? typeof value);
  if (text.length <= max) return `"${text}"`;
  return `"${text.slice(0, max)}…" (${text.length} characters)`;
}

/** A client-supplied value cut to `max` characters, for log fields. */
export function clip(value: string, max = MAX_QUOTED_CHARS): string {
  return value.length <= max ? value : `${value.slice(0, max)}…`;
}

function safeJson(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

export const notFound = (what: string, upstream?: UpstreamIdentity) =>
  new SubgraphError(ErrorCode.NOT_FOUND, `${what} was not found.`, { upstream });

export const badUserInput = (message: string, upstream?: UpstreamIdentity) =>
  new SubgraphError(ErrorCode.BAD_USER_INPUT, message, { upstream });

const THROTTLING_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'TransactionInProgressException',
]);
const FORBIDDEN_NAMES = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'ExpiredTokenException',
  'MissingAuthenticationTokenException',
  'CredentialsProviderError',
]);
const BAD_INPUT_NAMES = new Set(['ValidationException', 'InvalidInputException']);
const NOT_FOUND_NAMES = new Set(['NotFound', 'ResourceNotFoundException']);
/** Timeouts an upstream reports itself (an HTTP answer), as opposed to a limit of ours expiring. */
const UPSTREAM_TIMEOUT_NAMES = new Set(['RequestTimeout', 'RequestTimeoutException']);

/**
 * Why a call got no answer from its upstream, as a client knows it (the SDK's HTTP handler names
 * a reset connection `TimeoutError` for its retry rules, so names cannot say this):
 * - `unreachable`: connection refused or reset, DNS failure, no connection within the connect timeout;
 * - `attempt-timeout`: the per-attempt timeout expired (on every attempt the retries allowed);
 * - `budget-expired`: the request's time budget ran out;
 * - `circuit-open`: not sent, the upstream's circuit breaker is open after repeated failures.
 * Clients put it on the errors they throw (`withFailureKind`); `toSubgraphError` maps it.
 */
export type FailureKind = 'unreachable' | 'attempt-timeout' | 'budget-expired' | 'circuit-open';
const FAILURE_KINDS = new Set<string>(['unreachable', 'attempt-timeout', 'budget-expired', 'circuit-open']);

/** Node/undici error codes of a connection that could not be made or was lost. */
export const UNREACHABLE_CODES = new Set([
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

/** Marks an error with why its call got no answer; name and code stay (the SDK retries by them). */
export function withFailureKind<E>(error: E, kind: FailureKind): E {
  if (error && typeof error === 'object') {
    Object.defineProperty(error, 'failureKind', { value: kind, enumerable: false, configurable: true, writable: true });
  }
  return error;
}

/** The network error code an error carries (directly, or as fetch's `cause`), if any. */
export function networkCodeOf(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 3; e = (e as { cause?: unknown }).cause, depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return code;
  }
  return undefined;
}

/**
 * The failure kind of an error: the one a client set, else the network code it carries, else
 * what its name can still say truthfully (`AbortError`: only the request's signal aborts calls;
 * the DOMException `TimeoutError` is `AbortSignal.timeout`'s reason, i.e. the budget; any other
 * `TimeoutError` without a network code is an attempt timeout, like Advalidation's; its
 * `NetworkError` is a connection failure).
 */
export function failureKindOf(err: unknown): FailureKind | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const own = (err as { failureKind?: unknown }).failureKind;
  if (typeof own === 'string' && FAILURE_KINDS.has(own)) return own as FailureKind;
  if (networkCodeOf(err)) return 'unreachable';
  const name = (err as { name?: unknown }).name;
  if (name === 'AbortError') return 'budget-expired';
  if (name === 'TimeoutError') return typeof DOMException !== 'undefined' && err instanceof DOMException ? 'budget-expired' : 'attempt-timeout';
  if (name === 'NetworkError') return 'unreachable';
  return undefined;
}

const UNREACHABLE_REASONS: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused',
  ECONNRESET: 'the connection was reset',
  EPIPE: 'the connection was closed while sending',
  ECONNABORTED: 'the connection was aborted',
  ENOTFOUND: 'its host name does not resolve',
  EAI_AGAIN: 'its host name could not be resolved',
  EAI_FAIL: 'its host name could not be resolved',
  EAI_NONAME: 'its host name does not resolve',
};

export interface ToSubgraphErrorContext {
  /** The request's signal: when it has aborted, the call was cut by the time budget, whatever it threw. */
  signal?: AbortSignal;
}

function errorName(err: unknown): string | undefined {
  if (err && typeof err === 'object') {
    const e = err as { name?: unknown; code?: unknown };
    if (typeof e.name === 'string' && e.name !== 'Error') return e.name;
    if (typeof e.code === 'string') return e.code;
  }
  return undefined;
}

function httpStatusOf(err: unknown): number | undefined {
  const status = (err as { $metadata?: { httpStatusCode?: unknown } } | undefined)?.$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

/**
 * The one mapping from whatever an upstream call threw (SDK service exceptions, the hand-built
 * client's typed errors, network and abort errors) to the vocabulary. Classified by error name
 * first and status second: AWS has been seen throttling with HTTP 400.
 */
export function toSubgraphError(err: unknown, upstream: UpstreamIdentity, subject = 'the request', context: ToSubgraphErrorContext = {}): SubgraphError {
  if (err instanceof SubgraphError) return err;
  const { label } = upstream;
  const kind = context.signal?.aborted ? 'budget-expired' : failureKindOf(err);
  if (kind) return fromFailureKind(kind, err, upstream, label);
  const name = errorName(err);
  const status = httpStatusOf(err);
  if (name && UPSTREAM_TIMEOUT_NAMES.has(name)) {
    return new SubgraphError(ErrorCode.UPSTREAM_TIMEOUT, `${label} reported a timeout (${name}).`, { upstream, upstreamCode: name, cause: err });
  }
  if ((name && THROTTLING_NAMES.has(name)) || status === 429) {
    return new SubgraphError(ErrorCode.THROTTLED, `${label} is throttling requests; retries were exhausted. Try again shortly.`, {
      upstream,
      upstreamCode: name,
      cause: err,
    });
  }
  if ((name && FORBIDDEN_NAMES.has(name)) || status === 401 || status === 403) {
    return new SubgraphError(ErrorCode.FORBIDDEN, `${label} denied access: check the subgraph's credentials and permissions.`, {
      upstream,
      upstreamCode: name,
      cause: err,
    });
  }
  if (name && NOT_FOUND_NAMES.has(name)) {
    return new SubgraphError(ErrorCode.NOT_FOUND, `${label}: ${subject} names something that does not exist (${name}).`, { upstream, upstreamCode: name, cause: err });
  }
  if (name && BAD_INPUT_NAMES.has(name)) {
    return new SubgraphError(ErrorCode.BAD_USER_INPUT, `${label} rejected ${subject} as invalid.`, {
      upstream,
      upstreamCode: name,
      cause: err,
    });
  }
  return new SubgraphError(ErrorCode.UPSTREAM_ERROR, `${label} failed to answer${status ? ` (HTTP ${status})` : ''}.`, {
    upstream,
    upstreamCode: name,
    cause: err,
  });
}

function fromFailureKind(kind: FailureKind, err: unknown, upstream: UpstreamIdentity, label: string): SubgraphError {
  switch (kind) {
    case 'budget-expired':
      return new SubgraphError(ErrorCode.UPSTREAM_TIMEOUT, `${label} did not answer within the request's time budget.`, { upstream, upstreamCode: 'BUDGET_EXPIRED', cause: err });
    case 'attempt-timeout':
      return new SubgraphError(ErrorCode.UPSTREAM_TIMEOUT, `${label} did not answer within the per-attempt timeout, on every attempt allowed.`, {
        upstream,
        upstreamCode: 'ATTEMPT_TIMEOUT',
        cause: err,
      });
    case 'circuit-open':
      return new SubgraphError(ErrorCode.UPSTREAM_ERROR, `${label} is unavailable (it failed repeatedly, so calls are paused); retry later.`, {
        upstream,
        upstreamCode: 'CIRCUIT_OPEN',
        cause: err,
      });
    case 'unreachable': {
      const code = networkCodeOf(err);
      const reason = (code && UNREACHABLE_REASONS[code]) ?? 'no connection could be made';
      return new SubgraphError(ErrorCode.UPSTREAM_ERROR, `Could not reach ${label}: ${reason}.`, { upstream, upstreamCode: code ?? 'UNREACHABLE', cause: err });
    }
  }
}
