import type { ApolloServerPlugin } from '@apollo/server';
import { ErrorCode } from '../errors.js';
import { jsonByteLength } from '../json-size.js';

/**
 * The last guard on what one request may cost: an answer whose JSON would exceed `maxBytes` is
 * replaced, before it is serialized, by one error saying so. The cost limit refuses most such
 * operations before they run; this catches what the estimate missed (lists longer than the
 * sizes the schema assumes, long strings), without building the oversized string to find out.
 *
 * HTTP 400 and BAD_USER_INPUT: the same operation will be refused again, so the client (or a
 * router, which retries 5xx answers) must ask for less rather than retry.
 */
export function responseSizeLimitPlugin(maxBytes: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          // +1: the newline Apollo appends after the JSON.
          const size = jsonByteLength(response.body.singleResult, maxBytes) + 1;
          if (size <= maxBytes) return;
          response.body.singleResult = {
            errors: [
              {
                message:
                  `The response exceeds ${maxBytes} bytes (MAX_RESPONSE_BYTES) and was not sent. ` +
                  'Ask for fewer keys or fewer fields per request, or split the operation.',
                extensions: { code: ErrorCode.BAD_USER_INPUT, maxResponseBytes: maxBytes },
              },
            ],
          };
          response.http.status = 400;
        },
      };
    },
  };
}
