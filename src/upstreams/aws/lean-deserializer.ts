/**
 * A lean deserializer for the large answers of a few operations (CodeBuild BatchGetBuilds,
 * Inspector BatchGetFindingDetails), plugged into the official clients at the narrowest point:
 * the JSON codec the SDK's own protocol class is built with (its public `jsonCodec` setting).
 *
 * For a listed operation's 2xx body the codec parses the bytes once and hands the parsed object
 * through readers compiled once from the SDK's schema (./lean-readers.ts): the SDK copies every
 * structure of the answer member by member, asking its schema objects again for each value; the
 * lean path keeps the parsed objects and converts only what differs (epoch-second timestamps into
 * Dates). Everything around it is the SDK's, unchanged: the deserialize middleware, headers and
 * `$metadata`, error responses and typed exceptions (they go through the SDK's deserializer),
 * retries, clock skew, and every other operation of the client.
 *
 * Anything unexpected on the lean path (malformed JSON, a timestamp the SDK's parser rejects)
 * makes it hand the same bytes to the SDK's deserializer, so failures are the SDK's own.
 */
import { JsonCodec2, JsonShapeDeserializer2, type JsonSettings } from '@smithy/core/protocols';
import { NormalizedSchema } from '@smithy/core/schema';
import type { DocumentType, Schema, SerdeFunctions, StaticStructureSchema } from '@smithy/types';
import { flag, type Env } from '../../config/env.js';
import { compileStructureReader, UnsupportedShape, type Reader } from './lean-readers.js';

/** The switch: `false` gives the listed operations back to the SDK's deserializer (default `true`: proven identical). */
export const LEAN_DESERIALIZER_VARIABLE = 'AWS_LEAN_DESERIALIZER';

export function leanDeserializerSetting(env: Env): boolean {
  return flag(env[LEAN_DESERIALIZER_VARIABLE], LEAN_DESERIALIZER_VARIABLE) ?? true;
}

/** `namespace#Name`: how an output is recognised, whether the protocol passes its schema or a body-only copy of it (restJson1). */
const shapeId = (schema: readonly unknown[]) => `${String(schema[1])}#${String(schema[2])}`;

/**
 * The codec deserializer: the lean path for the listed outputs, the SDK's own deserializer
 * (`inner`) for everything else (other operations, error bodies, error members).
 */
export class LeanShapeDeserializer {
  // Compiled once per schema object the protocol passes (it passes the same one on every call).
  private readonly readers = new WeakMap<object, Reader | undefined>();

  constructor(
    private readonly inner: JsonShapeDeserializer2,
    private readonly settings: JsonSettings,
    private readonly outputs: ReadonlySet<string>,
  ) {}

  setSerdeContext(serdeContext: SerdeFunctions): void {
    this.inner.setSerdeContext(serdeContext);
  }

  async read(schema: Schema, data: unknown): Promise<unknown> {
    const reader = this.readerFor(schema);
    if (!reader || !(data instanceof Uint8Array)) return this.inner.read(schema, data);
    if (data.byteLength === 0) return {};
    try {
      const text = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8');
      return reader(JSON.parse(text));
    } catch {
      // The SDK's path, from the same bytes (the lean one may have converted part of its own copy).
      return this.inner.read(schema, data);
    }
  }

  readObject(schema: Schema, data: DocumentType): unknown {
    return this.inner.readObject(schema, data);
  }

  /** The lean reader of `schema`, if it is a listed output and every shape in it is one the readers mirror. */
  readerFor(schema: Schema): Reader | undefined {
    const raw = NormalizedSchema.of(schema).getSchema();
    if (!Array.isArray(raw) || !this.outputs.has(shapeId(raw))) return undefined;
    if (this.readers.has(raw)) return this.readers.get(raw);
    let reader: Reader | undefined;
    try {
      reader = compileStructureReader(raw as StaticStructureSchema, this.settings);
    } catch (error) {
      if (!(error instanceof UnsupportedShape)) throw error;
    }
    this.readers.set(raw, reader);
    return reader;
  }
}

/** The protocol's own JSON codec (same settings), whose deserializers take the lean path for `outputs`. */
export class LeanJsonCodec extends JsonCodec2 {
  constructor(
    settings: JsonSettings,
    private readonly outputs: ReadonlySet<string>,
  ) {
    super(settings);
  }

  override createDeserializer() {
    const deserializer = new LeanShapeDeserializer(super.createDeserializer() as JsonShapeDeserializer2, this.settings, this.outputs);
    return deserializer as unknown as ReturnType<JsonCodec2['createDeserializer']>;
  }
}

/** What the official JSON protocol classes (AwsJson1_1Protocol, AwsRestJsonProtocol) have in common here. */
interface JsonProtocol {
  getPayloadCodec(): unknown;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a mixin's base constructor must take any arguments
type JsonProtocolClass = new (...args: any[]) => JsonProtocol;

/**
 * The SDK protocol class `Protocol`, built with a LeanJsonCodec for the operations whose output
 * schemas are `outputs`. Passed as a client's `protocol` option: the client constructs it with its
 * own protocol settings, as it would the original. The codec's settings are the ones the
 * original protocol gives its own codec (read from a throwaway instance, so they cannot drift).
 */
export function withLeanDeserializer<P extends JsonProtocolClass>(Protocol: P, outputs: readonly StaticStructureSchema[]): P {
  const ids = new Set(outputs.map(shapeId));
  const leanSettings = (settings: Record<string, unknown>) => {
    const codec = new Protocol(settings).getPayloadCodec();
    if (!(codec instanceof JsonCodec2)) return settings;
    return { ...settings, jsonCodec: new LeanJsonCodec(codec.settings, ids) };
  };
  return class extends Protocol {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the mixin constructor, as above
    constructor(...args: any[]) {
      super(leanSettings(args[0] as Record<string, unknown>), ...args.slice(1));
    }
  };
}
