/**
 * `npm run emulator`: the emulator alone, for pointing any AWS tool or a separately started
 * subgraph at it. Prints the environment to export. EMULATOR_PORT (default 4010).
 */
import { SeededEmulator } from './index.js';

const emulator = new SeededEmulator();
const url = await emulator.start(Number(process.env.EMULATOR_PORT ?? 4010), process.env.EMULATOR_HOST ?? '127.0.0.1');
process.stdout.write(`Emulator listening at ${url}\nExport this to point clients at it:\n`);
for (const [name, value] of Object.entries(emulator.environment())) process.stdout.write(`export ${name}=${value}\n`);
process.stdout.write('READY\n');
const stop = () => void emulator.stop().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
