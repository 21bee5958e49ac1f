import type { IncomingMessage } from 'node:http';

export type BodyResult =
  | { kind: 'ok'; text: string }
  /** Larger than the limit (by its content-length or by what arrived). */
  | { kind: 'too-large' }
  /** Not complete within the time allowed: a slow or stalled client. */
  | { kind: 'timeout' }
  /** The client went away (or sent a malformed chunked body) before the end. */
  | { kind: 'aborted' };

/**
 * Reads a request body as UTF-8 text within a size and a time limit. Never rejects: every way a
 * hostile or broken client can end a body is one of the results above, so no caller can leave
 * a promise to reject unobserved.
 */
export function readBody(req: IncomingMessage, limits: { maxBytes: number; timeoutMs: number }): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limits.maxBytes) return Promise.resolve({ kind: 'too-large' });
  return new Promise<BodyResult>((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (result: BodyResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onAborted);
      req.off('close', onClose);
      // Stop reading whatever else the client sends; the caller answers and closes.
      if (result.kind !== 'ok') req.pause();
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limits.maxBytes) finish({ kind: 'too-large' });
      else chunks.push(chunk);
    };
    const onEnd = () => finish({ kind: 'ok', text: Buffer.concat(chunks).toString('utf8') });
    const onAborted = () => finish({ kind: 'aborted' });
    const onClose = () => {
      if (!req.complete) finish({ kind: 'aborted' });
    };
    const timer = setTimeout(() => finish({ kind: 'timeout' }), Math.max(0, limits.timeoutMs));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onAborted);
    req.on('close', onClose);
  });
}
