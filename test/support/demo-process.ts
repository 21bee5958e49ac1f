import { spawn, type ChildProcess } from 'node:child_process';

export interface DemoProcess {
  /** Base URL of the subgraph (GraphQL and GraphiQL at `${url}/graphql`). */
  url: string;
  stop(): Promise<void>;
}

/**
 * `npm run demo` in a process of its own, with the environment given on top of this one's. For
 * what depends on process.env itself rather than on the config (Apollo reads NODE_ENV there:
 * in-process, vitest's NODE_ENV=test would hide what production does). Variables set to
 * undefined are removed, so a default is tested whatever the machine running the tests has set.
 */
export async function startDemoProcess(env: Record<string, string | undefined>): Promise<DemoProcess> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, PORT: '0', METRICS_PORT: '0', EMULATOR_PORT: '0', LOG_LEVEL: 'warn' };
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete childEnv[name];
    else childEnv[name] = value;
  }
  const child = spawn(process.execPath, ['--import', 'tsx', 'demo/main.ts'], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`demo exited with ${code}: ${out}`)));
      child.stdout!.on('data', () => {
        const match = /GraphQL:\s+(\S+)\/graphql/.exec(out);
        if (match) resolve(match[1]!);
      });
    });
    return { url, stop: () => stop(child) };
  } catch (error) {
    await stop(child);
    throw error;
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}
