import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Metrics } from '../observability/metrics.js';
import { dialableHost, httpOrigin, listen } from './listen.js';
import { parseRequestTarget } from './request-target.js';
import { send } from './respond.js';

export interface MetricsListener {
  /** e.g. http://127.0.0.1:9090/metrics */
  url: string;
  close(): Promise<void>;
}

/**
 * Prometheus metrics on a listener of their own (METRICS_HOST:METRICS_PORT, loopback by
 * default), as Apollo Router does: operational detail never reaches the public port.
 */
export async function startMetricsListener(
  metrics: Metrics,
  options: { host: string; port: number; logger: Logger },
): Promise<MetricsListener> {
  const server: Server = createServer({ requestTimeout: 10_000, headersTimeout: 5_000, connectionsCheckingInterval: 1_000 });
  server.maxConnections = 64;
  server.keepAliveTimeout = 5_000;
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    else socket.destroy();
  });
  server.on('request', (req, res) => {
    const target = parseRequestTarget(req.url);
    if (!target) return send(res, 400, { 'content-type': 'text/plain' }, 'Bad request-target');
    if (target.pathname !== '/metrics') return send(res, 404, { 'content-type': 'text/plain' }, 'Not found: metrics are at /metrics');
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return send(res, 405, { 'content-type': 'text/plain', allow: 'GET, HEAD' }, 'Method not allowed');
    metrics.registry
      .metrics()
      .then((text) => send(res, 200, { 'content-type': metrics.registry.contentType }, req.method === 'HEAD' ? '' : text))
      .catch((error: unknown) => {
        options.logger.error({ err: error }, 'metrics collection failed');
        send(res, 500, { 'content-type': 'text/plain' }, 'metrics unavailable');
      });
  });
  await listen(server, options.port, options.host, { hostVariable: 'METRICS_HOST', portVariable: 'METRICS_PORT' });
  const address = server.address() as AddressInfo;
  const host = dialableHost(options.host);
  return {
    url: `${httpOrigin(host, address.port)}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
