import type { UpstreamName } from '../../src/errors.js';
import type { ExampleQuery } from '../../src/graphiql/landing-page.js';
import type { EmulatedApi } from './route.js';

/** The demo's share of one upstream: its GraphiQL tabs, and its entity in the `_entities` tab. */
export interface UpstreamExamples {
  tabs: ExampleQuery[];
  entity: {
    /** A representation the router would send, with a key the emulator knows. */
    representation: Record<string, unknown>;
    /** The inline fragment selecting it, e.g. `... on Build { id buildStatus }`. */
    fragment: string;
  };
}

/**
 * Everything the emulator knows of one upstream, in one place: its seeded records (served as
 * `data[dataKey]`), its route, the environment that points the real client at it, and the
 * demo's examples. `emulator/index.ts` lists these in one array.
 */
export interface UpstreamEmulator<Api extends UpstreamName, Key extends string, Data, Controls> {
  readonly api: Api;
  readonly dataKey: Key;
  seed(): Data;
  emulate(data: Data): EmulatedApi<Controls>;
  /** Endpoint (and key) settings for this upstream's client, given the emulator's URL. */
  environment(url: string): Record<string, string>;
  examples(data: Data): UpstreamExamples;
}

/** Identity, for inference: keeps `api` and `dataKey` as literal types so the registry's types can be derived. */
export function defineUpstreamEmulator<const Api extends UpstreamName, const Key extends string, Data, Controls>(
  upstream: UpstreamEmulator<Api, Key, Data, Controls>,
): UpstreamEmulator<Api, Key, Data, Controls> {
  return upstream;
}
