import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { UpstreamName } from '../../src/errors.js';
import { CallLog } from './call-log.js';
import { EmulatorClock } from './clock.js';
import { Faults, faultsProblem, type FaultSettings } from './faults.js';
import type { EmulatorRequest, EmulatorResponse, EmulatorRoute } from './route.js';

/**
 * A local HTTP server speaking the wire protocols of the upstream APIs. The subgraph's real
 * clients reach it through the standard endpoint settings (AWS_ENDPOINT_URL_<SERVICE>,
 * ADVALIDATION_BASE_URL), so everything from signing to retries runs as in production.
 * Each API lives in its own folder (`emulator/<api>/route.ts`) and registers a route.
 */
export interface EmulatorOptions {
  routes: readonly EmulatorRoute[];
  port?: number;
  host?: string;
}

export class Emulator {
  readonly calls = new CallLog();
  readonly faults = new Faults();
  private readonly routes: readonly EmulatorRoute[];
  private server: Server | undefined;
  private inFlight = new Map<UpstreamName, number>();
  private maxInFlight = new Map<UpstreamName, number>();
  private readonly clock = new EmulatorClock();
  url = '';

  /** How far the emulator's clock is from the machine's (ms; positive = ahead): see EmulatorClock. */
  get clockOffsetMs(): number {
    return this.clock.offsetMs;
  }

  set clockOffsetMs(offset: number) {
    this.clock.offsetMs = offset;
  }

  constructor(options: EmulatorOptions) {
    this.routes = options.routes;
  }

  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    const server = createServer((req, res) => {
      this.serve(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`emulator error: ${error instanceof Error ? error.message : String(error)}`);
      });
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    const address = server.address() as AddressInfo;
    this.url = `http://${host}:${address.port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The most calls of one API that were ever in progress at the same time. */
  peakConcurrency(api: UpstreamName): number {
    return this.maxInFlight.get(api) ?? 0;
  }

  /** Forgets calls, peaks and faults: a clean slate between tests. */
  reset(): void {
    this.calls.clear();
    this.faults.clear();
    this.maxInFlight.clear();
    this.clockOffsetMs = 0;
  }

  /** The emulator's clock. */
  now(): Date {
    return this.clock.at();
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = Date.now();
    const reply = (res: ServerResponse, response: EmulatorResponse) => send(res, response, this.now());
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request: EmulatorRequest = {
      method: req.method ?? 'GET',
      url: new URL(req.url ?? '/', 'http://emulator'),
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
      now: this.clock.at(receivedAt),
    };
    if (request.url.pathname.startsWith('/__emulator/')) {
      reply(res, this.admin(request));
      return;
    }
    const route = this.routes.find((candidate) => candidate.matches(request));
    if (!route) {
      reply(res, {
        status: 404,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message: `No emulated API at ${request.method} ${request.url.pathname}` }),
      });
      return;
    }
    const api = route.api;
    const current = (this.inFlight.get(api) ?? 0) + 1;
    this.inFlight.set(api, current);
    this.maxInFlight.set(api, Math.max(current, this.maxInFlight.get(api) ?? 0));
    try {
      const fault = await this.faults.apply(api, route, request);
      const { response, call } = fault ? { response: fault, call: route.describe(request) } : await route.handle(request);
      this.calls.record({
        api,
        operation: call.operation,
        keys: call.keys,
        region: call.region,
        status: response.status,
        fault: fault !== undefined,
        receivedAt,
      });
      if (!res.destroyed) reply(res, response);
    } finally {
      this.inFlight.set(api, (this.inFlight.get(api) ?? 1) - 1);
    }
  }

  /** A small control surface for the benchmark and the demo, which run the emulator in another process. */
  private admin(request: EmulatorRequest): EmulatorResponse {
    const json = (status: number, body: unknown): EmulatorResponse => ({
      status,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const path = request.url.pathname;
    if (path === '/__emulator/calls' && request.method === 'GET') return json(200, { calls: this.calls.entries });
    if (path === '/__emulator/reset' && request.method === 'POST') {
      this.reset();
      return json(200, { ok: true });
    }
    if (path === '/__emulator/clock' && request.method === 'POST') {
      const offset = Number((JSON.parse(request.body || '{}') as { offsetMs?: unknown }).offsetMs);
      if (!Number.isFinite(offset)) return json(400, { message: 'offsetMs must be a number' });
      this.clockOffsetMs = offset;
      return json(200, { ok: true });
    }
    if (path === '/__emulator/faults' && request.method === 'POST') {
      try {
        const body = JSON.parse(request.body || '{}') as unknown;
        const problem = faultsProblem(
          body,
          this.routes.map((route) => route.api),
        );
        if (problem) return json(400, { message: problem });
        for (const [api, settings] of Object.entries(body as Record<string, FaultSettings>)) this.faults.set(api as UpstreamName, settings);
        return json(200, { ok: true, faults: body });
      } catch (error) {
        return json(400, { message: error instanceof Error ? error.message : 'bad faults' });
      }
    }
    return json(404, { message: 'unknown emulator control path' });
  }
}

/** Every answer carries a Date header, as AWS's do (clients correct their clock skew from it). */
function send(res: ServerResponse, response: EmulatorResponse, now: Date): void {
  res.writeHead(response.status, { date: now.toUTCString(), ...(response.headers ?? {}) });
  res.end(response.body ?? '');
}
