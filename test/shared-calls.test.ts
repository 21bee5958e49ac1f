import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type { BatchSource } from '../src/batching/batch-loader.js';
import { SharedCalls } from '../src/batching/shared-calls.js';
import { SubgraphError, badUserInput, notFound } from '../src/errors.js';

const WIDGETS = { name: 'widgets', label: 'Widgets' } as never;

interface Call {
  keys: string[];
  group: string;
  signal: AbortSignal;
}

/** A fake upstream: answers `value:<key>` for every key, refuses a whole call holding a key starting with `bad`. */
function fakeSource(options: { maxBatchSize?: number; latencyMs?: number; fail?: (keys: readonly string[]) => unknown } = {}) {
  const calls: Call[] = [];
  const source: BatchSource<string, string> = {
    upstream: WIDGETS,
    maxBatchSize: options.maxBatchSize ?? 100,
    cacheKey: (key) => key.toLowerCase(),
    async fetch(keys, group, signal) {
      calls.push({ keys: [...keys], group, signal });
      if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
      const failure = options.fail?.(keys);
      if (failure) throw failure;
      if (keys.some((key) => key.startsWith('bad'))) throw badUserInput('refused a call', WIDGETS);
      return new Map(keys.filter((key) => !key.startsWith('missing')).map((key) => [key.toLowerCase(), `value:${key.toLowerCase()}`]));
    },
    notFound: (key) => notFound(`widget ${key}`, WIDGETS),
    shouldSplit: (error) => error instanceof SubgraphError && error.code === 'BAD_USER_INPUT',
  };
  return { source, calls };
}

const live = () => new AbortController().signal;

describe('SharedCalls: keys of concurrent requests share calls', () => {
  it('32 requests of one distinct key each, in one turn of the event loop, cost one call', async () => {
    const { source, calls } = fakeSource();
    const shared = new SharedCalls({ windowMs: 0 });
    const answers = await Promise.all(Array.from({ length: 32 }, (_, i) => shared.fetch(source, [`k${i}`], '', live())));
    expect(calls).toHaveLength(1);
    expect(calls[0]!.keys).toHaveLength(32);
    answers.forEach((answer, i) => expect([...answer.entries()]).toEqual([[`k${i}`, `value:k${i}`]]));
  });

  it('32 requests of 100 distinct keys cost 32 full calls; 32 of 50 cost 16', async () => {
    for (const [size, expected] of [
      [100, 32],
      [50, 16],
    ] as const) {
      const { source, calls } = fakeSource();
      const shared = new SharedCalls({ windowMs: 0 });
      const answers = await Promise.all(
        Array.from({ length: 32 }, (_, r) =>
          shared.fetch(
            source,
            Array.from({ length: size }, (_, i) => `r${r}-${i}`),
            '',
            live(),
          ),
        ),
      );
      expect(calls).toHaveLength(expected);
      expect(calls.every((call) => call.keys.length === 100)).toBe(true);
      answers.forEach((answer, r) => {
        expect(answer.size).toBe(size);
        expect(answer.get(`r${r}-0`)).toBe(`value:r${r}-0`);
      });
    }
  });

  it('a key asked by several requests is asked once and answers each of them', async () => {
    const { source, calls } = fakeSource();
    const shared = new SharedCalls({ windowMs: 0 });
    const [a, b] = await Promise.all([shared.fetch(source, ['same', 'a'], '', live()), shared.fetch(source, ['SAME', 'b'], '', live())]);
    expect(calls.map((call) => call.keys)).toEqual([['same', 'a', 'b']]);
    expect([...a.keys()].sort()).toEqual(['a', 'same']);
    expect([...b.keys()].sort()).toEqual(['b', 'same']);
  });

  it('groups never share a call', async () => {
    const { source, calls } = fakeSource();
    const shared = new SharedCalls({ windowMs: 0 });
    await Promise.all([shared.fetch(source, ['a'], 'eu-west-1', live()), shared.fetch(source, ['b'], 'us-east-1', live())]);
    expect(calls.map((call) => [call.group, call.keys])).toEqual([
      ['eu-west-1', ['a']],
      ['us-east-1', ['b']],
    ]);
  });

  it('while a call of the group is in flight, a window of 2 ms gathers keys that arrive 1 ms apart; a window of 0 does not', async () => {
    // Fake timers: the 1 ms between the keys must be exactly that, however loaded the machine is.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate'] });
    try {
      for (const [windowMs, expected] of [
        [2, 2],
        [0, 3],
      ] as const) {
        const { source, calls } = fakeSource({ latencyMs: 20 });
        const shared = new SharedCalls({ windowMs });
        // A call in flight: traffic is flowing for this group.
        const busy = shared.fetch(source, ['busy'], '', live());
        await vi.advanceTimersByTimeAsync(0);
        expect(calls).toHaveLength(1);
        const first = shared.fetch(source, ['a'], '', live());
        await vi.advanceTimersByTimeAsync(1);
        const second = shared.fetch(source, ['b'], '', live());
        await vi.advanceTimersByTimeAsync(50);
        await Promise.all([busy, first, second]);
        expect(calls).toHaveLength(expected);
      }
    } finally {
      vi.useRealTimers();
    }
  });

  it('with no call of the group in flight, keys go on the next turn whatever the window: a lone request never waits for it', async () => {
    const { source, calls } = fakeSource();
    const shared = new SharedCalls({ windowMs: 2 });
    const first = shared.fetch(source, ['a'], '', live());
    await new Promise((resolve) => setTimeout(resolve, 1));
    expect(calls).toHaveLength(1);
    await Promise.all([first, shared.fetch(source, ['b'], '', live())]);
    expect(calls).toHaveLength(2);
  });

  it('keys absent from the answer are absent from each request’s answer (its loader says NOT_FOUND)', async () => {
    const { source } = fakeSource();
    const shared = new SharedCalls({ windowMs: 0 });
    const [a, b] = await Promise.all([shared.fetch(source, ['missing-1', 'x'], '', live()), shared.fetch(source, ['y'], '', live())]);
    expect([...a.keys()]).toEqual(['x']);
    expect([...b.keys()]).toEqual(['y']);
  });
});

describe('SharedCalls: isolation', () => {
  it('one request’s refused key never fails another request’s keys: the refused call is asked again per request', async () => {
    const { source, calls } = fakeSource();
    const shared = new SharedCalls({ windowMs: 0 });
    const [a, b] = await Promise.allSettled([
      shared.fetch(source, ['bad-1', 'a'], '', live()),
      shared.fetch(source, ['b', 'c'], '', live()),
    ]);
    expect(a.status).toBe('rejected');
    expect(b).toEqual({
      status: 'fulfilled',
      value: new Map([
        ['b', 'value:b'],
        ['c', 'value:c'],
      ]),
    });
    // One shared call, then each request alone.
    expect(calls.map((call) => call.keys)).toEqual([
      ['bad-1', 'a', 'b', 'c'],
      ['bad-1', 'a'],
      ['b', 'c'],
    ]);
  });

  it('a failure that is not about keys reaches every request of that call as it is, without re-asking', async () => {
    const outage = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const { source, calls } = fakeSource({ fail: () => outage });
    const shared = new SharedCalls({ windowMs: 0 });
    const results = await Promise.allSettled([shared.fetch(source, ['a'], '', live()), shared.fetch(source, ['b'], '', live())]);
    expect(results).toEqual([
      { status: 'rejected', reason: outage },
      { status: 'rejected', reason: outage },
    ]);
    expect(calls).toHaveLength(1);
  });

  it('a fetch that does not answer a Map fails its call with a TypeError', async () => {
    const { source } = fakeSource();
    const broken: BatchSource<string, string> = { ...source, fetch: async () => ({}) as never };
    const shared = new SharedCalls({ windowMs: 0 });
    await expect(shared.fetch(broken, ['a'], '', live())).rejects.toThrow(TypeError);
  });
});

describe('SharedCalls: deadlines', () => {
  it('a request that aborts only detaches itself: the call runs on for the others', async () => {
    const { source, calls } = fakeSource({ latencyMs: 20 });
    const shared = new SharedCalls({ windowMs: 0 });
    const leaving = new AbortController();
    const a = shared.fetch(source, ['a'], '', leaving.signal);
    const b = shared.fetch(source, ['b'], '', live());
    setTimeout(() => leaving.abort(new Error('budget spent')), 5);
    expect(await b).toEqual(new Map([['b', 'value:b']]));
    expect(calls[0]!.signal.aborted).toBe(false);
    // Its loader races its own signal; the shared answer still settles it, harmlessly.
    await a;
  });

  it('the call is aborted when the last request waiting for it aborts', async () => {
    const { source, calls } = fakeSource({ latencyMs: 50 });
    const shared = new SharedCalls({ windowMs: 0 });
    const controllers = [new AbortController(), new AbortController()];
    const pending = controllers.map((controller, i) => shared.fetch(source, [`k${i}`], '', controller.signal).catch(() => undefined));
    await new Promise((resolve) => setTimeout(resolve, 5));
    controllers[0]!.abort();
    expect(calls[0]!.signal.aborted).toBe(false);
    controllers[1]!.abort();
    expect(calls[0]!.signal.aborted).toBe(true);
    await Promise.all(pending);
  });

  it('keys only aborted requests wanted are not asked; an aborted signal is refused at once', async () => {
    const { source, calls } = fakeSource();
    const shared = new SharedCalls({ windowMs: 0 });
    const gone = new AbortController();
    const a = shared.fetch(source, ['a'], '', gone.signal);
    const b = shared.fetch(source, ['b'], '', live());
    gone.abort();
    await Promise.allSettled([a, b]);
    expect(calls.map((call) => call.keys)).toEqual([['b']]);
    await expect(shared.fetch(source, ['c'], '', gone.signal)).rejects.toBeDefined();
  });

  it('leaves no abort listener behind on a request’s signal', async () => {
    const { source } = fakeSource();
    const shared = new SharedCalls({ windowMs: 0 });
    const controller = new AbortController();
    const listeners: unknown[] = [];
    const add = controller.signal.addEventListener.bind(controller.signal);
    const remove = controller.signal.removeEventListener.bind(controller.signal);
    controller.signal.addEventListener = ((type: string, listener: never, options: never) => {
      listeners.push(listener);
      add(type, listener, options);
    }) as never;
    controller.signal.removeEventListener = ((type: string, listener: never) => {
      listeners.splice(listeners.indexOf(listener), 1);
      remove(type, listener);
    }) as never;
    for (let i = 0; i < 50; i += 1) await shared.fetch(source, [`k${i}`], '', controller.signal);
    expect(listeners).toHaveLength(0);
  });
});

describe('SharedCalls: key ↔ answer, under faults (property)', () => {
  it('every request gets exactly the answers to its own keys, whatever the mix of requests, duplicates and refused keys', async () => {
    const key = fc.oneof(fc.constantFrom('a', 'b', 'c', 'A', 'missing-x', 'bad-z'), fc.stringMatching(/^[a-z]{1,3}$/));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uniqueArray(key, { minLength: 1, maxLength: 12, selector: (k) => k.toLowerCase() }), { minLength: 1, maxLength: 8 }),
        async (requests) => {
          const { source, calls } = fakeSource({ maxBatchSize: 5 });
          const shared = new SharedCalls({ windowMs: 0 });
          const results = await Promise.allSettled(requests.map((keys) => shared.fetch(source, keys, '', live())));
          results.forEach((result, r) => {
            const keys = requests[r]!;
            if (result.status === 'rejected') {
              // Only a request holding a refused key may be refused.
              expect(keys.some((k) => k.startsWith('bad'))).toBe(true);
              return;
            }
            expect(keys.some((k) => k.startsWith('bad'))).toBe(false);
            const expected = new Map(
              keys.filter((k) => !k.startsWith('missing')).map((k) => [k.toLowerCase(), `value:${k.toLowerCase()}`]),
            );
            expect(result.value).toEqual(expected);
          });
          for (const call of calls) expect(call.keys.length).toBeLessThanOrEqual(5);
        },
      ),
      { numRuns: 200 },
    );
  });
});
