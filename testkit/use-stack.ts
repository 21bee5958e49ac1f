import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startStack, type Stack } from './stack.js';

/**
 * The set-up most suites share: one stack for the file (started before its first test, stopped
 * after its last) and, unless `reset: false`, a clean emulator (calls, faults, clock) before
 * every test. Returns the stack to use in tests; it throws if touched before it has started.
 */
export function useStack(options: Parameters<typeof startStack>[0] = {}, { reset = true }: { reset?: boolean } = {}): Stack {
  let current: Stack | undefined;
  beforeAll(async () => {
    current = await startStack(options);
  });
  afterAll(() => current?.stop());
  if (reset) beforeEach(() => current?.emulator.reset());
  return new Proxy({} as Stack, {
    get(_target, key) {
      if (!current) throw new Error('the stack starts in beforeAll: use it inside a test or hook');
      return Reflect.get(current, key) as unknown;
    },
  });
}
