import type { ServerResponse } from 'node:http';

/** Writes a whole response unless one was already started (then it only ends it). */
export function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  if (res.headersSent) {
    if (!res.writableEnded) res.end();
    return;
  }
  res.writeHead(status, headers);
  res.end(body);
}

/**
 * A GraphQL-shaped error answered by the HTTP layer itself (before Apollo sees the request),
 * so clients and routers read it like any other GraphQL error.
 */
export function sendGraphQLError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  send(
    res,
    status,
    { 'content-type': 'application/json; charset=utf-8', ...headers },
    JSON.stringify({ errors: [{ message, extensions: { code } }] }),
  );
}
