/**
 * `npm run emulator`: the emulator alone, for pointing any AWS tool or a separately started
 * subgraph at it. Prints the environment to export and how to start the subgraph with it.
 * EMULATOR_PORT (default 4010), EMULATOR_HOST (default 127.0.0.1).
 */
import { SeededEmulator } from './index.js';

const emulator = new SeededEmulator();
const url = await emulator.start(Number(process.env.EMULATOR_PORT ?? 4010), process.env.EMULATOR_HOST ?? '127.0.0.1');
const environment = Object.entries(emulator.environment());
// testkit/emulator-process.ts reads the `listening at` URL, the `export` lines and READY from this output.
const lines = [
  `Emulator listening at ${url}`,
  'To run the subgraph against it, in another shell of this checkout paste:',
  '',
  ...environment.map(([name, value]) => `export ${name}=${value}`),
  'npm run dev',
  '',
  'or as one command:',
  '',
  `${environment.map(([name, value]) => `${name}=${value}`).join(' ')} npm run dev`,
  '',
  '(`npm run build && npm start` in place of `npm run dev` runs the built subgraph; it answers at http://127.0.0.1:4001/graphql,',
  ' PORT and METRICS_PORT move it. AWS tools take the same variables.)',
];
// With a profile set, the subgraph takes its credentials from the profile, not from the keys above.
if (process.env.AWS_PROFILE)
  lines.push(`AWS_PROFILE=${process.env.AWS_PROFILE} is set in this shell: unset AWS_PROFILE in the subgraph's.`);
process.stdout.write(`${lines.join('\n')}\nREADY\n`);
const stop = () => void emulator.stop().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
