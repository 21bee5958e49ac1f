import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';

interface DemoRun {
  stdout: string;
  stderr: string;
  /** The exit code, or null when the demo was still running and got stopped once ready. */
  code: number | null;
}

/**
 * `tsx demo/main.ts` with the environment given on top of this one's (undefined removes a
 * variable): it runs until it prints its GraphQL URL (then it is stopped) or exits by itself.
 */
function runDemo(env: Record<string, string | undefined>): Promise<DemoRun> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, PORT: '0', METRICS_PORT: '0', EMULATOR_PORT: '0', LOG_LEVEL: 'warn' };
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete childEnv[name];
    else childEnv[name] = value;
  }
  const child = spawn(process.execPath, ['--import', 'tsx', 'demo/main.ts'], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const run: DemoRun = { stdout: '', stderr: '', code: null };
  child.stdout.on('data', (chunk: Buffer) => {
    run.stdout += chunk.toString();
    if (/GraphQL:\s+\S+\/graphql/.test(run.stdout)) child.kill('SIGTERM');
  });
  child.stderr.on('data', (chunk: Buffer) => (run.stderr += chunk.toString()));
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      run.code = signal === null && !/GraphQL:/.test(run.stdout) ? code : null;
      resolve(run);
    });
  });
}

async function holdPort(host: string): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return { port: (server.address() as AddressInfo).port, server };
}

describe('npm run demo', () => {
  it('prints no AWS SDK Node-version notice, unless the user asks for it (the variable is only defaulted)', async () => {
    const [quiet, asked] = await Promise.all([
      runDemo({ AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: undefined }),
      runDemo({ AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'false' }),
    ]);
    expect(quiet.stdout).toMatch(/GraphQL:\s+http/);
    expect(quiet.stderr).not.toMatch(/NodeVersionSupportWarning|Node\.js version|node >=22/);
    // The notice exists only below Node 22: there, a user's own `false` still shows it.
    if (Number(process.versions.node.split('.')[0]) < 22) expect(asked.stderr).toMatch(/NodeVersionSupportWarning/);
  }, 60_000);

  it.each([
    ['EMULATOR_PORT', '127.0.0.1', {}],
    ['PORT', '127.0.0.1', { HOST: '127.0.0.1' }],
    ['METRICS_PORT', '127.0.0.1', {}],
  ])(
    'with %s already held: one line naming the port and the variable, exit 1',
    async (variable, host, env) => {
      const held = await holdPort(host);
      try {
        const run = await runDemo({ ...env, [variable]: String(held.port) });
        expect(run.code).toBe(1);
        const lines = run.stderr.split('\n').filter(Boolean);
        expect(lines).toEqual([
          `Demo failed to start: ${variable}=${held.port}: the port is already in use on ${host}; choose a free one (0 = any).`,
        ]);
        expect(run.stdout).toBe('');
      } finally {
        await new Promise((resolve) => held.server.close(resolve));
      }
    },
    30_000,
  );
});
