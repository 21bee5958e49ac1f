import { connect, createServer as createNetServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP server on loopback that misbehaves the way a broken upstream does, for error-class
 * tests through the real clients:
 * - `reset`: reads the request, then destroys the socket without answering;
 * - `stall`: accepts the request and never answers;
 * - `stall-body`: answers 200 with headers and half a body, then never sends the rest.
 * `requests` counts the requests it received, so tests can see that calls did (or did not) arrive.
 */
export type HostileMode = 'reset' | 'stall' | 'stall-body';

export interface HostileServer {
  url: string;
  readonly requests: number;
  close(): Promise<void>;
}

export async function startHostileServer(mode: HostileMode): Promise<HostileServer> {
  const sockets = new Set<Socket>();
  let requests = 0;
  const server: Server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let seen = '';
    socket.on('data', (chunk) => {
      seen += chunk.toString('latin1');
      // One request per blank line that ends its headers (bodies here are small and JSON).
      while (seen.includes('\r\n\r\n')) {
        seen = seen.slice(seen.indexOf('\r\n\r\n') + 4);
        requests += 1;
        if (mode === 'reset') socket.destroy();
        if (mode === 'stall-body') {
          socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 4000\r\n\r\n{"builds":[');
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A loopback port nothing listens on (bound, then released): connecting to it is refused. */
export async function closedPortUrl(): Promise<string> {
  // Not a port freed by listen(0) + close: the OS hands that same ephemeral port to the next
  // listen(0), another test file's emulator, which then answers (seen under a loaded CI). Ports
  // below Linux's ephemeral range (32768..) are never given out by listen(0); one that refuses
  // a connection now stays refused for the test.
  for (let port = 20_000 + Math.floor(Math.random() * 5_000); ; port++) {
    if (await refuses(port)) return `http://127.0.0.1:${port}`;
  }
}

function refuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}
