import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface ServerProcess {
  url: string;
  pid: number;
  /** Peak resident memory so far (VmHWM), in MB. */
  peakRssMb(): number;
  stop(): void;
}

/**
 * Starts a server in its own process with plain node and waits for the line announcing its
 * URL: the built subgraph (`dist/main.js`, exactly what the Docker image runs) or the bare
 * Apollo Server it is compared with.
 */
export async function startServerProcess(script: string, env: NodeJS.ProcessEnv, urlPattern: RegExp): Promise<ServerProcess> {
  const child = spawn(process.execPath, [script], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}: ${out}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = urlPattern.exec(out);
      if (match) resolve(match[1]!);
    });
  });
  return {
    url,
    pid: child.pid!,
    peakRssMb() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
    },
    stop: () => child.kill('SIGTERM'),
  };
}
