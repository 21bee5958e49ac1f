import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config/index.js';
import { withEndpoint } from '../src/upstreams/aws/client-options.js';
import { HERMETIC_ENV } from '../testkit/stack.js';
import { SeededEmulator } from '../emulator/index.js';
import { createInspector2Api, MAX_REGION_CLIENTS, type Inspector2Api } from '../src/upstreams/inspector2/client.js';
import { regionOf } from '../src/upstreams/inspector2/model.js';

/**
 * The per-region SDK clients: one per region for the life of the process, reused by every
 * request, and bounded because regions come from caller-supplied ARNs. Calls go to the real
 * emulator; only client construction is observed here.
 */
const constructed = vi.hoisted(() => [] as string[]);
vi.mock('@aws-sdk/client-inspector2', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@aws-sdk/client-inspector2')>();
  class CountedClient extends actual.Inspector2Client {
    constructor(...args: ConstructorParameters<typeof actual.Inspector2Client>) {
      super(...args);
      constructed.push(String(args[0]?.region));
    }
  }
  return { ...actual, Inspector2Client: CountedClient };
});

let emulator: SeededEmulator;
let api: Inspector2Api;
beforeAll(async () => {
  emulator = new SeededEmulator();
  await emulator.start();
  // Endpoint and credentials come from the configuration of the emulator's environment, as in production.
  const config = await loadConfig({ ...HERMETIC_ENV, ...emulator.environment() });
  api = createInspector2Api(withEndpoint(config.aws, config.inspector2.endpoint));
});
afterAll(() => emulator.stop());
beforeEach(() => {
  emulator.reset();
  constructed.length = 0;
});

const signal = () => new AbortController().signal;
const arnsIn = (region: string, n: number) =>
  emulator.data.inspector.details
    .filter((detail) => regionOf(detail.findingArn!) === region)
    .slice(0, n)
    .map((detail) => detail.findingArn!);

describe('Inspector2 region clients', () => {
  it('creates one client per region and reuses it across requests, each call signed for its region', async () => {
    const west = arnsIn('eu-west-1', 4);
    const east = arnsIn('us-east-1', 2);
    const first = await api.batchGetFindingDetails('eu-west-1', west.slice(0, 2), signal());
    const second = await api.batchGetFindingDetails('eu-west-1', west.slice(2), signal());
    const third = await api.batchGetFindingDetails('us-east-1', east, signal());
    expect([first, second, third].map((result) => result.findingDetails.map((detail) => detail.findingArn))).toEqual([
      west.slice(0, 2),
      west.slice(2),
      east,
    ]);
    expect(constructed).toEqual(['eu-west-1', 'us-east-1']);
    expect(emulator.calls.of('inspector2').map((call) => call.region)).toEqual(['eu-west-1', 'eu-west-1', 'us-east-1']);
  });

  it('keeps at most MAX_REGION_CLIENTS clients, so ARNs naming made-up regions cannot grow the process', async () => {
    const letters = (i: number) => String.fromCharCode(97 + Math.floor(i / 26), 97 + (i % 26));
    const regions = Array.from({ length: MAX_REGION_CLIENTS + 1 }, (_, i) => `${letters(i)}-fake-1`);
    for (const region of [...regions, regions[0]!]) {
      const result = await api.batchGetFindingDetails(
        region,
        [`arn:aws:inspector2:${region}:123456789012:finding/${'b'.repeat(32)}`],
        signal(),
      );
      expect(result.errors.map((error) => error.errorCode)).toEqual(['FINDING_DETAILS_NOT_FOUND']);
    }
    // The first region was the least recently used when the limit was passed: it was evicted and built again.
    expect(constructed).toEqual([...regions, regions[0]]);
    expect(emulator.calls.of('inspector2').map((call) => call.region)).toEqual([...regions, regions[0]]);
  });
});
