import { isRealRegion } from '../input/regions.js';

/**
 * Label values that come from clients must not grow the registry: every distinct value is a
 * series kept for the life of the process (100 operation names of 100,000 letters once made
 * /metrics 150 MB). Values are cut to a length, and past a number of distinct values every
 * new one is counted as `other`.
 */
export class BoundedLabel {
  private readonly seen = new Set<string>();

  constructor(
    readonly maxDistinct: number,
    readonly maxLength: number,
    private readonly overflow = 'other',
  ) {}

  of(raw: string): string {
    const value = raw.length > this.maxLength ? raw.slice(0, this.maxLength) : raw;
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.maxDistinct) return this.overflow;
    this.seen.add(value);
    return value;
  }
}

/** Operation names: GraphQL names are `[_A-Za-z][_0-9A-Za-z]*`, but of any length. */
export const MAX_OPERATION_LABELS = 200;
export const MAX_OPERATION_LABEL_CHARS = 64;

/** The region label of an upstream call: a real AWS region, `default` for unregioned calls, else `other`. */
export function regionLabel(group: string): string {
  if (group === '') return 'default';
  return isRealRegion(group) ? group : 'other';
}
