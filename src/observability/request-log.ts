import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestContext } from '../context.js';
import { clip } from '../errors.js';
import { abandonedByClient } from '../reliability/abort.js';
import type { Metrics } from './metrics.js';

const CALLER_OUTCOMES: ReadonlySet<string> = new Set(['ok', 'BAD_USER_INPUT', 'NOT_FOUND', 'CLIENT_CLOSED']);

/**
 * One structured log line per GraphQL request (debug level: quiet by default), and a warning
 * when an upstream failed. Carries the request id, operation name, the upstream calls the
 * request cost and its outcome - never variables, headers or keys.
 */
export function requestLogPlugin(metrics: Metrics): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ contextValue: context, operationName, errors, response }) {
          const seconds = (performance.now() - started) / 1000;
          const body = response.body;
          // The response's errors are the request's (`errors` repeats the execution ones): count each once.
          const sent = body.kind === 'single' ? (body.singleResult.errors ?? []) : (errors ?? []);
          const codes: Record<string, number> = {};
          for (const error of sent) {
            const code = String((error as { extensions?: { code?: unknown } }).extensions?.code ?? 'INTERNAL_SERVER_ERROR');
            codes[code] = (codes[code] ?? 0) + 1;
          }
          const outcome = Object.keys(codes).length === 0 ? 'ok' : 'errors';
          metrics.requestDuration.observe({ operation: metrics.operationLabel.of(operationName ?? 'anonymous'), outcome }, seconds);
          const calls: Record<string, number> = {};
          // Calls really sent: one an open circuit refused made no request (its failure still warns below).
          for (const call of [...context.upstreamCalls, ...context.listCalls])
            if (call.sent) calls[call.upstream] = (calls[call.upstream] ?? 0) + 1;
          // context.logger is a child carrying requestId already: the line does not repeat it.
          const line = {
            // Client-chosen and of any length: a log line carries a bounded prefix.
            operation: operationName == null ? null : clip(operationName),
            durationMs: Math.round(seconds * 1000),
            upstreamCalls: calls,
            outcome,
            errors: codes,
          };
          // Answers about the caller's input (a bad or unknown key, project or scan) are not upstream failures.
          const failed = (call: { outcome: string }) => !CALLER_OUTCOMES.has(call.outcome);
          const upstreamFailed = context.upstreamCalls.some(failed) || context.listCalls.some(failed);
          // A client that went away cut its own upstream calls: that says nothing about the
          // upstreams, so it is no warning (a load test stopping would otherwise raise hundreds).
          if (abandonedByClient(context.signal)) context.logger.debug({ ...line, outcome: 'abandoned' }, 'request abandoned by the client');
          else if (upstreamFailed) context.logger.warn(line, 'request finished with upstream failures');
          else context.logger.debug(line, 'request finished');
        },
      };
    },
  };
}
