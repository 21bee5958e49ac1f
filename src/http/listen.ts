import type { Server } from 'node:http';

/** The settings a listener's host and port come from, named when it cannot listen. */
export interface ListenSettings {
  hostVariable: string;
  portVariable: string;
}

/**
 * Resolves once the server listens. A listen error (a port in use, a host that is not this
 * machine's or does not resolve) rejects with one line naming the setting, as every start-up
 * error does.
 */
export function listen(server: Server, port: number, host: string, settings: ListenSettings): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException) => reject(new Error(listenProblem(error, port, host, settings), { cause: error }));
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      resolve();
    });
  });
}

function listenProblem(error: NodeJS.ErrnoException, port: number, host: string, { hostVariable, portVariable }: ListenSettings): string {
  switch (error.code) {
    case 'EADDRINUSE':
      return `${portVariable}=${port}: the port is already in use on ${host}; choose a free one (0 = any).`;
    case 'EACCES':
      return `${portVariable}=${port}: not allowed to listen on this port (ports below 1024 need privileges).`;
    case 'EADDRNOTAVAIL':
      return `${hostVariable}=${host}: not an address of this machine (0.0.0.0 = every interface, 127.0.0.1 = loopback).`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'EAI_NONAME':
      return `${hostVariable}=${host}: the host name does not resolve.`;
    default:
      return `${hostVariable}/${portVariable}: could not listen on ${host}:${port} (${error.code ?? error.message}).`;
  }
}

/** The host a client on this machine dials to reach a listener bound to `host` (a wildcard bind is reached on loopback). */
export function dialableHost(host: string): string {
  return host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
}

/** `http://host:port` for a dialable host, with an IPv6 literal in brackets (RFC 3986). */
export function httpOrigin(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
