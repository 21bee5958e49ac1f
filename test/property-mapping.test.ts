import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../testkit/stack.js';

/**
 * Property: whatever mix of existing, duplicate, unknown and malformed keys a request carries,
 * and whatever faults the upstream injects, every position answers its own key's record or
 * an error with a code that fits the key. No entity ever carries another key's data.
 */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { AWS_MAX_ATTEMPTS: '2' } });
});
afterAll(() => stack.stop());

const UPSTREAM_FAILURES = ['THROTTLED', 'UPSTREAM_ERROR', 'UPSTREAM_TIMEOUT'];

describe('Build key <-> result mapping', () => {
  it('holds for random key sets under random faults', async () => {
    const known = stack.emulator.data.builds.slice(0, 300);
    const byId = new Map(known.map((build) => [build.id!, build]));
    const key = fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...known.map((build) => build.id!)) },
      { weight: 2, arbitrary: fc.integer({ min: 0, max: 50 }).map((n) => `ghost-project:${n}`) },
      { weight: 1, arbitrary: fc.constantFrom('', ' ', '\t') },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(key, { minLength: 1, maxLength: 250 }),
        fc.double({ min: 0, max: 0.4, noNaN: true }),
        fc.double({ min: 0, max: 0.3, noNaN: true }),
        async (ids, throttleRate, errorRate) => {
          stack.emulator.reset();
          stack.emulator.faults.set('codebuild', { throttleRate, errorRate });
          const response = await stack.query<{ builds: Array<{ id: string; projectName: string; buildNumber: number } | null> }>(
            `query($ids: [ID!]!) { builds(ids: $ids) { id projectName buildNumber } }`,
            { ids },
          );
          const errorsAt = new Map((response.errors ?? []).map((error) => [error.path![1] as number, String(error.extensions!.code)]));
          expect(response.data!.builds).toHaveLength(ids.length);
          ids.forEach((id, index) => {
            const value = response.data!.builds[index];
            const code = errorsAt.get(index);
            if (id.trim() === '') {
              expect(value).toBeNull();
              expect(code).toBe('BAD_USER_INPUT');
            } else if (value) {
              const expected = byId.get(id)!;
              expect(value).toEqual({ id, projectName: expected.projectName, buildNumber: expected.buildNumber });
              expect(code).toBeUndefined();
            } else {
              expect([...(byId.has(id) ? [] : ['NOT_FOUND']), ...UPSTREAM_FAILURES]).toContain(code);
            }
          });
          // Malformed keys never reached the upstream; duplicates were asked once per call set.
          const asked = stack.emulator.calls.of('codebuild', (call) => call.status === 200).flatMap((call) => call.keys);
          expect(asked.every((id) => id.trim() !== '')).toBe(true);
          expect(new Set(asked).size).toBe(asked.length);
        },
      ),
      { numRuns: 40 },
    );
  });
});
