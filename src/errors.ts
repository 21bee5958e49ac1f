import { GraphQLError } from 'graphql';
import { awsFailure } from './reliability/aws-error-kinds.js';
import { httpStatusOf, networkCodeOf, type Failure, type FailureKind } from './reliability/failure-kinds.js';

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

/** What a failure of each kind answers: its code, and the message and upstreamCode it shows. */
interface KindAnswer {
  readonly code: ErrorCode;
  message(facts: Facts): string;
  /** Our own codes for limits of ours; otherwise the upstream's (`Facts.upstreamCode`). */
  upstreamCode?(facts: Facts): string;
}

interface Facts {
  readonly label: string;
  readonly subject: string;
  readonly upstreamCode: string | undefined;
  readonly status: number | undefined;
  readonly detail: string | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly networkCode: string | undefined;
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

const inParentheses = (text: string | undefined) => (text ? ` (${text})` : '');

/** The one table from failure kinds to the vocabulary. */
const ANSWERS: Record<FailureKind, KindAnswer> = {
  'not-found': {
    code: ErrorCode.NOT_FOUND,
    message: (f) => `${f.label}: ${f.subject} names something that does not exist${inParentheses(f.upstreamCode)}.`,
  },
  'bad-input': {
    code: ErrorCode.BAD_USER_INPUT,
    message: (f) => (f.detail ? `${f.label} refused ${f.subject}: ${clip(f.detail)}` : `${f.label} rejected ${f.subject} as invalid.`),
  },
  forbidden: { code: ErrorCode.FORBIDDEN, message: (f) => `${f.label} denied access: check the subgraph's credentials and permissions.` },
  throttled: { code: ErrorCode.THROTTLED, message: (f) => `${f.label} is throttling requests; retries were exhausted. Try again shortly.` },
  'rate-deferred': {
    code: ErrorCode.THROTTLED,
    message: (f) =>
      `${f.label}'s rate limit${inParentheses(f.detail)} leaves no room to fetch ${f.subject} within this request's time budget; retry in about ${f.retryAfterSeconds ?? 1} s.`,
    upstreamCode: () => 'RateLimited',
  },
  'upstream-timeout': {
    code: ErrorCode.UPSTREAM_TIMEOUT,
    message: (f) => `${f.label} reported a timeout${inParentheses(f.upstreamCode)}.`,
  },
  'attempt-timeout': {
    code: ErrorCode.UPSTREAM_TIMEOUT,
    message: (f) => `${f.label} did not answer within the per-attempt timeout, on every attempt allowed.`,
    upstreamCode: () => 'ATTEMPT_TIMEOUT',
  },
  'budget-expired': {
    code: ErrorCode.UPSTREAM_TIMEOUT,
    message: (f) => `${f.label} did not answer within the request's time budget.`,
    upstreamCode: () => 'BUDGET_EXPIRED',
  },
  unreachable: {
    code: ErrorCode.UPSTREAM_ERROR,
    message: (f) =>
      `Could not reach ${f.label}: ${(f.networkCode && UNREACHABLE_REASONS[f.networkCode]) ?? 'no connection could be made'}.`,
    upstreamCode: (f) => f.networkCode ?? 'UNREACHABLE',
  },
  'circuit-open': {
    code: ErrorCode.UPSTREAM_ERROR,
    message: (f) => `${f.label} is unavailable (it failed repeatedly, so calls are paused); retry later.`,
    upstreamCode: () => 'CIRCUIT_OPEN',
  },
  failed: { code: ErrorCode.UPSTREAM_ERROR, message: (f) => `${f.label} failed to answer${f.status ? ` (HTTP ${f.status})` : ''}.` },
};

/** The code a failure kind answers with (for per-item codes, see `itemError`). */
export const codeOfKind = (kind: FailureKind): ErrorCode => ANSWERS[kind].code;

export interface ToSubgraphErrorContext {
  /** The request's signal: when it has aborted, the call was cut by the time budget, whatever it threw. */
  signal?: AbortSignal;
}

/**
 * The one mapping from whatever an upstream call threw to the vocabulary: by the failure kind
 * its client marked (see reliability/failure-kinds.ts), through the table above. An error
 * nobody marked is read as AWS names its exceptions (see reliability/aws-error-kinds.ts).
 */
export function toSubgraphError(
  err: unknown,
  upstream: UpstreamIdentity,
  subject = 'the request',
  context: ToSubgraphErrorContext = {},
): SubgraphError {
  if (err instanceof SubgraphError) return err;
  const failure: Failure = context.signal?.aborted ? { kind: 'budget-expired' } : awsFailure(err);
  const facts: Facts = {
    label: upstream.label,
    subject,
    upstreamCode: failure.upstreamCode,
    status: httpStatusOf(err),
    detail: failure.detail,
    retryAfterSeconds: failure.retryAfterSeconds,
    networkCode: networkCodeOf(err),
  };
  const answer = ANSWERS[failure.kind];
  return new SubgraphError(answer.code, answer.message(facts), {
    upstream,
    upstreamCode: answer.upstreamCode?.(facts) ?? facts.upstreamCode,
    cause: err,
  });
}

/** An upstream's per-item error codes (e.g. `ITEM_DOES_NOT_EXIST`) by the failure kind each means. */
export type ItemErrorKinds = Readonly<Record<string, FailureKind>>;

/**
 * One item's error, from the per-item code its upstream answered: the kind that code means (an
 * unknown one: `failed`), the code that kind answers in the one table, and the message the
 * loader writes for that kind (it names the item).
 */
export function itemError(
  upstream: UpstreamIdentity,
  upstreamCode: string | undefined,
  kinds: ItemErrorKinds,
  message: (kind: FailureKind) => string,
): SubgraphError {
  const kind = (upstreamCode !== undefined && Object.hasOwn(kinds, upstreamCode) ? kinds[upstreamCode] : undefined) ?? 'failed';
  return new SubgraphError(codeOfKind(kind), message(kind), { upstream, upstreamCode });
}
