// Preload (`node --import`): writes every module URL the ESM loader resolves to stderr, one
// `import: <url>` line each, so a test can tell which of the product's modules a process loaded.
import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';

const { port1, port2 } = new MessageChannel();
port1.on('message', (url) => process.stderr.write(`import: ${url}\n`));
// Never what keeps the process alive.
port1.unref();
register('./record-imports-hooks.mjs', import.meta.url, { data: { port: port2 }, transferList: [port2] });
