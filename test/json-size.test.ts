import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonByteLength } from '../src/json-size.js';

describe('jsonByteLength', () => {
  it('equals the UTF-8 length of JSON.stringify for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(jsonByteLength(value)).toBe(Buffer.byteLength(JSON.stringify(value)));
      }),
      { numRuns: 500 },
    );
  });

  it('counts escapes, multi-byte characters and lone surrogates as JSON.stringify writes them', () => {
    const value = { 'k"\\': ['é', '😀', '\u0001', '\ud800', 'tab\t', -0, 1e21, 0.1], nothing: undefined, list: [undefined] };
    expect(jsonByteLength(value)).toBe(Buffer.byteLength(JSON.stringify(value)));
  });

  it('stops counting soon after the limit, answering a number over it', () => {
    const big = Array.from({ length: 100_000 }, (_, i) => ({ id: `build:${i}`, phases: ['a', 'b'] }));
    const exact = Buffer.byteLength(JSON.stringify(big));
    expect(jsonByteLength(big, exact)).toBe(exact);
    const capped = jsonByteLength(big, 1000);
    expect(capped).toBeGreaterThan(1000);
    expect(capped).toBeLessThan(1100);
  });
});
