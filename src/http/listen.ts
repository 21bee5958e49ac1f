import type { Server } from 'node:http';

/** Resolves once the server listens; rejects with the listen error (a port in use, a bad host). */
export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** The host a client on this machine dials to reach a listener bound to `host` (a wildcard bind is reached on loopback). */
export function dialableHost(host: string): string {
  return host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
}

/** `http://host:port` for a dialable host, with an IPv6 literal in brackets (RFC 3986). */
export function httpOrigin(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
