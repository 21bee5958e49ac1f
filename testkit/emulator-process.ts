import { spawn, type ChildProcess } from 'node:child_process';
import { CallLog, type RecordedCall } from '../emulator/core/call-log.js';
import type { FaultSettings } from '../emulator/core/faults.js';

/**
 * The emulator in a process of its own (`emulator/main.ts`), so that its CPU and memory never count as the
 * subgraph's. Controlled over its /__emulator/* endpoints.
 */
export class EmulatorProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    readonly environment: Record<string, string>,
  ) {}

  static async start(extraEnv: Record<string, string> = {}): Promise<EmulatorProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'emulator/main.ts'], {
      env: { ...process.env, EMULATOR_PORT: '0', ...extraEnv },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`emulator exited with ${code}: ${out}`)));
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('READY')) resolve();
      });
    });
    const environment: Record<string, string> = {};
    for (const match of out.matchAll(/^export (\w+)=(.*)$/gm)) environment[match[1]!] = match[2]!;
    const url = /listening at (\S+)/.exec(out)![1]!;
    return new EmulatorProcess(child, url, environment);
  }

  /** The emulator's call log as it stands, to count calls in exactly as a test counts them in-process. */
  async calls(): Promise<CallLog> {
    const response = await fetch(`${this.url}/__emulator/calls`);
    return new CallLog(((await response.json()) as { calls: RecordedCall[] }).calls);
  }

  async reset(): Promise<void> {
    await fetch(`${this.url}/__emulator/reset`, { method: 'POST' });
  }

  async faults(settings: Record<string, FaultSettings>): Promise<void> {
    await fetch(`${this.url}/__emulator/faults`, { method: 'POST', body: JSON.stringify(settings) });
  }

  stop(): void {
    this.child.kill('SIGTERM');
  }
}
