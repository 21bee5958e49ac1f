/**
 * The instant a seeded Advalidation date names, written independently of the subgraph's parser
 * (the test oracle): zoned strings go to Date as they are, zone-less ones are UTC wall-clock
 * time, a date alone is midnight UTC, and MySQL's zero date names nothing.
 */
export function expectedInstant(wire: string | null | undefined): string | null {
  if (wire === null || wire === undefined || wire.startsWith('0000-')) return null;
  if (/(Z|[+-]\d{2}:?\d{2})$/.test(wire)) return new Date(wire).toISOString();
  if (/^\d{4}-\d{2}-\d{2}$/.test(wire)) return new Date(`${wire}T00:00:00Z`).toISOString();
  return new Date(`${wire.replace(' ', 'T')}Z`).toISOString();
}
