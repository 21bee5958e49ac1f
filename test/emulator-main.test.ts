// `npm run emulator` prints how to run the subgraph against it; the lines it prints must be enough.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { expect, it } from 'vitest';
import { loadConfig } from '../src/config/index.js';
import { describeUpstreams } from '../src/upstreams/registry.js';
import { HERMETIC_ENV } from '../testkit/stack.js';

it('prints the export lines and the npm run dev command that configure the subgraph for it', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'emulator/main.ts'], {
    env: { PATH: process.env.PATH ?? '', EMULATOR_PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  try {
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`emulator exited with ${code}: ${out}`)));
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('READY\n')) resolve();
      });
    });
  } finally {
    child.kill('SIGTERM');
  }
  await once(child, 'exit').catch(() => undefined);

  const url = /listening at (\S+)/.exec(out)![1]!;
  const exported = Object.fromEntries([...out.matchAll(/^export (\w+)=(.*)$/gm)].map((match) => [match[1]!, match[2]!]));
  expect(out).toMatch(/^npm run dev$/m);
  // The one-command form carries the same settings.
  const oneLine = out.split('\n').find((line) => line.endsWith(' npm run dev'))!;
  expect(oneLine).toBe(
    `${Object.entries(exported)
      .map(([name, value]) => `${name}=${value}`)
      .join(' ')} npm run dev`,
  );

  // Exactly what the subgraph needs: it loads with nothing else and every client goes to the emulator.
  const config = await loadConfig({ ...HERMETIC_ENV, ...exported });
  const described = await describeUpstreams(config);
  for (const [upstream, target] of Object.entries(described)) expect(target, upstream).toContain(new URL(url).host);
  expect(Object.keys(described)).toHaveLength(4);
});
