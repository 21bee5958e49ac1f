import { describe, expect, it } from 'vitest';
import type DataLoader from 'dataloader';
import { createBatchLoader, loadEach as loadEachTyped, type BatchSource } from '../src/batching/batch-loader.js';
import { badUserInput, notFound, SubgraphError } from '../src/errors.js';

/**
 * The batching contract, enforced on a fake source that records every call it receives:
 * the mechanism is tested alone here; the upstream suites test it again against the emulator.
 */
interface Key {
  region: string;
  id: string;
}

function fakeSource(overrides: Partial<BatchSource<Key, string>> = {}) {
  const calls: Array<{ group: string; ids: string[] }> = [];
  let inFlight = 0;
  let peak = 0;
  const source: BatchSource<Key, string> = {
    upstream: { name: 'fake', label: 'A fake upstream' },
    maxBatchSize: 10,
    cacheKey: (key) => `${key.region}/${key.id}`,
    validate: (key) => (key.id.startsWith('bad') ? badUserInput(`"${key.id}" is malformed.`) : undefined),
    group: (key) => key.region,
    async fetch(keys, group) {
      calls.push({ group, ids: keys.map((key) => key.id) });
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
      return new Map(
        keys.filter((key) => !key.id.startsWith('missing')).map((key) => [`${key.region}/${key.id}`, `value:${key.region}/${key.id}`]),
      );
    },
    notFound: (key) => notFound(`Item "${key.id}"`),
    ...overrides,
  };
  return { source, calls, peak: () => peak };
}

/** Values or per-key Errors, as graphql-js receives them. */
const loadEach = (loader: DataLoader<Key, string, string>, wanted: readonly Key[]) => loadEachTyped(loader, wanted) as Promise<unknown[]>;
const options = () => ({ signal: new AbortController().signal });
const keys = (n: number, region = 'eu-west-1', prefix = 'k') => Array.from({ length: n }, (_, i) => ({ region, id: `${prefix}${i}` }));

describe('batching contract', () => {
  it.each([1, 10, 11, 25, 100, 1000])('%i distinct keys cost exactly ceil(N/limit) calls of at most the limit', async (n) => {
    const { source, calls } = fakeSource();
    const loader = createBatchLoader(source, options());
    const values = await loadEach(loader, keys(n));
    expect(values).toEqual(keys(n).map((key) => `value:${key.region}/${key.id}`));
    expect(calls).toHaveLength(Math.ceil(n / 10));
    expect(Math.max(...calls.map((call) => call.ids.length))).toBeLessThanOrEqual(10);
  });

  it('asks duplicates once and answers every position', async () => {
    const { source, calls } = fakeSource();
    const loader = createBatchLoader(source, options());
    const [a, b] = keys(2);
    const values = await loadEach(loader, [a!, b!, a!, { ...a! }, b!]);
    expect(values).toEqual(['value:eu-west-1/k0', 'value:eu-west-1/k1', 'value:eu-west-1/k0', 'value:eu-west-1/k0', 'value:eu-west-1/k1']);
    expect(calls.flatMap((call) => call.ids)).toEqual(['k0', 'k1']);
  });

  it('never mixes groups in one call, and chunks each group to the limit', async () => {
    const { source, calls } = fakeSource();
    const loader = createBatchLoader(source, options());
    await loadEach(loader, [...keys(15, 'us-east-1'), ...keys(7, 'eu-west-1')]);
    expect(
      calls
        .filter((call) => call.group === 'us-east-1')
        .map((call) => call.ids.length)
        .sort(),
    ).toEqual([10, 5].sort());
    expect(calls.filter((call) => call.group === 'eu-west-1').map((call) => call.ids.length)).toEqual([7]);
    expect(calls).toHaveLength(3);
  });

  it('answers invalid keys with their own error and never sends them', async () => {
    const { source, calls } = fakeSource();
    const loader = createBatchLoader(source, options());
    const values = await loadEach(loader, [
      { region: 'r', id: 'ok' },
      { region: 'r', id: 'bad1' },
    ]);
    expect(values[0]).toBe('value:r/ok');
    expect(values[1]).toBeInstanceOf(SubgraphError);
    expect((values[1] as unknown as SubgraphError).code).toBe('BAD_USER_INPUT');
    expect(calls.flatMap((call) => call.ids)).toEqual(['ok']);
  });

  it('turns keys missing from the answer into NOT_FOUND and ignores records nobody asked for', async () => {
    const { source } = fakeSource({
      async fetch(batch) {
        // Answers a record for a key that was not asked: it must not reach any caller.
        return new Map<string, string>([
          ['r/intruder', 'stolen'],
          ...batch.filter((k) => k.id !== 'missing').map((k) => [`r/${k.id}`, `value:${k.id}`] as [string, string]),
        ]);
      },
    });
    const loader = createBatchLoader(source, options());
    const values = await loadEach(loader, [
      { region: 'r', id: 'a' },
      { region: 'r', id: 'missing' },
    ]);
    expect(values[0]).toBe('value:a');
    expect((values[1] as unknown as SubgraphError).code).toBe('NOT_FOUND');
    expect(values).not.toContain('stolen');
  });

  it('fails only the keys of a call that throws; other calls of the same load answer', async () => {
    const { source } = fakeSource({
      async fetch(batch) {
        if (batch.some((key) => key.id === 'k15'))
          throw Object.assign(new Error('boom'), { name: 'InternalServerException', $metadata: { httpStatusCode: 500 } });
        return new Map(batch.map((key) => [`${key.region}/${key.id}`, key.id]));
      },
    });
    const loader = createBatchLoader(source, options());
    const values = await loadEach(loader, keys(25));
    const failed = values.map((value, index) => (value instanceof SubgraphError ? index : -1)).filter((index) => index >= 0);
    expect(failed).toEqual(Array.from({ length: 10 }, (_, i) => 10 + i));
    expect(
      new Set(values.filter((value) => value instanceof SubgraphError).map((value) => (value as unknown as SubgraphError).code)),
    ).toEqual(new Set(['UPSTREAM_ERROR']));
  });

  it('gives every failed key its own error instance (graphql-js attaches a path to each)', async () => {
    const { source } = fakeSource({
      async fetch() {
        throw new Error('down');
      },
    });
    const values = await loadEach(createBatchLoader(source, options()), keys(3));
    expect(new Set(values).size).toBe(3);
  });

  it('bisects a call rejected because of some of its keys until only those fail', async () => {
    const seen: string[][] = [];
    const { source } = fakeSource({
      async fetch(batch) {
        seen.push(batch.map((key) => key.id));
        if (batch.some((key) => key.id === 'k3' || key.id === 'k8')) {
          throw Object.assign(new Error('1 validation error'), { name: 'ValidationException' });
        }
        return new Map(batch.map((key) => [`${key.region}/${key.id}`, key.id]));
      },
      shouldSplit: (error) => (error as Error).name === 'ValidationException',
    });
    const values = await loadEach(createBatchLoader(source, options()), keys(10));
    const failed = values.flatMap((value, index) =>
      value instanceof SubgraphError ? [[index, (value as unknown as SubgraphError).code]] : [],
    );
    expect(failed).toEqual([
      [3, 'BAD_USER_INPUT'],
      [8, 'BAD_USER_INPUT'],
    ]);
    expect(values.filter((value) => typeof value === 'string')).toHaveLength(8);
    // 1 full call, halves of 5, then 3+2 and 3+2, then the two rejected pairs as singles.
    expect(seen).toHaveLength(11);
    expect(seen).toContainEqual(['k3']);
    expect(seen).toContainEqual(['k8']);
  });

  it('runs every call of one load at once: one wave, no per-request cap', async () => {
    const { source, calls, peak } = fakeSource();
    await loadEach(createBatchLoader(source, options()), keys(100));
    expect(calls).toHaveLength(10);
    expect(peak()).toBe(10);
  });

  it('does not start calls once the request budget is spent, and says UPSTREAM_TIMEOUT', async () => {
    const { source, calls } = fakeSource();
    const controller = new AbortController();
    controller.abort(new DOMException('budget spent', 'TimeoutError'));
    const values = await loadEach(createBatchLoader(source, { signal: controller.signal }), keys(3));
    expect(calls).toHaveLength(0);
    expect(values.map((value) => (value as unknown as SubgraphError).code)).toEqual([
      'UPSTREAM_TIMEOUT',
      'UPSTREAM_TIMEOUT',
      'UPSTREAM_TIMEOUT',
    ]);
  });
});

describe('time budget', () => {
  it('answers UPSTREAM_TIMEOUT when the budget runs out mid-call, even if the client ignores the signal', async () => {
    const controller = new AbortController();
    let settleLate: (() => void) | undefined;
    const { source } = fakeSource({
      // A client stuck in a retry backoff that does not watch the signal.
      fetch: () => new Promise((resolve) => (settleLate = () => resolve(new Map()))),
    });
    const pending = loadEach(createBatchLoader(source, { signal: controller.signal }), keys(2));
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort(new DOMException('budget spent', 'TimeoutError'));
    const values = await pending;
    expect(values.map((value) => (value as SubgraphError).code)).toEqual(['UPSTREAM_TIMEOUT', 'UPSTREAM_TIMEOUT']);
    settleLate?.();
  });
});

describe('misuse is refused with a descriptive error', () => {
  it.each([0, -1, 1.5, Number.NaN])('maxBatchSize %s', (maxBatchSize) => {
    const { source } = fakeSource({ maxBatchSize });
    expect(() => createBatchLoader(source, options())).toThrow(/maxBatchSize must be a positive integer/);
  });

  it('a source without fetch', () => {
    const { source } = fakeSource();
    expect(() => createBatchLoader({ ...source, fetch: undefined as never }, options())).toThrow(/needs fetch and cacheKey/);
  });

  it('a fetch that does not answer a Map fails its keys with an error, not a crash', async () => {
    const { source } = fakeSource({ fetch: async () => [['eu-west-1/k0', 'x']] as never });
    const values = await loadEach(createBatchLoader(source, options()), keys(2));
    expect(values.every((value) => value instanceof SubgraphError)).toBe(true);
    expect((values[0] as unknown as SubgraphError).code).toBe('UPSTREAM_ERROR');
  });
});
