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
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Names the upstream APIs in errors, logs and metrics. */
export type UpstreamName = 'codebuild' | 'codeguru-security' | 'inspector2' | 'advalidation';

export interface SubgraphErrorOptions {
  upstream?: UpstreamName;
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

  constructor(code: ErrorCode, message: string, options: SubgraphErrorOptions = {}) {
    const extensions: Record<string, unknown> = { code };
    if (options.upstream) extensions.upstream = options.upstream;
    if (options.upstreamCode) extensions.upstreamCode = options.upstreamCode;
    super(message, { extensions, originalError: options.cause instanceof Error ? options.cause : undefined });
    this.name = 'SubgraphError';
    this.code = code;
  }

  /** A copy for another key: graphql-js attaches a path to the instance it receives. */
  forKey(message?: string): SubgraphError {
    return new SubgraphError(this.code, message ?? this.message, {
      upstream: this.extensions.upstream as UpstreamName | undefined,
      upstreamCode: this.extensions.upstreamCode as string | undefined,
      cause: this.originalError,
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

export const notFound = (what: string, upstream?: UpstreamName) =>
  new SubgraphError(ErrorCode.NOT_FOUND, `${what} was not found.`, { upstream });

export const badUserInput = (message: string, upstream?: UpstreamName) =>
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
const TIMEOUT_NAMES = new Set(['AbortError', 'TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);

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
export function toSubgraphError(err: unknown, upstream: UpstreamName, subject = 'the request'): SubgraphError {
  if (err instanceof SubgraphError) return err;
  const name = errorName(err);
  const status = httpStatusOf(err);
  const label = UPSTREAM_LABELS[upstream];
  if (name && TIMEOUT_NAMES.has(name)) {
    return new SubgraphError(ErrorCode.UPSTREAM_TIMEOUT, `${label} did not answer within the request's time budget.`, {
      upstream,
      upstreamCode: name,
      cause: err,
    });
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
    return new SubgraphError(ErrorCode.NOT_FOUND, `${label}: ${subject} asked for something that does not exist.`, { upstream, upstreamCode: name, cause: err });
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

export const UPSTREAM_LABELS: Record<UpstreamName, string> = {
  codebuild: 'AWS CodeBuild',
  'codeguru-security': 'Amazon CodeGuru Security',
  inspector2: 'Amazon Inspector',
  advalidation: 'Advalidation',
};
