import { EventEmitter, once } from 'node:events';
import { spawn } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { Metrics } from '../../src/observability/metrics.js';
import { installProcessGuard } from '../../src/process-guard.js';
import { selectAll } from '../../testkit/selection.js';
import { startStack, type GraphQLResponse, type Stack } from '../../testkit/stack.js';
import { openSocket, parseResponse, rawExchange, rawGet } from '../support/raw-http.js';

/**
 * Issue #12, the HTTP boundary: every reproduction from the red-team report, against the real
 * server. After each attack /health must still answer; unauthenticated variants must have
 * cost no upstream call (counted in the emulator's log).
 */

const SECRET = 'red-team-router-secret';
const BUILD_QUERY = (id: string) => `{ build(id: "${id}") { id } }`;

async function expectHealthy(stack: Stack): Promise<void> {
  const response = await fetch(`${stack.subgraph.url}/health`);
  expect(response.status).toBe(200);
}

const errorCode = (body: string) => (JSON.parse(body) as GraphQLResponse).errors?.[0]?.extensions?.code;

describe('with ROUTER_SECRET in production', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { ROUTER_SECRET: SECRET, NODE_ENV: 'production', LOG_LEVEL: 'silent' } });
  });
  afterAll(() => stack.stop());
  beforeEach(() => stack.emulator.reset());

  it('answers 400 to request-targets URL parsing would throw on, and keeps serving', async () => {
    for (const target of [
      '//a:99999',
      '//%',
      '//1.2.3.256/health',
      '/graphql?x=%zz',
      '/%',
      'http://[::1/graphql',
      'ftp://x/graphql',
      '*',
    ]) {
      const response = await rawGet(stack.subgraph.url, target);
      expect(response.status, target).toBe(400);
      expect(errorCode(response.body), target).toBe('BAD_REQUEST');
      await expectHealthy(stack);
    }
  });

  it('refuses every encoding of an operation in a GET without the router secret (401, nothing executed)', async () => {
    const id = stack.emulator.data.builds[0]!.id!;
    const browserish = { accept: 'application/json, text/html;q=0.1', 'apollo-require-preflight': '1' };
    const targets = [
      `/graphql?%71uery=${encodeURIComponent(BUILD_QUERY(id))}`,
      `/graphql?q%75ery=${encodeURIComponent(BUILD_QUERY(id))}`,
      `/graphql?%71%75%65%72%79=${encodeURIComponent(BUILD_QUERY(id))}`,
      `/graphql?query=${encodeURIComponent(BUILD_QUERY(id))}`,
      `/graphql?query=${encodeURIComponent('{ _service { sdl } }')}`,
      `/graphql?%71uery=${encodeURIComponent('{ _service { sdl } }')}`,
      `/graphql?extensions=${encodeURIComponent(JSON.stringify({ persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } }))}`,
      '/graphql?',
    ];
    for (const target of targets) {
      for (const accept of [browserish.accept, 'text/html']) {
        const response = await rawGet(stack.subgraph.url, target, { ...browserish, accept });
        expect(response.status, target).toBe(401);
        expect(errorCode(response.body), target).toBe('UNAUTHENTICATED');
        expect(response.body).not.toContain('sdl');
      }
    }
    expect(stack.emulator.calls.entries).toHaveLength(0);
    await expectHealthy(stack);
  });

  it('refuses POSTs and GETs with a body without the secret, whatever the Accept header says', async () => {
    const id = stack.emulator.data.builds[0]!.id!;
    for (const accept of ['text/html', 'application/json']) {
      const post = await fetch(`${stack.subgraph.url}/graphql`, {
        method: 'POST',
        headers: { accept, 'content-type': 'application/json' },
        body: JSON.stringify({ query: BUILD_QUERY(id) }),
      });
      expect(post.status).toBe(401);
    }
    const body = JSON.stringify({ query: BUILD_QUERY(id) });
    const getWithBody = await rawExchange(
      stack.subgraph.url,
      `GET /graphql HTTP/1.1\r\nhost: x\r\naccept: text/html\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`,
    );
    expect(getWithBody.status).toBe(401);
    expect(stack.emulator.calls.entries).toHaveLength(0);
  });

  it('still gives a browser the GraphiQL shell, and runs the same GET for the router', async () => {
    const page = await rawGet(stack.subgraph.url, '/graphql', { accept: 'text/html' });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const id = stack.emulator.data.builds[0]!.id!;
    const routed = await rawGet(stack.subgraph.url, `/graphql?%71uery=${encodeURIComponent(BUILD_QUERY(id))}`, {
      'apollo-require-preflight': '1',
      'router-authorization': SECRET,
    });
    expect(routed.status).toBe(200);
    expect(JSON.parse(routed.body)).toEqual({ data: { build: { id } } });
    expect(stack.emulator.calls.count('codebuild')).toBe(1);
  });

  it('serves no /metrics on the public port, even with the secret; the metrics listener has them', async () => {
    for (const headers of [{}, { 'router-authorization': SECRET }] as Array<Record<string, string>>) {
      expect((await fetch(`${stack.subgraph.url}/metrics`, { headers })).status).toBe(404);
    }
    expect(new URL(stack.subgraph.metricsUrl).hostname).toBe('127.0.0.1');
    expect(new URL(stack.subgraph.metricsUrl).port).not.toBe(new URL(stack.subgraph.url).port);
    expect(await stack.scrapeMetrics()).toContain('subgraph_upstream_calls_total');
  });

  it('hardens the metrics listener like the public one', async () => {
    for (const target of ['//a:99999', '//%', '/metrics?%zz']) {
      expect((await rawGet(stack.subgraph.metricsUrl, target)).status, target).toBe(400);
    }
    expect((await rawGet(stack.subgraph.metricsUrl, '/graphql')).status).toBe(404);
    expect((await fetch(stack.subgraph.metricsUrl, { method: 'POST' })).status).toBe(405);
    expect((await fetch(stack.subgraph.metricsUrl)).status).toBe(200);
  });
});

describe('total request handling', () => {
  let stack: Stack;
  beforeAll(async () => {
    // No ROUTER_SECRET here (stated, though each stack's environment is its own).
    stack = await startStack({ env: { ROUTER_SECRET: '', NODE_ENV: 'test', LOG_LEVEL: 'silent', CIRCUIT_BREAKER_FAILURES: '0' } });
  });
  afterAll(() => stack.stop());
  beforeEach(() => stack.emulator.reset());

  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${stack.subgraph.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  it('answers 404 for asset names that are properties of every object', async () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      const response = await fetch(`${stack.subgraph.url}/graphiql/${name}`);
      expect(response.status, name).toBe(404);
    }
    expect((await fetch(`${stack.subgraph.url}/graphiql/react.js`, { method: 'POST' })).status).toBe(405);
    await expectHealthy(stack);
  });

  it('refuses a subscription with a 400 that says so, not a masked internal error', async () => {
    const response = await post(JSON.stringify({ query: 'subscription { build(id: "x") { id } }' }));
    expect(response.status).toBe(400);
    const body = (await response.json()) as GraphQLResponse;
    expect(body.errors![0]!.message).toMatch(/Subscriptions are not supported/);
    expect(body.errors![0]!.extensions!.code).toBe('BAD_REQUEST');
  });

  it('refuses unknown persisted-query versions and shapes with a 400 and a message', async () => {
    for (const persistedQuery of [{ version: 2, sha256Hash: 'a'.repeat(64) }, { version: '1' }, 'x', 7]) {
      const response = await post(JSON.stringify({ extensions: { persistedQuery } }));
      expect(response.status, JSON.stringify(persistedQuery)).toBe(400);
      const body = (await response.json()) as GraphQLResponse;
      expect(body.errors![0]!.message).not.toBe('Internal server error');
      expect(body.errors![0]!.extensions!.code).not.toBe('INTERNAL_SERVER_ERROR');
    }
  });

  it('answers 4xx for malformed, oddly shaped and oversize bodies', async () => {
    const cases: Array<[string, Record<string, string>?]> = [
      ['{"query": '],
      ['null'],
      ['42'],
      ['"query"'],
      ['[]'],
      ['{"query": 5}'],
      ['{"query": "{ __typename }", "variables": "x"}'],
      ['{"query": "{ __typename }", "extensions": 5}'],
      ['{"query": "{ __typename }", "operationName": {}}'],
      ['{"__proto__": {"query": "{ __typename }"}}'],
      ['{ "query": "{ __typename }" }', { 'content-type': 'text/plain' }],
      ['', {}],
      ['\u0000\uffff'],
    ];
    for (const [body, headers] of cases) {
      const response = await post(body, headers);
      expect(response.status, body).toBeGreaterThanOrEqual(400);
      expect(response.status, body).toBeLessThan(500);
    }
    const huge = await post(JSON.stringify({ query: `{ __typename } #${'x'.repeat(3 * 1024 * 1024)}` }));
    expect(huge.status).toBe(413);
    await expectHealthy(stack);
  });

  it('answers 405 with Allow for methods /graphql does not support', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS']) {
      const response = await fetch(`${stack.subgraph.url}/graphql`, { method });
      expect(response.status, method).toBe(405);
      expect(response.headers.get('allow'), method).toBe('GET, POST');
    }
  });

  it('answers 400 for GET parameters that are not what they claim', async () => {
    for (const search of [
      '?query={__typename}&variables={bad',
      '?query=%7B__typename%7D&extensions=[]',
      `?query=${encodeURIComponent('mutation { x }')}`,
    ]) {
      const response = await rawGet(stack.subgraph.url, `/graphql${search}`, { 'apollo-require-preflight': '1' });
      expect(response.status, search).toBeGreaterThanOrEqual(400);
      expect(response.status, search).toBeLessThan(500);
    }
  });

  it('survives a client that aborts mid-body, and executes nothing for it', async () => {
    const socket = await openSocket(stack.subgraph.url);
    socket.on('error', () => {});
    const closed = once(socket, 'close');
    socket.write(
      `POST /graphql HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"query": "{ build(id: \\"a:1\\") { id } }`,
    );
    socket.destroy();
    await closed;
    await expectHealthy(stack);
    expect(stack.emulator.calls.entries).toHaveLength(0);
  });

  it('answers malformed request lines and headers with 400, not a crash', async () => {
    for (const request of [
      'GARBAGE\r\n\r\n',
      'GET /health HTTP/1.1\r\nhost: x\r\nbad header\r\n\r\n',
      'GET /health HTTP/9.9\r\n\r\n',
      `GET /health HTTP/1.1\r\nx: ${'a'.repeat(20_000)}\r\n\r\n`,
    ]) {
      const response = await rawExchange(stack.subgraph.url, request);
      expect(response.status, request.slice(0, 30)).toBeGreaterThanOrEqual(400);
      await expectHealthy(stack);
    }
  });
});

describe('timeouts and the connection cap', () => {
  const BUDGET_MS = 1_000;
  const TOLERANCE_MS = 1_500;
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      env: {
        REQUEST_TIMEOUT_MS: String(BUDGET_MS),
        MAX_CONNECTIONS: '4',
        KEEP_ALIVE_TIMEOUT_MS: '2000',
        ROUTER_SECRET: '',
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        CIRCUIT_BREAKER_FAILURES: '0',
      },
    });
  });
  afterAll(() => stack.stop());

  it('ties Node’s own timeouts to the budget', () => {
    const { server } = stack.subgraph;
    expect(server.headersTimeout).toBe(BUDGET_MS);
    expect(server.requestTimeout).toBe(BUDGET_MS);
    expect(server.keepAliveTimeout).toBe(2_000);
    expect(server.maxConnections).toBe(4);
  });

  it('answers a slow body 408 and closes its socket within the budget', async () => {
    const socket = await openSocket(stack.subgraph.url);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    const started = performance.now();
    const closed = once(socket, 'close');
    socket.write('POST /graphql HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"qu');
    await closed;
    const elapsed = performance.now() - started;
    expect(parseResponse(Buffer.concat(chunks).toString('utf8')).status).toBe(408);
    expect(elapsed).toBeLessThan(BUDGET_MS + TOLERANCE_MS);
    expect(stack.emulator.calls.entries).toHaveLength(0);
    await expectHealthy(stack);
  });

  it('closes a socket whose headers never finish within the budget', async () => {
    const socket = await openSocket(stack.subgraph.url);
    socket.on('error', () => {});
    socket.on('data', () => {});
    const started = performance.now();
    const closed = once(socket, 'close');
    socket.write('GET /health HTTP/1.1\r\nhost: x\r\nx-slow: ');
    await closed;
    expect(performance.now() - started).toBeLessThan(BUDGET_MS + TOLERANCE_MS);
    await expectHealthy(stack);
  });

  it('drops connections beyond MAX_CONNECTIONS, and serves again once they close', async () => {
    const { server } = stack.subgraph;
    const serverSides: Socket[] = [];
    const accepted = new Promise<void>((resolve) => {
      const onConnection = (socket: Socket) => {
        serverSides.push(socket);
        if (serverSides.length === 4) {
          server.off('connection', onConnection);
          resolve();
        }
      };
      server.on('connection', onConnection);
    });
    const held = await Promise.all([0, 1, 2, 3].map(() => openSocket(stack.subgraph.url)));
    await accepted;
    const dropped = once(server, 'drop');
    const extra = await openSocket(stack.subgraph.url);
    extra.on('error', () => {});
    await Promise.all([dropped, once(extra, 'close')]);
    const serverClosed = serverSides.map((socket) => once(socket, 'close'));
    for (const socket of held) socket.destroy();
    await Promise.all(serverClosed);
    await expectHealthy(stack);
  });
});

describe('the deadline bounds the whole request', () => {
  const BUDGET_MS = 2_000;
  // The subgraph, the emulator and this test's clients share one event loop (and a 2-core
  // machine with other suites): the server's own answer is held to a tighter bound than the
  // moment this process gets round to reading it.
  const SERVER_TOLERANCE_MS = 750;
  const CLIENT_TOLERANCE_MS = 1_500;
  let stack: Stack;
  beforeAll(async () => {
    // The defaults, stated (each stack's environment is its own).
    stack = await startStack({
      env: {
        REQUEST_TIMEOUT_MS: String(BUDGET_MS),
        MAX_CONNECTIONS: '1024',
        KEEP_ALIVE_TIMEOUT_MS: '5000',
        ROUTER_SECRET: '',
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        CIRCUIT_BREAKER_FAILURES: '0',
      },
    });
  });
  afterAll(() => stack.stop());
  beforeEach(() => {
    stack.emulator.reset();
    stack.emulator.faults.clear();
  });

  /** 20 heavy queries at once: when each answer was handed to the socket, and when it arrived. */
  async function heavyBurst(): Promise<{
    serverMs: number[];
    answers: Array<{ ms: number; body: GraphQLResponse<{ builds: unknown[] | null }> }>;
  }> {
    const serverMs: number[] = [];
    const onRequest = (_req: IncomingMessage, res: ServerResponse) => {
      const received = performance.now();
      res.once('finish', () => serverMs.push(performance.now() - received));
    };
    stack.subgraph.server.on('request', onRequest);
    const ids = stack.emulator.data.builds.slice(0, 300).map((build) => build.id!);
    const query = `query Heavy($ids: [ID!]!) { builds(ids: $ids) ${selectAll('Build')} }`;
    try {
      const answers = await Promise.all(
        Array.from({ length: 20 }, async () => {
          const started = performance.now();
          const body = await stack.query<{ builds: unknown[] | null }>(query, { ids });
          return { ms: performance.now() - started, body };
        }),
      );
      return { serverMs, answers };
    } finally {
      stack.subgraph.server.off('request', onRequest);
    }
  }

  function expectWithinBudget({ serverMs, answers }: Awaited<ReturnType<typeof heavyBurst>>): void {
    expect(serverMs).toHaveLength(20);
    for (const ms of serverMs) expect(ms).toBeLessThan(BUDGET_MS + SERVER_TOLERANCE_MS);
    for (const { ms } of answers) expect(ms).toBeLessThan(BUDGET_MS + CLIENT_TOLERANCE_MS);
  }

  it('answers every one of 20 heavy queries within the budget when the upstream is slow', async () => {
    // Data arrives just before the budget ends, leaving the CPU-heavy part (parsing 300 full
    // builds per request, then execution and serialization) to run past it.
    stack.emulator.faults.set('codebuild', { latencyMs: BUDGET_MS - 300 });
    const burst = await heavyBurst();
    expectWithinBudget(burst);
    for (const { body } of burst.answers) {
      // Data so far, or UPSTREAM_TIMEOUT where it is missing: never another code.
      expect((body.errors ?? []).every((error) => error.extensions?.code === 'UPSTREAM_TIMEOUT')).toBe(true);
    }
    await expectHealthy(stack);
  });

  it('answers with UPSTREAM_TIMEOUT within the budget when the upstream stalls', async () => {
    stack.emulator.faults.set('codebuild', { stallMs: 10_000 });
    const burst = await heavyBurst();
    expectWithinBudget(burst);
    for (const { body } of burst.answers) {
      expect(body.errors?.length).toBeGreaterThan(0);
      expect(body.errors!.every((error) => error.extensions?.code === 'UPSTREAM_TIMEOUT')).toBe(true);
    }
    await expectHealthy(stack);
  });

  it("a router's shorter deadline header bounds the answer the same way", async () => {
    stack.emulator.faults.set('codebuild', { stallMs: 10_000 });
    const id = stack.emulator.data.builds[0]!.id!;
    const started = performance.now();
    const body = await stack.query(BUILD_QUERY(id), undefined, { 'x-request-timeout-ms': '300' });
    expect(performance.now() - started).toBeLessThan(300 + SERVER_TOLERANCE_MS);
    expect(body.errors).toMatchObject([{ path: ['build'], extensions: { code: 'UPSTREAM_TIMEOUT' } }]);
  });
});

describe('the process guard', () => {
  it('logs and counts an unhandled rejection', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const logger = createLogger('error', sink);
    const metrics = new Metrics();
    const target = new EventEmitter();
    installProcessGuard(logger, metrics, target);
    target.emit('unhandledRejection', new Error('boom from nowhere'), Promise.resolve());
    target.emit('unhandledRejection', 'a bare string', Promise.resolve());
    expect(await metrics.registry.metrics()).toMatch(/^subgraph_unhandled_rejections_total 2$/m);
    expect(lines.join('\n')).toContain('boom from nowhere');
  });

  it('keeps a real process alive through an unhandled rejection', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/unhandled-rejection-child.ts'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(stdout).toMatch(/^subgraph_unhandled_rejections_total 1$/m);
    expect(stdout).toContain('still serving');
  });
});
