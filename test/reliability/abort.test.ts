import { describe, expect, it } from 'vitest';
import { abortReason, onAbort, raceAbort, sleep } from '../../src/reliability/abort.js';

describe('abort helper', () => {
  it('raceAbort settles with the promise, or rejects with the signal’s reason as soon as it aborts', async () => {
    await expect(raceAbort(Promise.resolve(1), new AbortController().signal)).resolves.toBe(1);
    const controller = new AbortController();
    const never = new Promise<never>(() => undefined);
    const raced = raceAbort(never, controller.signal);
    controller.abort(new Error('budget'));
    await expect(raced).rejects.toThrow('budget');
    await expect(raceAbort(Promise.resolve(1), controller.signal)).rejects.toThrow('budget');
  });

  it('sleep ends early on abort; abortReason names an AbortError when the signal gave no reason', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const waiting = sleep(60_000, controller.signal);
    setTimeout(() => controller.abort(), 5);
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(1_000);
    const bare = { aborted: true, reason: undefined } as unknown as AbortSignal;
    expect(abortReason(bare)).toMatchObject({ name: 'AbortError' });
  });

  it('onAbort calls its listener once, and not after unsubscribing', () => {
    const controller = new AbortController();
    let calls = 0;
    const unsubscribe = onAbort(controller.signal, () => (calls += 1));
    const other = new AbortController();
    onAbort(other.signal, () => (calls += 10))();
    controller.abort();
    other.abort();
    unsubscribe();
    expect(calls).toBe(1);
  });
});
