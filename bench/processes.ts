import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface ServerProcess {
  url: string;
  pid: number;
  /** Peak resident memory so far (VmHWM), in MB. */
  peakRssMb(): number;
  /** CPU time (user + system) the process has used so far, in ms. */
  cpuMs(): number;
  /** SIGTERM, resolved once the process has exited (a --cpu-prof profile is written by then). */
  stop(): Promise<void>;
}

/**
 * Starts a server in its own process with plain node (plus `nodeArgs`, e.g. `--import tsx` for
 * a .ts contender or `--cpu-prof`) and waits for the line announcing its URL: the built subgraph
 * (`dist/main.js`, exactly what the Docker image runs) or one of the contenders it is compared with.
 */
export async function startServerProcess(
  script: string,
  env: NodeJS.ProcessEnv,
  urlPattern: RegExp,
  nodeArgs: string[] = [],
): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...nodeArgs, script], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}: ${out}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = urlPattern.exec(out);
      if (match) resolve(match[1]!);
    });
  });
  // Keep draining stdout (a server that logs must never block on a full pipe).
  child.stdout!.resume();
  return {
    url,
    pid: child.pid!,
    peakRssMb() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
    },
    cpuMs: () => processCpuMs(child.pid!),
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** User + system CPU of a process of this machine so far, in ms (/proc/<pid>/stat, fields 14 and 15). */
export function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
}
// USER_HZ, 100 on every Linux this runs on (getconf CLK_TCK).
const CLOCK_TICKS_PER_SECOND = 100;
