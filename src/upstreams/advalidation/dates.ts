/**
 * Advalidation's dates, read leniently. Its docs say only "date"; what occurs in the wild is
 * ISO-8601 with or without a zone, MySQL-style `YYYY-MM-DD HH:MM:SS`, and date-only values. The
 * schema's DateTime scalar accepts only zoned RFC 3339 strings and would fail the whole scan on
 * any other, so every date is normalised here, before the scalar sees it, to ISO-8601 UTC.
 * A value without a zone is taken as UTC (the service's own clock; UNCONFIRMED). Anything else
 * becomes null: one unreadable date never costs the rest of the scan.
 */

/**
 * date, then optionally a time (`T` or a space), fractional seconds, and a zone: `Z`, `±HH`,
 * `±HH:MM`, `±HHMM`, or a trailing ` UTC`/` GMT`. Anchored and bounded: no backtracking blow-up.
 */
const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:\s?(Z|z|UTC|GMT|[+-]\d{2}(?::?\d{2})?))?)?$/;

/** Longer than any date format: not worth a regular expression. */
const MAX_LENGTH = 40;

const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
/** Days in a month (1-12); 2001 is a common year, February is decided by `year`. */
const daysIn = (year: number, month: number) => (month === 2 ? (isLeap(year) ? 29 : 28) : new Date(Date.UTC(2001, month, 0)).getUTCDate());

/** The instant an Advalidation date names, as ISO-8601 UTC (`…Z`), or undefined when it names none. */
export function parseAdvalidationDate(value: string): string | undefined {
  if (value.length > MAX_LENGTH) return undefined;
  const m = DATE.exec(value.trim());
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  const millis = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  // MySQL's zero date (0000-00-00 00:00:00) and other impossible calendars name no instant.
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  const zone = m[8];
  if (zone && !/^(Z|z|UTC|GMT)$/.test(zone)) {
    const [, sign, hh, mm] = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone)!;
    if (Number(hh) > 23 || Number(mm ?? 0) > 59) return undefined;
    offsetMinutes = (sign === '-' ? -1 : 1) * (Number(hh) * 60 + Number(mm ?? 0));
  }
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0-99 to 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millis);
  const time = date.getTime() - offsetMinutes * 60_000;
  return Number.isFinite(time) ? new Date(time).toISOString() : undefined;
}

export const SCAN_DATE_FIELDS = ['createdAt', 'updatedAt', 'finishedAt'] as const;
export type ScanDateField = (typeof SCAN_DATE_FIELDS)[number];

/**
 * The date fields of a record normalised: ISO-8601 UTC, null when absent, and null plus one
 * call of `unreadable` (for a log line) when present but not a date.
 */
export function normaliseDates<T extends Partial<Record<ScanDateField, unknown>>>(
  record: T,
  unreadable: (field: ScanDateField, value: unknown) => void,
): T {
  const out: T = { ...record };
  for (const field of SCAN_DATE_FIELDS) {
    const value = record[field];
    if (value === undefined || value === null) continue;
    const parsed = typeof value === 'string' ? parseAdvalidationDate(value) : undefined;
    if (parsed === undefined) unreadable(field, value);
    (out as Record<ScanDateField, unknown>)[field] = parsed ?? null;
  }
  return out;
}
