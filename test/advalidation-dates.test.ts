import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normaliseDates, parseAdvalidationDate } from '../src/upstreams/advalidation/dates.js';
import { expectedInstant } from './support/advalidation-dates.js';
import { startStack, type Stack } from '../testkit/stack.js';

describe('parseAdvalidationDate', () => {
  it.each([
    ['2024-01-01T00:00:00Z', '2024-01-01T00:00:00.000Z'],
    ['2024-01-01T00:00:00.123456Z', '2024-01-01T00:00:00.123Z'],
    ['2024-01-01T02:30:00+02:30', '2024-01-01T00:00:00.000Z'],
    ['2024-01-01T00:00:00-0500', '2024-01-01T05:00:00.000Z'],
    ['2024-01-01T00:00:00+01', '2023-12-31T23:00:00.000Z'],
    ['2024-01-01T12:34:56', '2024-01-01T12:34:56.000Z'],
    ['2024-01-01 00:00:00', '2024-01-01T00:00:00.000Z'],
    ['2024-01-01 12:34', '2024-01-01T12:34:00.000Z'],
    ['2024-01-01 00:00:00 UTC', '2024-01-01T00:00:00.000Z'],
    ['2024-01-01', '2024-01-01T00:00:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
    ['0099-06-01', '0099-06-01T00:00:00.000Z'],
  ])('%s -> %s', (wire, iso) => {
    expect(parseAdvalidationDate(wire)).toBe(iso);
  });

  it.each([
    '0000-00-00 00:00:00',
    '2023-02-29',
    '2024-13-01',
    '2024-04-31',
    '2024-01-01T24:00:00Z',
    '2024-01-01T00:60:00',
    '2024-01-01T00:00:00+25:00',
    'yesterday',
    '1704067200',
    '',
    '2024-01-01T00:00:00Zjunk',
    `2024-01-01${' '.repeat(100)}`,
  ])('%j names no instant', (wire) => {
    expect(parseAdvalidationDate(wire)).toBeUndefined();
  });
});

describe('normaliseDates', () => {
  it('normalises each date field, keeps absent ones null, and reports each unreadable one once', () => {
    const unreadable: Array<[string, unknown]> = [];
    const out = normaliseDates(
      { id: 1, createdAt: '2024-01-01 10:00:00', updatedAt: 1704067200 as unknown as string, finishedAt: null, nbIssues: 3 },
      (field, value) => unreadable.push([field, value]),
    );
    expect(out).toEqual({ id: 1, createdAt: '2024-01-01T10:00:00.000Z', updatedAt: null, finishedAt: null, nbIssues: 3 });
    expect(unreadable).toEqual([['updatedAt', 1704067200]]);
  });
});

describe('through GraphQL, with the seeded formats', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { ADVALIDATION_SETTLED_CACHE_SIZE: '0' } });
  });
  afterAll(() => stack.stop());

  it('every seeded format comes back as ISO-8601 UTC; the seed really has them all', async () => {
    const scans = stack.emulator.data.scans.slice(0, 60);
    const wire = scans
      .flatMap((scan) => [scan.createdAt, scan.updatedAt, scan.finishedAt])
      .filter((value): value is string => typeof value === 'string');
    // Zoned, offset, compact offset, zone-less ISO, MySQL style, date-only.
    for (const shape of [
      /Z$/,
      /\+02:00$/,
      /\+0000$/,
      /^\d{4}-\d{2}-\d{2}T[\d:]{8}$/,
      /^\d{4}-\d{2}-\d{2} [\d:]{8}$/,
      /^\d{4}-\d{2}-\d{2}$/,
    ]) {
      expect(
        wire.some((value) => shape.test(value)),
        String(shape),
      ).toBe(true);
    }
    const response = await stack.query<{
      scans: Array<{ id: string; createdAt: string | null; updatedAt: string | null; finishedAt: string | null }>;
    }>(`query($ids: [ID!]!) { scans(ids: $ids) { id createdAt updatedAt finishedAt } }`, { ids: scans.map((scan) => String(scan.id)) });
    expect(response.errors).toBeUndefined();
    expect(response.data!.scans).toEqual(
      scans.map((scan) => ({
        id: String(scan.id),
        createdAt: expectedInstant(scan.createdAt),
        updatedAt: expectedInstant(scan.updatedAt),
        finishedAt: expectedInstant(scan.finishedAt),
      })),
    );
  });

  it('an unreadable date is null with one warning in the log, never an error for the scan', async () => {
    const odd = stack.emulator.data.scans.find((scan) => scan.updatedAt === '0000-00-00 00:00:00')!;
    expect(odd).toBeDefined();
    const before = stack.logs.length;
    const response = await stack.query<{ scan: { id: string; createdAt: string; updatedAt: string | null; processingStatus: string } }>(
      `{ scan(id: "${odd.id}") { id createdAt updatedAt processingStatus } }`,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.scan).toEqual({
      id: String(odd.id),
      createdAt: expectedInstant(odd.createdAt),
      updatedAt: null,
      processingStatus: odd.processingStatus,
    });
    const warnings = stack.logs.slice(before).filter((line) => line.includes('date that cannot be read'));
    expect(warnings).toHaveLength(1);
    // pino's numeric level 40 is warn.
    expect(JSON.parse(warnings[0]!)).toMatchObject({
      level: 40,
      upstream: 'advalidation',
      scanId: String(odd.id),
      field: 'updatedAt',
      value: '0000-00-00 00:00:00',
    });
  });
});
