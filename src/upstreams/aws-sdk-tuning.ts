/**
 * The SDK's logger middleware builds a redacted deep copy of every response for its logger,
 * even when the logger is the default no-op one (it calls `logger.info(...)` with the copy).
 * For 1,000 builds that copy was 14% of the subgraph's CPU and much of its garbage. The
 * subgraph logs upstream calls itself (without payloads), so the middleware goes.
 */
export function withoutSdkResponseLogging(client: { middlewareStack: { remove(name: string): boolean } }): void {
  client.middlewareStack.remove('loggerMiddleware');
}
