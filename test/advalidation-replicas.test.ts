import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SeededEmulator } from '../emulator/index.js';

/**
 * Replicas behind one egress IP share Advalidation's per-IP allowance. Three real subgraph
 * processes (src/main.ts, live mode, pointed at one emulator whose bucket all of them draw from)
 * each with the default limiter settings, as an operator who did not divide them would run
 * them: the headers every answer carries are the only coordination, and they suffice.
 */
const REPLICAS = 3;
const BUDGET_MS = 4_000;

interface Replica {
  child: ChildProcess;
  url: string;
}

let emulator: SeededEmulator;
let replicas: Replica[] = [];
/** Every child spawned, started or not: a replica that fails to start must not orphan the others. */
const spawned: ChildProcess[] = [];

async function startReplica(): Promise<Replica> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      ...process.env,
      ...emulator.environment(),
      PORT: '0',
      METRICS_PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      ADVALIDATION_SETTLED_CACHE_SIZE: '0',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  spawned.push(child);
  let out = '';
  let err = '';
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`replica exited with ${code}: ${err}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const ready = /"url":"([^"]+\/graphql)"[^\n]*"subgraph ready"|"subgraph ready"[^\n]*"url":"([^"]+\/graphql)"/.exec(out);
      if (ready) resolve((ready[1] ?? ready[2])!);
    });
  });
  return { child, url };
}

beforeAll(async () => {
  emulator = new SeededEmulator();
  await emulator.start();
  replicas = await Promise.all(Array.from({ length: REPLICAS }, () => startReplica()));
}, 90_000);

afterAll(async () => {
  await Promise.all(
    spawned.map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }),
  );
  await emulator?.stop();
});

type Scans = { data?: { scans: Array<{ id: string } | null> }; errors?: Array<{ path: [string, number]; extensions: { code: string } }> };

it('three replicas, one tight bucket (15, refill 1/s): few 429s, and every request answered (served or THROTTLED) before its budget', async () => {
  emulator.reset();
  emulator.advalidation.setAllowance({ size: 15, refillPerSecond: 1 });
  const ids = emulator.data.scans.map((scan) => String(scan.id));
  // Two concurrent requests per replica, 10 distinct scans each: 60 scans against ~19 tokens.
  const requests = replicas.flatMap((replica, r) =>
    [0, 1].map((q) => ({ replica, wanted: ids.slice((r * 2 + q) * 10, (r * 2 + q) * 10 + 10) })),
  );
  const started = Date.now();
  const responses = await Promise.all(
    requests.map(async ({ replica, wanted }) => {
      const response = await fetch(replica.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-timeout-ms': String(BUDGET_MS) },
        body: JSON.stringify({ query: `query($ids: [ID!]!) { scans(ids: $ids) { id } }`, variables: { ids: wanted } }),
      });
      return { status: response.status, body: (await response.json()) as Scans, elapsed: Date.now() - started };
    }),
  );
  let served = 0;
  responses.forEach(({ status, body, elapsed }, index) => {
    expect(status).toBe(200);
    expect(elapsed).toBeLessThan(BUDGET_MS + 500);
    const wanted = requests[index]!.wanted;
    const codes = new Map((body.errors ?? []).map((error) => [error.path[1], error.extensions.code]));
    body.data!.scans.forEach((scan, i) => {
      if (scan) {
        expect(scan.id).toBe(wanted[i]);
        served += 1;
      } else {
        expect(codes.get(i), `request ${index}, scans[${i}]`).toBe('THROTTLED');
      }
    });
  });
  const calls = emulator.calls.of('advalidation');
  const throttled = calls.filter((call) => call.status === 429).length;
  // What the bucket can give in the window: its 15 plus ~1/s.
  expect(served).toBeGreaterThanOrEqual(15);
  expect(served).toBeLessThanOrEqual(15 + Math.ceil(BUDGET_MS / 1000) + 1);
  expect(calls.filter((call) => call.status === 200)).toHaveLength(served);
  // Uncoordinated replicas overdraw a little where the bucket runs dry (typically 4-6 429s of
  // ~22 GETs), never by each spending its own assumed burst of 15.
  expect(throttled).toBeLessThanOrEqual(8);
  process.stdout.write(`replicas: ${served} served, ${60 - served} THROTTLED, ${throttled} 429s, ${calls.length} GETs\n`);
}, 30_000);
