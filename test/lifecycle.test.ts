import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, it } from 'vitest';
import { SeededEmulator } from '../emulator/index.js';

/** The environment a deployment has: not vitest's NODE_ENV=test (libraries behave differently under it). */
function deployedEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', ...extra };
  return env;
}

/**
 * The live entry (`src/main.ts`, what `npm start` and the image run) against `emulator`, started
 * as deployed with `env` added and `preloads` imported first; resolves once it logged "subgraph ready".
 */
async function startLiveEntry(emulator: SeededEmulator, env: Record<string, string> = {}, preloads: string[] = []) {
  const child = spawn(process.execPath, ['--import', 'tsx', ...preloads.flatMap((path) => ['--import', path]), 'src/main.ts'], {
    env: deployedEnv({ ...emulator.environment(), PORT: '0', METRICS_PORT: '0', LOG_LEVEL: 'info', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  try {
    while (!output.stdout.includes('subgraph ready')) {
      if (child.exitCode !== null) throw new Error(`exited early: ${output.stdout}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return { child, output, exited };
}

/** SIGTERM: stop accepting, drain in-flight requests, exit 0. Runs the real demo process. */
it('drains an in-flight request on SIGTERM, then exits 0', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'demo/main.ts'], {
    env: deployedEnv({ PORT: '0', METRICS_PORT: '0', EMULATOR_PORT: '0', LOG_LEVEL: 'warn' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = once(child, 'exit');
  try {
    while (!/GraphQL:\s+(\S+)/.test(stdout)) {
      if (child.exitCode !== null) throw new Error(`demo exited early: ${stdout}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const graphql = /GraphQL:\s+(\S+)/.exec(stdout)![1]!;
    const emulator = /embedded emulator at (\S+)\)/.exec(stdout)![1]!;
    const id = /Build ids to try:\s+(\S+)/.exec(stdout)![1]!;
    // Slow every CodeBuild answer so the request is still in flight when SIGTERM arrives.
    await fetch(`${emulator}/__emulator/faults`, { method: 'POST', body: JSON.stringify({ codebuild: { latencyMs: 800 } }) });

    const inFlight = fetch(graphql, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ build(id: "${id}") { id buildStatus } }` }),
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    child.kill('SIGTERM');

    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(((await response.json()) as { data: { build: { id: string } } }).data.build.id).toBe(id);
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
    await expect(fetch(graphql, { method: 'POST' })).rejects.toThrow();
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});

/** The live entry (what `npm start` and the image run), idle, as the image runs it (NODE_ENV=production). */
it('the live entry exits 0 on SIGTERM, and with tracing off never loads the OpenTelemetry SDK', async () => {
  const emulator = new SeededEmulator();
  await emulator.start();
  try {
    const { child, output, exited } = await startLiveEntry(emulator, {}, ['./test/support/record-imports.mjs']);
    try {
      child.kill('SIGTERM');
      const [code, signal] = await exited;
      expect({ code, signal }).toEqual({ code: 0, signal: null });
      // The recorder saw the product's modules (so its silence below means something), not the SDK's.
      const loaded = output.stderr
        .split('\n')
        .filter((line) => line.startsWith('import: '))
        .join('\n');
      expect(loaded).toContain('/src/subgraph.ts');
      expect(loaded).not.toContain('/src/observability/tracing-sdk.ts');
      expect(loaded).not.toContain('@opentelemetry/sdk-trace');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  } finally {
    await emulator.stop();
  }
});

/**
 * Tracing configured on the live entry: the OpenTelemetry SDK is loaded only then (src/main.ts
 * imports it on demand), so this proves the on-demand path works in the process as deployed: a
 * query's spans reach an OTLP collector, flushed at shutdown.
 */
it('the live entry with tracing configured exports the spans of a query to the OTLP endpoint', async () => {
  const posts: string[] = [];
  const collector = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      posts.push(`${request.method} ${request.url}`);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
  const emulator = new SeededEmulator();
  await emulator.start();
  let child: ChildProcess | undefined;
  try {
    const live = await startLiveEntry(emulator, { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint });
    child = live.child;
    expect(live.output.stdout).toContain('"tracing on"');
    const url = /"url":"(http:[^"]+)"/.exec(live.output.stdout)![1]!;
    const id = emulator.data.builds[0]!.id!;
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query($id: ID!) { build(id: $id) { id } }', variables: { id } }),
    });
    expect(((await response.json()) as { data: { build: { id: string } } }).data.build.id).toBe(id);
    child.kill('SIGTERM');
    const [code] = await live.exited;
    expect(code).toBe(0);
    expect(posts).toContain('POST /v1/traces');
  } finally {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await emulator.stop();
    collector.close();
  }
});
