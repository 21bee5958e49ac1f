import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A tiny HTTP server that answers both restJson1 services the same way, so the hand-built
 * CodeGuru Security client and the generated Inspector2 client can be compared on identical
 * answers. Tests script the answers; every request is recorded as received.
 */
export type Service = 'codeguru-security' | 'inspector2';

export interface MockRequest {
  service: Service;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface MockAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export const SUCCESS_BODY: Record<Service, string> = {
  'codeguru-security': '{"findings":[],"failedFindings":[]}',
  inspector2: '{"findingDetails":[],"errors":[]}',
};

export class ParityMock {
  readonly requests: MockRequest[] = [];
  /** Milliseconds the mock's clock is ahead of the test process's. */
  clockOffsetMs = 0;
  answer: (request: MockRequest, mock: ParityMock) => MockAnswer = (request) => ({ status: 200, body: SUCCESS_BODY[request.service] });
  url = '';
  private server: Server | undefined;

  now(): Date {
    return new Date(Date.now() + this.clockOffsetMs);
  }

  of(service: Service): MockRequest[] {
    return this.requests.filter((request) => request.service === service);
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const path = req.url ?? '/';
        const service: Service = path.endsWith('/batchGetFindings') ? 'codeguru-security' : 'inspector2';
        const request = { service, method: req.method ?? 'GET', path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
        this.requests.push(request);
        const answer = this.answer(request, this);
        res.writeHead(answer.status, { 'content-type': 'application/json', date: this.now().toUTCString(), ...answer.headers });
        res.end(answer.body ?? '');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  reset(): void {
    this.requests.length = 0;
    this.clockOffsetMs = 0;
    this.answer = (request) => ({ status: 200, body: SUCCESS_BODY[request.service] });
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** `20250101T000000Z` → Date. */
export function parseAmzDate(value: unknown): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(String(value ?? ''));
  return m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)) : undefined;
}
