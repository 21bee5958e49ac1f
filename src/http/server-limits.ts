import { createServer, type Server } from 'node:http';
import type { CoreConfig as Config } from '../config/core.js';

/**
 * The public listener with Node's own timeouts tied to the request budget: headers and the
 * whole request must arrive within it (Node answers 408 and closes the socket otherwise), and
 * Node checks for overdue connections often enough that none outlives it by much (its default
 * check runs every 30 s, which let slow-body sockets live past 90 s).
 */
export function createPublicServer(config: Pick<Config, 'requestTimeoutMs' | 'maxConnections' | 'keepAliveTimeoutMs'>): Server {
  const budget = config.requestTimeoutMs;
  const server = createServer({
    requestTimeout: budget,
    headersTimeout: budget,
    connectionsCheckingInterval: Math.min(1_000, Math.max(50, Math.floor(budget / 10))),
  });
  server.maxConnections = config.maxConnections;
  server.keepAliveTimeout = config.keepAliveTimeoutMs;
  // A socket that goes quiet mid-response (a client that stopped reading) is not kept forever.
  server.timeout = budget * 2 + config.keepAliveTimeoutMs;
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    // Node's parser refused the request (malformed line or headers, header overflow, timeout):
    // answer what it was, if the socket can still take it, and close.
    const pending = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (!socket.writable || pending?.headersSent) {
      socket.destroy();
      return;
    }
    const status =
      error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? '408 Request Timeout'
        : error.code === 'HPE_HEADER_OVERFLOW'
          ? '431 Request Header Fields Too Large'
          : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
  });
  return server;
}
