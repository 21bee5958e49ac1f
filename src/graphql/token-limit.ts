import type { GraphQLFormattedError } from 'graphql';

// A document's parse and validation cost grows with its tokens, not its bytes: 1.5 MB of
// `query Qn { __typename }` (60,000 operations) passed every per-operation limit and held the
// event loop for seconds. graphql-js stops lexing past `parseOptions.maxTokens` (set in
// apollo.ts), so what a refused document costs is bounded by the limit, whatever its size.

// graphql-js 16 words it "more that"; a later fix of the typo must not turn the rewrite off.
const GRAPHQL_TOKEN_LIMIT = /^Syntax Error: Document contains more th[ae][nt] \d+ tokens\b/;

/**
 * graphql-js's refusal names neither the setting nor what to do; the client gets both. The code
 * stays Apollo's GRAPHQL_PARSE_FAILED (HTTP 400): the document was not parsed, and sending it
 * again is refused again.
 */
export function explainTokenLimit(formatted: GraphQLFormattedError, maxTokens: number): GraphQLFormattedError {
  if (formatted.extensions?.code !== 'GRAPHQL_PARSE_FAILED' || !GRAPHQL_TOKEN_LIMIT.test(formatted.message)) return formatted;
  return {
    message:
      `The document has more than ${maxTokens} tokens (MAX_QUERY_TOKENS) and was not parsed. ` +
      'Send one operation and only the fragments it uses, or pass long lists as variables.',
    extensions: { ...formatted.extensions, maxTokens },
  };
}
