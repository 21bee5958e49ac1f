import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestContext } from '../context.js';
import { failOperation, nameOperation } from './tracing.js';

/**
 * Names the operation span (started by the HTTP handler, before Apollo parses anything) once the
 * operation is known, and marks it failed with the error codes the response carries. Never
 * records variables or the document. Does nothing for an untraced request.
 */
export function tracingPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart({ contextValue }) {
      if (!contextValue.trace) return undefined;
      const trace = contextValue.trace;
      return {
        async didResolveOperation({ operation, operationName }) {
          if (operation) nameOperation(trace, operation.operation, operationName);
        },
        async willSendResponse({ response, errors }) {
          const body = response.body;
          const sent = body.kind === 'single' ? (body.singleResult.errors ?? []) : (errors ?? []);
          failOperation(
            trace,
            sent.map((error) => String((error as { extensions?: { code?: unknown } }).extensions?.code ?? 'INTERNAL_SERVER_ERROR')),
          );
        },
      };
    },
  };
}
