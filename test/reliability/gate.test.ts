import { describe, expect, it } from 'vitest';
import { failureKindOf } from '../../src/reliability/failure-kinds.js';
import { Gate, RequestQueue, Ticket, type Pace } from '../../src/reliability/gate.js';

/** A call that finishes when told to. */
function controllable() {
  const started: string[] = [];
  const finishers = new Map<string, () => void>();
  const call = (name: string) => () => {
    started.push(name);
    return new Promise<string>((resolve) => finishers.set(name, () => resolve(name)));
  };
  const finish = async (name: string) => {
    finishers.get(name)!();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { started, call, finish };
}

const open = () => new AbortController().signal;

describe('gate', () => {
  it('caps calls in flight and serves one queue in order, reporting each wait', async () => {
    const waits: number[] = [];
    const gate = new Gate({ maxConcurrency: 2, onWait: (seconds) => waits.push(seconds) });
    const everyone = new RequestQueue();
    const { started, call, finish } = controllable();
    const results = ['a', 'b', 'c', 'd'].map((name) => gate.run(Ticket.of(everyone), call(name), open()));
    expect(started).toEqual(['a', 'b']);
    expect(gate.inFlight).toBe(2);
    await finish('b');
    expect(started).toEqual(['a', 'b', 'c']);
    await finish('a');
    await finish('c');
    await finish('d');
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c', 'd']);
    expect(waits).toHaveLength(4);
  });

  it('serves request queues round-robin: one call of a small request waits behind a few, not behind all', async () => {
    const gate = new Gate({ maxConcurrency: 1 });
    const big = new RequestQueue();
    const small = new RequestQueue();
    const { started, call, finish } = controllable();
    for (const name of ['b1', 'b2', 'b3', 'b4']) void gate.run(Ticket.of(big), call(name), open());
    void gate.run(Ticket.of(small), call('s1'), open());
    for (const name of ['b1', 's1', 'b2', 'b3']) await finish(name);
    expect(started).toEqual(['b1', 's1', 'b2', 'b3', 'b4']);
  });

  it('a call whose signal aborts while it waits is never made, and rejects with the reason', async () => {
    const gate = new Gate({ maxConcurrency: 1 });
    const queue = new RequestQueue();
    const { started, call, finish } = controllable();
    void gate.run(Ticket.of(queue), call('first'), open());
    const controller = new AbortController();
    const waiting = gate.run(Ticket.of(queue), call('cancelled'), controller.signal);
    controller.abort(new Error('budget'));
    await expect(waiting).rejects.toThrow('budget');
    await finish('first');
    expect(started).toEqual(['first']);
  });

  it('paced: a call starts only when the pace has room, and a request it cannot serve before its deadline is released with a deferral', async () => {
    let now = 1_000;
    let tokens = 1;
    const pace: Pace = {
      hasObserved: true,
      window: (cap) => cap,
      available: () => tokens,
      msUntil: (count) => Math.max(0, count - tokens) * 10_000,
      take: () => (tokens -= 1),
    };
    const gate = new Gate({ maxConcurrency: 4, pace, now: () => now });
    const { started, call } = controllable();
    void gate.run(Ticket.of(new RequestQueue()), call('first'), open());
    expect(started).toEqual(['first']);
    const late = new RequestQueue(now + 500);
    const ticket = new Ticket();
    const released = new Promise<Error>((resolve) => ticket.join(late, resolve));
    void gate.run(ticket, call('late'), open());
    const deferral = await released;
    expect(failureKindOf(deferral)).toBe('rate-deferred');
    expect(started).toEqual(['first']);
    now += 1;
    tokens = 1;
    void gate.run(Ticket.of(new RequestQueue()), call('patient'), open());
    expect(started).toEqual(['first', 'patient']);
  });

  it('releaseLate answers the owners a retry would outlast, and changed(holdOffMs) holds everyone off', async () => {
    let now = 0;
    const gate = new Gate({ maxConcurrency: 1, now: () => now });
    const soon = new RequestQueue(1_000);
    const later = new RequestQueue(1_000_000);
    const ticket = new Ticket();
    const answers: string[] = [];
    ticket.join(soon, (error) => answers.push(`soon: ${failureKindOf(error)}`));
    ticket.join(later, () => answers.push('later'));
    gate.releaseLate(ticket, 5_000);
    expect(answers).toEqual(['soon: rate-deferred']);
    expect(ticket.queues()).toEqual([later]);
    gate.changed(100);
    const { started, call } = controllable();
    void gate.run(Ticket.of(new RequestQueue()), call('held'), open());
    expect(started).toEqual([]);
    now = 101;
    gate.changed();
    expect(started).toEqual(['held']);
  });
});

describe('gate under a burst', () => {
  it('judges waiting calls once per turn, not once per call: 2,000 calls queued at once cost O(n) judgements, not O(n²)', async () => {
    let judged = 0;
    const pace: Pace = {
      hasObserved: true,
      window: (cap) => cap,
      available: () => 1,
      msUntil: () => {
        judged += 1;
        return 0;
      },
      take: () => undefined,
    };
    const gate = new Gate({ maxConcurrency: 1, pace });
    const request = new RequestQueue(Date.now() + 60_000);
    const { started, call } = controllable();
    const pending = Array.from({ length: 2000 }, (_, i) => gate.run(Ticket.of(request), call(String(i)), open()));
    // The first call starts at once, as before: only the judgement of the others waits for the microtask.
    expect(started).toEqual(['0']);
    await Promise.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    // One walk over the 1,999 waiting calls (each judged once); per-call judging would have made about two million.
    expect(judged).toBeLessThanOrEqual(2 * 2000);
    expect(judged).toBeGreaterThan(0);
    void pending;
  });
});
