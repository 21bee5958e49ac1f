import fc from 'fast-check';
import { NormalizedSchema } from '@smithy/core/schema';
import type { Schema } from '@smithy/types';

/**
 * Wire JSON answers for any SDK schema, generated from the schema itself (the installed
 * client's): every member of every structure, nested lists and maps, absent and null members,
 * null list entries, empty lists, extra unknown members (including `__proto__` and names
 * Object.prototype has), sometimes a `__type`, strings that no enum has, numbers the protocol
 * sends as strings ("NaN", "Infinity"), and timestamps in every form the JSON protocols allow
 * (epoch seconds, whole and fractional, as numbers or numeric strings; date-time / http-date
 * strings where a member's format says so).
 *
 * The tree is kept as entries and written out by `toJson`, so keys like `__proto__` survive
 * (an object literal would set a prototype instead).
 */
export type Wire = null | boolean | number | string | Wire[] | { entries: [string, Wire][] };

export function toJson(value: Wire): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(toJson).join(',')}]`;
  return `{${value.entries.map(([key, entry]) => `${JSON.stringify(key)}:${toJson(entry)}`).join(',')}}`;
}

export interface WireOptions {
  /** Values no valid answer has (a timestamp that is a word, a structure that is a string): the error paths. */
  malformed?: boolean;
  /** The protocol's key for a member (restJson1 uses jsonName traits). */
  keyOf?: (name: string, member: NormalizedSchema) => string;
  maxDepth?: number;
  /**
   * False: only absent or present members, no nulls, no extra members, no `__type` (answers as
   * a service sends them, which the lean path keeps as parsed). True (default): all of those.
   */
  noise?: boolean;
}

const EXTRA_KEYS = ['__proto__', 'constructor', 'toString', 'unknownMember', 'extra_1', '$unknown', 'message'];
const json: fc.Arbitrary<Wire> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.string({ maxLength: 8 }),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.constant({ entries: [['nested', 'value']] } as Wire),
);

const SECONDS = fc.integer({ min: 0, max: 4_102_444_800 });
const epochSeconds: fc.Arbitrary<Wire> = fc.oneof(
  SECONDS,
  // Fractional seconds: milliseconds, and finer than the SDK keeps (it rounds).
  fc.tuple(SECONDS, fc.integer({ min: 0, max: 999 })).map(([s, ms]) => s + ms / 1000),
  fc.double({ min: 0, max: 4_102_444_800, noNaN: true }),
  fc.tuple(SECONDS, fc.integer({ min: 0, max: 999_999 })).map(([s, us]) => `${s}.${String(us).padStart(6, '0')}`),
  SECONDS.map(String),
);
const dateTime: fc.Arbitrary<Wire> = fc
  .tuple(fc.date({ min: new Date(0), max: new Date(4_102_444_800_000), noInvalidDate: true }), fc.boolean())
  .map(([date, fraction]) => (fraction ? date.toISOString() : date.toISOString().replace(/\.\d+Z$/, 'Z')));
const httpDate: fc.Arbitrary<Wire> = fc
  .date({ min: new Date(0), max: new Date(4_102_444_800_000), noInvalidDate: true })
  .map((d) => d.toUTCString());
const malformedTimestamp: fc.Arbitrary<Wire> = fc.constantFrom(
  'yesterday',
  'NaN',
  'Infinity',
  true,
  '',
  { entries: [] } as Wire,
  [] as Wire,
);

export function wireArbitrary(schema: Schema, options: WireOptions = {}): fc.Arbitrary<Wire> {
  const maxDepth = options.maxDepth ?? 8;
  const keyOf = options.keyOf ?? ((name: string) => name);
  const noise = options.noise ?? true;
  const nullWeight = noise ? 1 : 0;

  const value = (ns: NormalizedSchema, depth: number): fc.Arbitrary<Wire> => {
    const wrong = options.malformed ? [fc.constantFrom<Wire>('a string', 7, true, [] as Wire, { entries: [] } as Wire)] : [];
    if (ns.isStructSchema()) {
      if (depth > maxDepth) return fc.constant({ entries: [] });
      return fc.oneof({ arbitrary: structure(ns, depth), weight: 8 }, ...wrong.map((arbitrary) => ({ arbitrary, weight: 1 })));
    }
    if (ns.isListSchema()) {
      const element = fc.oneof(
        { arbitrary: value(ns.getValueSchema(), depth + 1), weight: 6 },
        { arbitrary: fc.constant(null), weight: nullWeight },
      );
      return fc.oneof(fc.array(element, { maxLength: depth > 2 ? 2 : 4 }), ...wrong);
    }
    if (ns.isMapSchema()) {
      const entry = value(ns.getValueSchema(), depth + 1);
      const key = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom(...EXTRA_KEYS));
      return fc.uniqueArray(fc.tuple(key, entry), { maxLength: 3, selector: ([k]) => k }).map((entries) => ({ entries }));
    }
    if (ns.isTimestampSchema()) {
      const raw = ns.getSchema();
      const valid = raw === 5 ? dateTime : raw === 6 ? httpDate : epochSeconds;
      return options.malformed ? fc.oneof(valid, malformedTimestamp) : valid;
    }
    if (ns.isBlobSchema()) return fc.uint8Array({ maxLength: 6 }).map((bytes) => Buffer.from(bytes).toString('base64'));
    if (ns.isNumericSchema()) {
      return fc.oneof(
        fc.integer(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.constantFrom('NaN', 'Infinity', '-Infinity', '12'),
      );
    }
    if (ns.isBooleanSchema()) return fc.boolean();
    // Strings, enums included: any string, so values no enum has are common.
    return fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('SUCCEEDED', 'IN_PROGRESS', 'SOMETHING_NEW', ''));
  };

  const structure = (ns: NormalizedSchema, depth: number): fc.Arbitrary<Wire> => {
    const members = [...ns.structIterator()].map(([name, member]) =>
      fc
        .oneof(
          { arbitrary: fc.constant(undefined), weight: 2 },
          { arbitrary: fc.constant<Wire>(null), weight: nullWeight },
          { arbitrary: value(member, depth + 1), weight: 5 },
        )
        .map((entry) => (entry === undefined ? undefined : ([keyOf(name, member), entry] as [string, Wire]))),
    );
    const extras = fc.uniqueArray(fc.tuple(fc.constantFrom(...EXTRA_KEYS), json), { maxLength: noise ? 2 : 0, selector: ([k]) => k });
    const type = noise ? fc.option(fc.constantFrom('com.amazonaws#Polymorphic', 'Other'), { freq: 6 }) : fc.constant(null);
    return fc.tuple(fc.tuple(...members), extras, type, fc.boolean()).map(([own, extra, typeName, extrasFirst]) => {
      const known = own.filter((entry): entry is [string, Wire] => entry !== undefined);
      const knownKeys = new Set(known.map(([key]) => key));
      const unknown = extra.filter(([key]) => !knownKeys.has(key));
      const entries = extrasFirst ? [...unknown, ...known] : [...known, ...unknown];
      if (typeName !== null) entries.push(['__type', typeName]);
      return { entries };
    });
  };

  return value(NormalizedSchema.of(schema), 0);
}
