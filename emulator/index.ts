import type { UpstreamName } from '../src/errors.js';
import { advalidationEmulator } from './advalidation/index.js';
import { codebuildEmulator } from './codebuild/index.js';
import { codeguruSecurityEmulator } from './codeguru-security/index.js';
import { EMULATOR_CREDENTIALS } from './core/aws-wire.js';
import type { EmulatedApi } from './core/route.js';
import { Emulator } from './core/server.js';
import type { UpstreamEmulator, UpstreamExamples } from './core/upstream.js';
import { inspector2Emulator } from './inspector2/index.js';

/** Every emulated upstream. Emulating another = its folder plus one line here. */
export const UPSTREAM_EMULATORS = [codebuildEmulator, codeguruSecurityEmulator, inspector2Emulator, advalidationEmulator] as const;

type Registered = (typeof UPSTREAM_EMULATORS)[number];
type Controls<U> = U extends UpstreamEmulator<UpstreamName, string, unknown, infer C> ? C : never;
type Data<U> = U extends UpstreamEmulator<UpstreamName, string, infer D, unknown> ? D : never;

/** The seeded records every emulated API serves, by each upstream's data key; tests compare responses against these. */
export type EmulatorData = { [U in Registered as U['dataKey']]: Data<U> };
/** What tests may turn on each API beyond faults, by API name. */
export type EmulatorControls = { [U in Registered as U['api']]: Controls<U> };

// The registry's entries differ in their data type; this view is for iterating them at run time.
type AnyUpstream = UpstreamEmulator<UpstreamName, string, unknown, unknown>;
const upstreams = UPSTREAM_EMULATORS as readonly AnyUpstream[];
const dataOf = (data: EmulatorData, upstream: AnyUpstream): unknown => (data as Record<string, unknown>)[upstream.dataKey];

export function seedData(): EmulatorData {
  return Object.fromEntries(upstreams.map((upstream) => [upstream.dataKey, upstream.seed()])) as EmulatorData;
}

/** The demo's examples of every upstream, in registry order. */
export function upstreamExamples(data: EmulatorData): UpstreamExamples[] {
  return upstreams.map((upstream) => upstream.examples(dataOf(data, upstream)));
}

export class SeededEmulator extends Emulator {
  readonly controls: EmulatorControls;

  constructor(readonly data: EmulatorData = seedData()) {
    const apis: Array<[UpstreamName, EmulatedApi<unknown>]> = upstreams.map((upstream) => [
      upstream.api,
      upstream.emulate(dataOf(data, upstream)),
    ]);
    super({ routes: apis.map(([, api]) => api.route) });
    this.controls = Object.fromEntries(apis.map(([name, api]) => [name, api.controls])) as EmulatorControls;
  }

  /** Advalidation's per-IP allowance can be tightened by tests. */
  get advalidation(): EmulatorControls['advalidation'] {
    return this.controls.advalidation;
  }

  /**
   * The environment that points the real clients at this emulator, exactly as an operator
   * points them at any endpoint: endpoint overrides plus credentials for the default chain.
   */
  environment(): Record<string, string> {
    return {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
      ...Object.assign({}, ...upstreams.map((upstream) => upstream.environment(this.url))),
    };
  }
}
