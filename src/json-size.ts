/**
 * The UTF-8 length of `JSON.stringify(value)`, counted without building the string, and given up
 * as soon as it passes `limit` (then some number over the limit is returned): measuring an
 * oversized answer must not cost the very copy the limit exists to avoid.
 * Takes what a GraphQL result holds: plain objects, arrays, strings, finite numbers, booleans, null.
 */
export function jsonByteLength(value: unknown, limit = Number.POSITIVE_INFINITY): number {
  let total = 0;
  const visit = (item: unknown, inArray: boolean): void => {
    if (total > limit) return;
    if (item === null) total += 4;
    else if (typeof item === 'string') total += stringLength(item);
    else if (typeof item === 'number') total += Number.isFinite(item) ? String(item).length : 4;
    else if (typeof item === 'boolean') total += item ? 4 : 5;
    else if (typeof item === 'bigint') throw new TypeError('Do not know how to serialize a BigInt');
    else if (item === undefined || typeof item === 'function' || typeof item === 'symbol') total += inArray ? 4 : 0;
    else if (item instanceof Date && item.toJSON === Date.prototype.toJSON) total += dateLength(item);
    else if (typeof (item as { toJSON?: unknown }).toJSON === 'function') visit((item as { toJSON(): unknown }).toJSON(), inArray);
    else if (Array.isArray(item)) {
      total += 2;
      for (let index = 0; index < item.length && total <= limit; index += 1) {
        total += index > 0 ? 1 : 0;
        visit(item[index], true);
      }
    } else {
      // for...in, not Object.entries: no [key, value] array per member (1000 full builds are
      // ~150,000 members, all garbage). GraphQL results are plain or null-prototype objects.
      let members = 0;
      const record = item as Record<string, unknown>;
      for (const key in record) {
        if (!Object.hasOwn(record, key)) continue;
        const member = record[key];
        if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue;
        total += (members > 0 ? 1 : 0) + stringLength(key) + 1;
        members += 1;
        visit(member, false);
        if (total > limit) return;
      }
      total += 2;
    }
  };
  visit(value, false);
  return total;
}

// Printable ASCII without `"` or `\`: serialized as is, one byte per character.
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

function stringLength(text: string): number {
  if (PLAIN.test(text)) return text.length + 2;
  return Buffer.byteLength(JSON.stringify(text));
}

/**
 * A Date's JSON (`toISOString()`, quoted) without building it: the DateTime scalar returns the
 * Date itself, and a full build holds dozens. 24 characters for years 0-9999; outside them (the
 * ±YYYYYY form) or for an invalid Date (null), the string is made as before.
 */
function dateLength(date: Date): number {
  const year = date.getUTCFullYear();
  if (year >= 0 && year <= 9999) return 26;
  const json = date.toJSON();
  return json === null ? 4 : json.length + 2;
}
