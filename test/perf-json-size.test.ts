import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonByteLength } from '../src/json-size.js';

/** The allocation-free paths of jsonByteLength (src/json-size.ts): Dates and for...in over members. */
describe('jsonByteLength without building strings', () => {
  const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

  it('counts any Date as JSON.stringify writes it: years 0-9999, the ±YYYYYY form, invalid ones', () => {
    fc.assert(
      fc.property(fc.date({ noInvalidDate: false }), (date) => {
        expect(jsonByteLength({ at: date, list: [date] })).toBe(bytes({ at: date, list: [date] }));
      }),
      { numRuns: 500 },
    );
    for (const date of [new Date(-62198755200001), new Date(253402300800000), new Date(8.64e15), new Date(Number.NaN), new Date(0)]) {
      expect(jsonByteLength(date)).toBe(bytes(date));
    }
  });

  it('a Date whose toJSON is its own is asked for it', () => {
    const date = Object.assign(new Date(0), { toJSON: () => 'custom' });
    expect(jsonByteLength({ date })).toBe(bytes({ date }));
  });

  it('reads own members only, in order, of plain and null-prototype objects (as GraphQL results are)', () => {
    const parent = { inherited: 'not serialized' };
    const child = Object.assign(Object.create(parent) as Record<string, unknown>, { own: 1, 2: 'two', b: [true, null] });
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { x: 'é', y: undefined, z: { w: 1.5 } });
    Object.defineProperty(bare, 'hidden', { value: 'x', enumerable: false });
    expect(jsonByteLength({ child, bare })).toBe(bytes({ child, bare }));
  });
});
