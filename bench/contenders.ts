import { HERMETIC_ENV } from '../testkit/stack.js';
import { startServerProcess, type ServerProcess } from './processes.js';

/**
 * Everything the benchmark sets in the subgraph's environment beyond where the emulator is, with
 * the reason: printed with the results. Nothing here tunes the subgraph; the child environment is
 * built from scratch (PATH and HOME only from this shell), so a variable exported in the shell
 * that runs the bench cannot change the figures either.
 */
export const BASE_OVERRIDES: Record<string, string> = {
  PORT: '0',
  METRICS_PORT: '0',
  HOST: '127.0.0.1',
  // The SDK's notice that Node 20 support ends: one line on stderr, no effect on the calls.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  ...HERMETIC_ENV,
};
export const OVERRIDE_REASONS: Record<string, string> = {
  'PORT, METRICS_PORT, HOST': 'ephemeral ports on loopback',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "silences the SDK's Node 20 notice (stderr only)",
  'AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE': "this machine's AWS files never leak in",
  'AWS_ENDPOINT_URL_*, AWS_REGION, AWS_ACCESS_KEY_ID, ...': 'point the clients at the emulator (as an operator would)',
};

export interface Contender {
  name: string;
  label: string;
  start(emulatorEnv: Record<string, string>, extra?: Record<string, string>, nodeArgs?: string[]): Promise<ServerProcess>;
}

const childEnv = (emulatorEnv: Record<string, string>, extra: Record<string, string> = {}) => ({
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  ...emulatorEnv,
  ...BASE_OVERRIDES,
  ...extra,
});

const SUBGRAPH_URL = /"url":"(http:[^"]+)"/;
const PRINTED_URL = /URL (\S+)/;

const subgraph = (name: string, label: string, env: Record<string, string>): Contender => ({
  name,
  label,
  start: (emulatorEnv, extra = {}, nodeArgs = []) =>
    startServerProcess('dist/main.js', childEnv(emulatorEnv, { ...env, ...extra }), SUBGRAPH_URL, nodeArgs),
});

/** This subgraph as built (`node dist/main.js`), default settings. */
export const OURS = subgraph('ours', 'this subgraph (defaults)', {});
/** The same with cross-request batching off: the only difference is this one variable. */
export const OURS_NO_SHARING = subgraph('oursNoSharing', 'this subgraph, BATCH_SHARING=off', { BATCH_SHARING: 'off' });
export const NAIVE: Contender = {
  name: 'naive',
  label: 'naive subgraph (1 call per entity)',
  start: (emulatorEnv, extra = {}) =>
    startServerProcess('bench/naive-subgraph.ts', childEnv(emulatorEnv, extra), PRINTED_URL, ['--import', 'tsx']),
};
export const BARE: Contender = {
  name: 'bareApollo',
  label: 'bare Apollo Server ({ hello })',
  start: (emulatorEnv, extra = {}) => startServerProcess('bench/bare-apollo.mjs', childEnv(emulatorEnv, extra), PRINTED_URL),
};
/** The floor of measure 3: Apollo Server + one process-wide batcher + the SDK, nothing else (bench/minimal-subgraph.mjs). */
export const MINIMAL: Contender = {
  name: 'minimal',
  label: 'minimal batched subgraph (floor)',
  start: (emulatorEnv, extra = {}) => startServerProcess('bench/minimal-subgraph.mjs', childEnv(emulatorEnv, extra), PRINTED_URL),
};
/**
 * A floor script serving one of its two variants, chosen by `variable`: over node:http (`rest`)
 * or behind Apollo Server (`apollo`).
 */
const floorOf =
  (script: string, variable: string, prefix: string) =>
  (kind: 'rest' | 'apollo', label: string): Contender => ({
    name: `${prefix}-${kind}`,
    label,
    start: (emulatorEnv, extra = {}) => startServerProcess(script, childEnv(emulatorEnv, { ...extra, [variable]: kind }), PRINTED_URL),
  });
/** The floors of measure 2 (bench/mixed-floor.mjs): the 30 calls signed by hand and JSON.parse'd, the thin selection written over node:http or by Apollo Server. */
const mixedFloor = floorOf('bench/mixed-floor.mjs', 'MIXED_FLOOR', 'mixedFloor');
export const MIXED_FLOOR_REST = mixedFloor('rest', 'node:http + signed calls + JSON.parse (floor)');
export const MIXED_FLOOR_APOLLO = mixedFloor('apollo', 'Apollo Server + signed calls + JSON.parse (floor)');
/** The floors of measure 5 (bench/memory-floor.mjs): 1000 full builds with the SDK, over node:http or behind Apollo Server. */
const memoryFloor = floorOf('bench/memory-floor.mjs', 'MEMORY_FLOOR', 'memoryFloor');
export const MEMORY_FLOOR_REST = memoryFloor('rest', 'node:http + SDK, JSON.stringify (floor)');
export const MEMORY_FLOOR_APOLLO = memoryFloor('apollo', 'Apollo Server + SDK, one JSON scalar (floor)');
export const REST: Contender = {
  name: 'rest',
  label: 'REST endpoint (node:http + SDK)',
  start: (emulatorEnv, extra = {}) =>
    startServerProcess('bench/rest-endpoint.ts', childEnv(emulatorEnv, extra), PRINTED_URL, ['--import', 'tsx']),
};
