import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { expect, it } from 'vitest';

/** SIGTERM: stop accepting, drain in-flight requests, exit 0. Runs the real demo process. */
it('drains an in-flight request on SIGTERM, then exits 0', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'demo/main.ts'], {
    env: { ...process.env, PORT: '0', METRICS_PORT: '0', EMULATOR_PORT: '0', LOG_LEVEL: 'warn' },
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
