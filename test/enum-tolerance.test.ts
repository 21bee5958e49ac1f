import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedData } from '../emulator/index.js';
import { startStack, type Stack } from '../testkit/stack.js';

/** AWS adds enum values; a value this schema does not know must not fail the response. */
let stack: Stack;
const data = seedData();
const target = data.builds[3]!;
beforeAll(async () => {
  Object.assign(target, { buildStatus: 'PAUSED_FOR_APPROVAL' });
  Object.assign(target.cache!, { modes: ['LOCAL_SOURCE_CACHE', 'LOCAL_QUANTUM_CACHE'] });
  stack = await startStack({ data });
});
afterAll(() => stack.stop());

it('answers null for an unknown enum value (also inside lists), logs it once, and keeps the rest', async () => {
  const response = await stack.query<{ builds: Array<{ id: string; buildStatus: string | null; cache: { modes: Array<string | null> } }> }>(
    `query($ids: [ID!]!) { builds(ids: $ids) { id buildStatus cache { modes } } }`,
    { ids: [target.id, data.builds[0]!.id, target.id] },
  );
  expect(response.errors).toBeUndefined();
  expect(response.data!.builds[0]).toEqual({ id: target.id, buildStatus: null, cache: { modes: ['LOCAL_SOURCE_CACHE', null] } });
  expect(response.data!.builds[1]!.buildStatus).toBe(data.builds[0]!.buildStatus);
  const warnings = stack.logs.filter((line) => line.includes('enum value this schema does not know'));
  expect(warnings.filter((line) => line.includes('PAUSED_FOR_APPROVAL'))).toHaveLength(1);
  expect(warnings.filter((line) => line.includes('LOCAL_QUANTUM_CACHE'))).toHaveLength(1);
});
