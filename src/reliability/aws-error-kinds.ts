import { failureOf, httpStatusOf, markedFailure, withFailure, type Failure, type FailureKind } from './failure-kinds.js';

/**
 * What AWS exceptions mean, by name first and HTTP status second (AWS has been seen throttling
 * with HTTP 400). Applied by every AWS client at its boundary, after the SDK's own retries
 * (`classifyAwsError`), and by `toSubgraphError` to an error nobody marked: exception names
 * are the one naming convention unmarked errors follow (Advalidation's and the toolkit's own
 * errors are always marked).
 */
const KIND_BY_NAME = new Map<string, FailureKind>([
  ...kinds('throttled', [
    'ThrottlingException',
    'Throttling',
    'TooManyRequestsException',
    'RequestLimitExceeded',
    'ProvisionedThroughputExceededException',
    'RequestThrottled',
    'RequestThrottledException',
    'SlowDown',
    'TransactionInProgressException',
  ]),
  ...kinds('forbidden', [
    'AccessDeniedException',
    'AccessDenied',
    'UnrecognizedClientException',
    'InvalidSignatureException',
    'SignatureDoesNotMatch',
    'ExpiredTokenException',
    'MissingAuthenticationTokenException',
    'CredentialsProviderError',
  ]),
  ...kinds('bad-input', ['ValidationException', 'InvalidInputException']),
  ...kinds('not-found', ['NotFound', 'ResourceNotFoundException']),
  // Timeouts the service reports itself (an HTTP answer), as opposed to a limit of ours expiring.
  ...kinds('upstream-timeout', ['RequestTimeout', 'RequestTimeoutException']),
]);

function kinds(kind: FailureKind, names: readonly string[]): Array<[string, FailureKind]> {
  return names.map((name) => [name, kind]);
}

/** The name an AWS error goes by (`name`, else a `code` such as a credential provider's). */
function awsErrorName(err: unknown): string | undefined {
  if (err && typeof err === 'object') {
    const e = err as { name?: unknown; code?: unknown };
    if (typeof e.name === 'string' && e.name !== 'Error') return e.name;
    if (typeof e.code === 'string') return e.code;
  }
  return undefined;
}

/**
 * The failure an AWS error means, with the exception's name as its `upstreamCode`. A kind the
 * HTTP handler set or transport facts say (no answer, an attempt timeout, the budget) wins:
 * names cannot say those (the SDK names a reset connection `TimeoutError` for its retry rules).
 */
export function awsFailure(err: unknown): Failure {
  const marked = markedFailure(err);
  if (marked) return marked;
  const inferred = failureOf(err)?.kind;
  const name = awsErrorName(err);
  const transport = inferred === 'unreachable' || inferred === 'attempt-timeout' || inferred === 'budget-expired';
  const kind = transport ? inferred : kindOf(name, httpStatusOf(err));
  return name === undefined || transport ? { kind } : { kind, upstreamCode: name };
}

/** Marks what an AWS client threw with its failure (see awsFailure), and returns it to be rethrown. */
export const classifyAwsError = (err: unknown): unknown => withFailure(err, awsFailure(err));

/** In the order that has always decided: a service timeout, then throttling, then access, then the rest by name. */
function kindOf(name: string | undefined, status: number | undefined): FailureKind {
  const named = name ? KIND_BY_NAME.get(name) : undefined;
  if (named === 'upstream-timeout') return named;
  if (named === 'throttled' || status === 429) return 'throttled';
  if (named === 'forbidden' || status === 401 || status === 403) return 'forbidden';
  return named ?? 'failed';
}
