import type { IncomingMessage } from 'node:http';
import { NodeHttpHandler, type NodeHttpHandlerOptions } from '@smithy/node-http-handler';
import type { HttpRequest, HttpResponse } from '@smithy/protocol-http';
import type { HttpHandlerOptions } from '@smithy/types';
import { markedFailure, networkCodeOf, withFailureKind } from './failure-kinds.js';

/**
 * The HTTP handler of the AWS clients (official and hand-built): Smithy's NodeHttpHandler,
 * plus two things it does not do.
 *
 * 1. **A real per-attempt timeout.** NodeHttpHandler's `requestTimeout` only logs a warning
 *    unless `throwOnRequestTimeout` is set, and its socket timeout counts inactivity, not the
 *    attempt. Here each attempt has a clock that runs until the response body is read (a
 *    stalled body is a timeout too); when it expires the attempt fails with a `TimeoutError`
 *    (which the SDK retries as transient) marked `attempt-timeout`.
 * 2. **Honest failure kinds.** NodeHttpHandler renames ECONNRESET, EPIPE and ETIMEDOUT errors
 *    `TimeoutError` so that the SDK retries them, which made a reset connection read as a
 *    timeout. Errors keep their name and code (the SDK's retry rules need them) and gain a
 *    failure kind: `unreachable` for a connection that could not be made or was lost,
 *    `attempt-timeout` when this attempt's clock expired, `budget-expired` when the caller's
 *    signal (the request's budget) aborted.
 */
export class ClassifyingHttpHandler {
  private readonly inner: NodeHttpHandler;

  constructor(
    private readonly attemptTimeoutMs: number,
    options: Omit<NodeHttpHandlerOptions, 'requestTimeout' | 'throwOnRequestTimeout'> = {},
  ) {
    this.inner = new NodeHttpHandler(options);
  }

  get metadata() {
    return this.inner.metadata;
  }

  updateHttpClientConfig(key: never, value: never): void {
    this.inner.updateHttpClientConfig(key, value);
  }

  httpHandlerConfigs() {
    return this.inner.httpHandlerConfigs();
  }

  destroy(): void {
    this.inner.destroy();
  }

  async handle(request: HttpRequest, options: HttpHandlerOptions = {}): Promise<{ response: HttpResponse }> {
    const caller = options.abortSignal as AbortSignal | undefined;
    const attempt = new AbortController();
    let expired = false;
    let onExpiry = () => attempt.abort();
    let onCallerAbort = () => attempt.abort();
    const timer = setTimeout(() => {
      expired = true;
      onExpiry();
    }, this.attemptTimeoutMs);
    const abortListener = () => onCallerAbort();
    caller?.addEventListener('abort', abortListener, { once: true });
    const cleanup = () => {
      clearTimeout(timer);
      caller?.removeEventListener('abort', abortListener);
    };
    if (caller?.aborted) attempt.abort();

    let response: HttpResponse;
    try {
      ({ response } = await this.inner.handle(request, { abortSignal: attempt.signal }));
    } catch (error) {
      cleanup();
      if (expired) throw this.attemptTimeout();
      if (caller?.aborted) throw withFailureKind(error, 'budget-expired');
      // A TimeoutError without a network code here is the connect timeout: nothing answered.
      if (networkCodeOf(error) || (error as { name?: unknown }).name === 'TimeoutError') throw withFailureKind(error, 'unreachable');
      throw error;
    }

    const body = response.body as IncomingMessage | undefined;
    if (!body || typeof body.once !== 'function' || body.readableEnded) {
      cleanup();
      return { response };
    }
    // The clock keeps running while the SDK reads the body; whoever stops it first names the error.
    onExpiry = () => body.destroy(this.attemptTimeout());
    onCallerAbort = () =>
      body.destroy(withFailureKind(Object.assign(new Error('Request aborted'), { name: 'AbortError' }), 'budget-expired'));
    body.once('end', cleanup);
    body.once('close', cleanup);
    body.once('error', (error: Error) => {
      cleanup();
      if (!markedFailure(error) && networkCodeOf(error)) withFailureKind(error, 'unreachable');
    });
    return { response };
  }

  private attemptTimeout(): Error {
    return withFailureKind(
      Object.assign(new Error(`No answer within the ${this.attemptTimeoutMs} ms attempt timeout.`), { name: 'TimeoutError' }),
      'attempt-timeout',
    );
  }
}
