/**
 * Readers compiled ONCE from an SDK schema that turn a parsed wire JSON value into exactly what
 * the SDK's JSON deserializer (`JsonShapeDeserializer2._read` of @smithy/core) returns for it,
 * but doing only the work where the two differ. The SDK asks its schema objects (NormalizedSchema,
 * traits, struct iterators) again for every value of a large answer; here those questions are
 * answered once per member, and a structure whose wire object already is what the SDK would build
 * (every key a known member, no nulls, no `__type`) is kept as parsed, only its timestamps (and
 * numbers sent as "NaN"/"Infinity", blobs) converted in place.
 *
 * Each branch mirrors one branch of `_read` / `_readStruct`, in the SDK's order; shapes the
 * readers do not mirror (documents, big numbers, media-type strings, streams) make the whole
 * operation ineligible, and it keeps the SDK's deserializer (see lean-deserializer.ts).
 */
import { determineTimestampFormat, type JsonSettings } from '@smithy/core/protocols';
import { NormalizedSchema } from '@smithy/core/schema';
import { fromBase64, parseEpochTimestamp, parseRfc3339DateTimeWithOffset, parseRfc7231DateTime, writeKey } from '@smithy/core/serde';
import type { Schema } from '@smithy/types';

/** A parsed value in, the SDK's value out; `null`: the SDK returns every value of that schema as it is. */
export type Reader = (value: unknown) => unknown;
type MaybeReader = Reader | null;

/** A shape the readers do not mirror: the operation keeps the SDK's own deserializer. */
export class UnsupportedShape extends Error {}

type Json = Record<string, unknown>;

interface Member {
  /** The SDK's (output) name. */
  name: string;
  /** The key on the wire: the member name, or its jsonName where the protocol uses those. */
  key: string;
  read: MaybeReader;
}

const hasOwn = (object: object, key: string) => Object.prototype.hasOwnProperty.call(object, key);
const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object';

/**
 * The reader of a structure schema (an operation's output), or throws UnsupportedShape.
 * `settings` are the protocol codec's own (timestamp default, jsonName).
 */
export function compileStructureReader(schema: Schema, settings: JsonSettings): Reader {
  const ns = NormalizedSchema.of(schema);
  if (!ns.isStructSchema()) throw new UnsupportedShape(`not a structure: ${ns.getName(true) ?? '?'}`);
  return new Compiler(settings).reader(ns) as Reader;
}

class Compiler {
  // One reader per structure schema, so recursive shapes compile (the reader reads its members lazily).
  private readonly structures = new Map<unknown, Reader>();

  constructor(private readonly settings: JsonSettings) {}

  reader(ns: NormalizedSchema): MaybeReader {
    const traits = ns.getMergedTraits();
    if (traits.streaming || traits.eventStream) throw new UnsupportedShape(`stream ${ns.getName(true) ?? ''}`);
    if (ns.isStructSchema()) return this.structure(ns);
    if (ns.isListSchema()) return listReader(this.reader(ns.getValueSchema()));
    if (ns.isMapSchema()) return mapReader(this.reader(ns.getValueSchema()));
    // Scalars, in the order `_read` tests them.
    if (ns.isBlobSchema()) return blobReader;
    if (ns.isStringSchema()) {
      if (traits.mediaType) throw new UnsupportedShape('media-type string');
      return null;
    }
    if (ns.isTimestampSchema()) return timestampReader(determineTimestampFormat(ns, this.settings));
    if (ns.isBigIntegerSchema() || ns.isBigDecimalSchema()) throw new UnsupportedShape('big number');
    if (ns.isNumericSchema()) return numberReader;
    if (ns.isDocumentSchema()) throw new UnsupportedShape('document');
    if (ns.isBooleanSchema()) return null;
    throw new UnsupportedShape(`schema ${String(ns.getSchema())}`);
  }

  private structure(ns: NormalizedSchema): Reader {
    const id = ns.getSchema();
    const known = this.structures.get(id);
    if (known) return known;
    const members: Member[] = [];
    const union = ns.isUnionSchema();
    const reader = union ? unionReader(members) : structReader(members, this.settings.jsonName);
    this.structures.set(id, reader);
    for (const [name, member] of ns.structIterator()) {
      const key = this.settings.jsonName ? (member.getMergedTraits().jsonName ?? name) : name;
      members.push({ name, key, read: this.reader(member) });
    }
    return reader;
  }
}

/**
 * `_readStruct` for a structure. The SDK builds a new object of the known, non-null members;
 * when the wire object has nothing else (and needs no renaming), it already is that object.
 */
function structReader(members: readonly Member[], jsonName: boolean): Reader {
  // Filled on first use: members are pushed after the reader exists (recursive shapes).
  let plan: { keys: Record<string, true>; transforms: Member[]; inPlace: boolean } | undefined;
  const planned = () => {
    const keys: Record<string, true> = Object.create(null) as Record<string, true>;
    for (const member of members) keys[member.key] = true;
    // Renamed members, or members named like Object.prototype's properties (which the SDK's
    // `record[key] != null` would read through the prototype), are rebuilt as the SDK does.
    const inPlace = members.every((member) => member.key === member.name && !(member.key in Object.prototype));
    return (plan = { keys, transforms: members.filter((member) => member.read !== null), inPlace });
  };
  return (value) => {
    if (!isObject(value)) return value;
    const { keys, transforms, inPlace } = plan ?? planned();
    if (inPlace && !Array.isArray(value) && onlyKnownNonNull(value, keys)) {
      for (const { key, read } of transforms) {
        const member = value[key];
        if (member !== undefined) value[key] = read!(member);
      }
      return value;
    }
    return rebuild(value, members, jsonName);
  };
}

/** Every enumerable key is a member's and no value is null (so no `__type`, nothing to drop). */
function onlyKnownNonNull(value: Json, keys: Record<string, true>): boolean {
  for (const key in value) {
    if (keys[key] !== true || value[key] === null) return false;
  }
  return true;
}

/** `_readStruct` itself, for a non-union structure. */
function rebuild(record: Json, members: readonly Member[], jsonName: boolean): Json {
  const out: Json = {};
  const hasType = typeof record.__type === 'string';
  let nameMap: Record<string, string> | undefined;
  if (jsonName && hasType) {
    nameMap = {};
    for (const { name, key } of members) nameMap[key] = name;
  }
  for (const { name, key, read } of members) {
    const member = record[key];
    if (member != null) out[name] = read ? read(member) : member;
  }
  // A `__type` (a polymorphic answer) keeps every other wire member too, as the SDK does.
  if (hasType) {
    for (const key in record) {
      if (!hasOwn(record, key)) continue;
      const target = nameMap ? (nameMap[key] ?? key) : key;
      if (!(target in out)) out[target] = record[key];
    }
  }
  return out;
}

/** `_readStruct` for a union: the known members, else one unknown member as `$unknown` (UnionSerde). */
function unionReader(members: readonly Member[]): Reader {
  return (value) => {
    if (!isObject(value)) return value;
    const out: Json = {};
    const unmarked = new Set(Object.keys(value));
    unmarked.delete('__type');
    for (const { name, key, read } of members) {
      unmarked.delete(key);
      const member = value[key];
      if (member != null) out[name] = read ? read(member) : member;
    }
    if (unmarked.size === 1 && Object.keys(out).length === 0) {
      const key = unmarked.values().next().value!;
      out.$unknown = [key, value[key]];
    }
    return out;
  };
}

/** Lists are converted in place, and only when their members need it (as the SDK does). */
function listReader(element: MaybeReader): MaybeReader {
  if (!element) return null;
  return (value) => {
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index += 1) value[index] = element(value[index]);
    }
    return value;
  };
}

function mapReader(entry: MaybeReader): MaybeReader {
  if (!entry) return null;
  return (value) => {
    if (!isObject(value)) return value;
    for (const key in value) {
      if (!hasOwn(value, key)) continue;
      if (key === '__proto__') writeKey(value);
      value[key] = entry(value[key]);
    }
    return value;
  };
}

const blobReader: Reader = (value) => (typeof value === 'string' ? fromBase64(value) : value);

const numberReader: Reader = (value) => {
  if (typeof value !== 'string') return value;
  switch (value) {
    case 'Infinity':
      return Infinity;
    case '-Infinity':
      return -Infinity;
    case 'NaN':
      return NaN;
    default:
      return value;
  }
};

/** The SDK's own parsers, so every wire form (and every malformed one) ends the same way. */
function timestampReader(format: number): Reader {
  const parse = {
    5: parseRfc3339DateTimeWithOffset,
    6: parseRfc7231DateTime,
    7: parseEpochTimestamp,
  }[format] as ((value: unknown) => Date | undefined) | undefined;
  if (!parse) throw new UnsupportedShape(`timestamp format ${format}`);
  return (value) => (value != null ? parse(value) : value);
}
