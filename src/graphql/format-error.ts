import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { clip } from '../errors.js';

const MAX_ERROR_MESSAGE_CHARS = 1_000;

/**
 * Apollo's own refusal ("… pass introspection: true to ApolloServer …") tells an operator to edit
 * code they do not own; ours names the setting and the way round it. Code and status stay Apollo's.
 */
export const INTROSPECTION_OFF_MESSAGE =
  'Introspection is off on this subgraph (INTROSPECTION=off). Explore the schema through the router, ' +
  'or set INTROSPECTION=on to turn it on here.';

/** What a document nested past the engine's stack is refused with (HTTP 400, its code unchanged). */
export const NESTED_TOO_DEEPLY_MESSAGE =
  'The document is nested too deeply to be read (lists, objects or selections inside each other thousands of levels deep). ' +
  'Pass deep values as variables of a flatter shape.';
const STACK_OVERFLOW = /Maximum call stack size exceeded/;

/** graphql-js's own refusal of an operation whose fields would take too long to compare, with what to do. */
export const VALIDATION_BUDGET_MESSAGE =
  'The operation is too complex to validate: it repeats the same fields or fragments so often that comparing them for merging ' +
  'exceeds the validator’s work limit. Select each field once, or split the operation.';

/**
 * Errors the subgraph raises on purpose (the vocabulary, validation, bad variables) pass as
 * they are. Anything else is a bug or an unexpected library error: log it, answer a generic
 * message so no internals (paths, hosts, credentials) leak.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown, logger: Logger): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  // Apollo's NoIntrospection rule marks its refusals so (one per __schema/__type field, however
  // reached: fragments, aliases, persisted queries, GET or POST all go through validation).
  if (code === 'GRAPHQL_VALIDATION_FAILED' && formatted.extensions?.validationErrorCode === 'INTROSPECTION_DISABLED')
    return { ...formatted, message: INTROSPECTION_OFF_MESSAGE };
  // graphql-js parses (and validates) recursively: a document nested a few thousand levels deep,
  // far under the token limit, overflows the stack. The refusal says why, not what the engine hit.
  if ((code === 'GRAPHQL_PARSE_FAILED' || code === 'GRAPHQL_VALIDATION_FAILED') && STACK_OVERFLOW.test(formatted.message))
    return { ...formatted, message: NESTED_TOO_DEEPLY_MESSAGE };
  // graphql-js stops comparing fields for merging past a work budget and says only "Validation aborted.".
  if (code === 'GRAPHQL_VALIDATION_FAILED' && formatted.message === 'Validation aborted.')
    return { ...formatted, message: VALIDATION_BUDGET_MESSAGE };
  if (code === 'INTERNAL_SERVER_ERROR' && isClientRequestError(error)) {
    // Apollo's own refusals of a malformed request (e.g. an unsupported persisted-query
    // version) carry a 4xx status but no code: they are the client's mistake, not a bug.
    return { ...formatted, extensions: { ...formatted.extensions, code: 'BAD_REQUEST' } };
  }
  if (code === 'INTERNAL_SERVER_ERROR') {
    logger.error(
      { err: boundedError(error), path: formatted.path?.slice(0, 20).map((step) => (typeof step === 'string' ? clip(step) : step)) },
      'unexpected error in a resolver',
    );
    return { message: 'Internal server error', locations: formatted.locations, path: formatted.path, extensions: { code } };
  }
  // graphql-js quotes offending input values whole (a 1 MB string in a variable of the wrong type
  // comes back in the message): a message is cut, never the error.
  if (formatted.message.length > MAX_ERROR_MESSAGE_CHARS)
    return { ...formatted, message: clip(formatted.message, MAX_ERROR_MESSAGE_CHARS) };
  return formatted;
}

function isClientRequestError(error: unknown): boolean {
  if (!(error instanceof GraphQLError) || error.path !== undefined) return false;
  const status = (error.extensions.http as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/** An error for a log line: its message cut (it may quote input), its stack frames without the message. */
function boundedError(error: unknown): Record<string, unknown> {
  const original = (error as { originalError?: unknown } | undefined)?.originalError ?? error;
  if (!(original instanceof Error)) return { message: clip(String(original)) };
  const frames = (original.stack ?? '')
    .split('\n')
    .filter((line) => line.trimStart().startsWith('at '))
    .slice(0, 15);
  return { type: original.name, message: clip(original.message, 300), stack: frames.join('\n') };
}
