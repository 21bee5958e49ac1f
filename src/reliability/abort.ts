/**
 * The one abort helper: every wait of the subgraph (a call, a backoff, a queue slot) ends when
 * the request's signal aborts, and rejects with the signal's reason.
 */

/** Calls `listener` once when `signal` aborts; returns the unsubscribe. */
export function onAbort(signal: AbortSignal, listener: () => void): () => void {
  signal.addEventListener('abort', listener, { once: true });
  return () => signal.removeEventListener('abort', listener);
}

/** Settles with `pending`, or rejects with the signal's reason as soon as it aborts. */
export function raceAbort<T>(pending: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<T>((resolve, reject) => {
    const unsubscribe = onAbort(signal, () => reject(abortReason(signal)));
    pending.then(
      (value) => {
        unsubscribe();
        resolve(value);
      },
      (error: unknown) => {
        unsubscribe();
        reject(error);
      },
    );
  });
}

/** Waits `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return raceAbort(new Promise<void>((resolve) => setTimeout(resolve, ms).unref?.()), signal);
}

export function abortReason(signal: AbortSignal): unknown {
  if (signal.reason !== undefined) return signal.reason;
  const error = new Error('The operation was aborted.');
  error.name = 'AbortError';
  return error;
}

/** The abort reason of a request whose client went away before its answer (the name is what logs tell it by). */
export const CLIENT_CLOSED = 'ClientClosedRequest';

export function clientClosedError(): Error {
  const error = new Error('The client closed the connection before the answer.');
  error.name = CLIENT_CLOSED;
  return error;
}

/** Whether a request's signal (or a shared call's, aborted with its last request's reason) was aborted because the client went away, not by a budget. */
export const abandonedByClient = (signal: AbortSignal): boolean =>
  signal.aborted && (signal.reason as { name?: unknown } | undefined)?.name === CLIENT_CLOSED;
