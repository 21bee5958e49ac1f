import type { Logger } from 'pino';

/**
 * The log lines a refused API key earns: once a minute at most per kind, because a bad key
 * fails every call until someone fixes it. They name the variable, never the key.
 */
export function keyWarnings(logger: Logger, now: () => number = Date.now) {
  const last = { 401: Number.NEGATIVE_INFINITY, 403: Number.NEGATIVE_INFINITY };
  const messages = {
    401: 'Advalidation rejected the API key (ADVALIDATION_API_KEY, HTTP 401): every Scan lookup will fail until it is fixed',
    403: 'Advalidation denied the API key (ADVALIDATION_API_KEY) access to a scan (HTTP 403): the key authenticates but lacks permission for it',
  };
  return (status: number): void => {
    if (status !== 401 && status !== 403) return;
    if (now() - last[status] < 60_000) return;
    last[status] = now();
    logger.error({ upstream: 'advalidation', status }, messages[status]);
  };
}
