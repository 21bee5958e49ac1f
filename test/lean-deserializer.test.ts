import { isDeepStrictEqual } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import {
  BatchGetBuildsCommand,
  BatchGetBuildsOutput$,
  BatchGetProjectsCommand,
  CodeBuildClient,
  InvalidInputException,
} from '@aws-sdk/client-codebuild';
import { BatchGetFindingDetailsCommand, BatchGetFindingDetailsResponse$, Inspector2Client } from '@aws-sdk/client-inspector2';
import { AwsJson1_1Protocol, AwsRestJsonProtocol } from '@aws-sdk/core/protocols';
import { JsonShapeDeserializer2, type JsonSettings } from '@smithy/core/protocols';
import { NormalizedSchema } from '@smithy/core/schema';
import { HttpResponse } from '@smithy/protocol-http';
import type { Schema, StaticStructureSchema } from '@smithy/types';
import {
  LeanJsonCodec,
  LeanShapeDeserializer,
  leanDeserializerSetting,
  withLeanDeserializer,
} from '../src/upstreams/aws/lean-deserializer.js';
import { ConfigError } from '../src/config/env.js';
import { generateBuilds } from '../emulator/codebuild/data.js';
import { toAwsJson } from '../emulator/core/aws-wire.js';
import { LEAN_CODEBUILD_PROTOCOL } from '../src/upstreams/codebuild/client.js';
import { LEAN_CODEGURU_SECURITY_PROTOCOL } from '../src/upstreams/codeguru-security/client.js';
import {
  BatchGetFindingsCommand,
  BatchGetFindingsResponse$,
  CodeGuruSecurityClient,
} from '../src/upstreams/codeguru-security/sdk/index.js';
import { toJson, wireArbitrary, type WireOptions } from './support/wire-arbitrary.js';

/**
 * The lean deserializer must return exactly what the SDK's own does, for every answer the
 * model allows and for malformed ones: both run on the same bytes and are compared member for
 * member (toStrictEqual: Dates by value and class, NaN, absent vs undefined). First at the codec
 * (many generated answers), then through the official clients on the same HTTP response
 * (`$metadata`, typed exceptions, other commands).
 */

const RPC_SETTINGS = { defaultNamespace: 'com.amazonaws.codebuild', serviceTarget: 'CodeBuild_20161006' };
const REST_SETTINGS = { defaultNamespace: 'com.amazonaws.inspector2' };

/** The protocol's own codec deserializer, and the lean one built by withLeanDeserializer from the same protocol. */
function deserializers(Protocol: typeof AwsJson1_1Protocol | typeof AwsRestJsonProtocol, output: StaticStructureSchema) {
  const settings = Protocol === AwsJson1_1Protocol ? RPC_SETTINGS : REST_SETTINGS;
  const sdk = new (Protocol as typeof AwsJson1_1Protocol)(settings as never)
    .getPayloadCodec()
    .createDeserializer() as JsonShapeDeserializer2;
  const Lean = withLeanDeserializer(Protocol as typeof AwsJson1_1Protocol, [output]);
  const lean = new Lean(settings as never).getPayloadCodec().createDeserializer() as unknown as LeanShapeDeserializer;
  return { sdk, lean };
}

/**
 * Deep strict equality as node:util defines it (prototypes, Dates by value, NaN, own keys). Not
 * toStrictEqual alone: it compares `.constructor`, which is a member here when the wire has a
 * key named so. Its diff is shown when the two differ.
 */
function expectSame(actual: unknown, expected: unknown) {
  if (isDeepStrictEqual(actual, expected)) return;
  expect(actual).toStrictEqual(expected);
  expect.fail('not deep-strict-equal (see node:util isDeepStrictEqual)');
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: { name: string; message: string } };
async function outcome(read: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: true, value: await read() };
  } catch (error) {
    const { name, message } = error as Error;
    return { ok: false, error: { name, message } };
  }
}

/** Both deserializers on the same bytes (fresh copies: each may mutate what it parsed, never the bytes). */
async function compare(sdk: JsonShapeDeserializer2, lean: LeanShapeDeserializer, schema: Schema, json: string) {
  const expected = await outcome(() => sdk.read(schema, Buffer.from(json)));
  const actual = await outcome(() => lean.read(schema, Buffer.from(json)));
  expectSame(actual, expected);
  return expected;
}

const MODES: [string, WireOptions][] = [
  ['answers as services send them', { noise: false }],
  ['nulls, unknown members, __type', { noise: true }],
  ['malformed values', { noise: true, malformed: true }],
];

describe.each([
  ['CodeBuild BatchGetBuildsOutput (awsJson1_1)', AwsJson1_1Protocol, BatchGetBuildsOutput$],
  ['Inspector BatchGetFindingDetailsResponse (restJson1)', AwsRestJsonProtocol, BatchGetFindingDetailsResponse$],
  ['CodeGuru Security BatchGetFindingsResponse (restJson1)', AwsRestJsonProtocol, BatchGetFindingsResponse$],
] as const)('%s: lean = SDK at the codec', (_, Protocol, output) => {
  const { sdk, lean } = deserializers(Protocol, output);
  const schema = NormalizedSchema.of(output);

  it('takes the lean path (the model has no shape the readers decline)', () => {
    expect(lean.readerFor(schema)).toBeTypeOf('function');
  });

  it.each(MODES)('%s', async (_mode, options) => {
    let failures = 0;
    await fc.assert(
      fc.asyncProperty(wireArbitrary(output, options), async (wire) => {
        const result = await compare(sdk, lean, schema, toJson(wire));
        if (!result.ok) failures += 1;
      }),
      { numRuns: 300 },
    );
    // The malformed mode must actually reach the error path, the others must not.
    if (options.malformed) expect(failures).toBeGreaterThan(0);
    else expect(failures).toBe(0);
  });
});

it('keeps the emulator’s 100 realistic builds identical, Dates included', async () => {
  const { sdk, lean } = deserializers(AwsJson1_1Protocol, BatchGetBuildsOutput$);
  const json = `{"builds":[${generateBuilds(100).map(toAwsJson).join(',')}],"buildsNotFound":["x:1"]}`;
  const result = await compare(sdk, lean, NormalizedSchema.of(BatchGetBuildsOutput$), json);
  expect(result.ok && (result.value as { builds: { startTime: unknown }[] }).builds[0]!.startTime).toBeInstanceOf(Date);
});

it('empty and non-object bodies end as the SDK’s do', async () => {
  const { sdk, lean } = deserializers(AwsJson1_1Protocol, BatchGetBuildsOutput$);
  const schema = NormalizedSchema.of(BatchGetBuildsOutput$);
  for (const json of ['', '{}', 'null', '[]', '"text"', '{"builds":', '{"builds":[{"startTime":"soon"}]}']) {
    await compare(sdk, lean, schema, json);
  }
});

/**
 * Shapes the two models do not have but the readers mirror (unions, maps, blobs, jsonName, the
 * other timestamp formats, recursion), on a schema written for this test.
 */
describe('lean = SDK on every shape kind the readers mirror', () => {
  const ns = 'test.lean';
  const Leaf: StaticStructureSchema = [3, ns, 'Leaf', 0, ['at', 'n'], [4, 1]];
  const Choice = [4, ns, 'Choice', 0, ['leaf', 'text', 'when'], [() => Leaf, 0, 5]];
  const Tree: StaticStructureSchema = [
    3,
    ns,
    'Tree',
    0,
    ['name', 'children', 'byName', 'bytes', 'choice', 'iso', 'http', 'renamed', 'flags', 'counts', 'times'],
    [
      0,
      [1, ns, 'Trees', 0, () => Tree],
      [2, ns, 'LeafMap', 0, 0, () => Leaf],
      21,
      () => Choice,
      5,
      6,
      [0, { jsonName: 'Renamed' }],
      64 | 2,
      64 | 1,
      [2, ns, 'TimeMap', 0, 0, 7],
    ],
  ] as unknown as StaticStructureSchema;
  const jsonNameKey = (name: string, member: NormalizedSchema) => member.getMergedTraits().jsonName ?? name;

  it.each([
    ['awsJson1_1 codec', { timestampFormat: { useTrait: true, default: 7 }, jsonName: false }],
    ['restJson1 codec (jsonName)', { timestampFormat: { useTrait: true, default: 7 }, httpBindings: true, jsonName: true }],
  ] as [string, JsonSettings][])('%s', async (_, settings) => {
    const codec = new LeanJsonCodec(settings, new Set([`${ns}#Tree`]));
    const lean = codec.createDeserializer() as unknown as LeanShapeDeserializer;
    const sdk = new JsonShapeDeserializer2(settings);
    const schema = NormalizedSchema.of(Tree);
    expect(lean.readerFor(schema)).toBeTypeOf('function');
    const keyOf = settings.jsonName ? jsonNameKey : undefined;
    for (const options of MODES.map(([, mode]) => ({ ...mode, keyOf, maxDepth: 4 }))) {
      await fc.assert(
        fc.asyncProperty(wireArbitrary(Tree, options), async (wire) => void (await compare(sdk, lean, schema, toJson(wire)))),
        { numRuns: 200 },
      );
    }
  });

  it('declines shapes it does not mirror (documents), leaving them to the SDK', async () => {
    const WithDocument: StaticStructureSchema = [3, ns, 'WithDocument', 0, ['doc'], [15]];
    const settings: JsonSettings = { timestampFormat: { useTrait: true, default: 7 }, jsonName: false };
    const lean = new LeanJsonCodec(settings, new Set([`${ns}#WithDocument`])).createDeserializer() as unknown as LeanShapeDeserializer;
    expect(lean.readerFor(NormalizedSchema.of(WithDocument))).toBeUndefined();
    await compare(new JsonShapeDeserializer2(settings), lean, NormalizedSchema.of(WithDocument), '{"doc":{"a":[1,{"b":null}]}}');
  });
});

/** One canned HTTP response for every request, fresh bytes each time; requests are recorded. */
class CannedHandler {
  readonly requests: { target: unknown; path: string }[] = [];
  constructor(private readonly answer: () => { status: number; headers: Record<string, string>; body: string }) {}
  async handle(request: { headers: Record<string, string>; path: string }) {
    this.requests.push({ target: request.headers['x-amz-target'], path: request.path });
    const { status, headers, body } = this.answer();
    return { response: new HttpResponse({ statusCode: status, headers: { ...headers }, body: Buffer.from(body) }) };
  }
  updateHttpClientConfig() {}
  httpHandlerConfigs() {
    return {};
  }
  destroy() {}
}

const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
const HEADERS = {
  'Content-Type': 'application/x-amz-json-1.1',
  'X-Amzn-RequestId': 'b0e91dc8-3807-11e2-83c6-5912bf8ad066',
  'x-amz-id-2': 'extended-id',
  'x-amz-cf-id': 'cf-id',
};

function codebuildClients(answer: CannedHandler['answer']) {
  const make = (lean: boolean) => {
    const handler = new CannedHandler(answer);
    const client = new CodeBuildClient({
      region: 'us-east-1',
      credentials: CREDENTIALS,
      maxAttempts: 1,
      requestHandler: handler as never,
      ...(lean ? { protocol: withLeanDeserializer(AwsJson1_1Protocol, [BatchGetBuildsOutput$]) } : {}),
    });
    return { client, handler };
  };
  return { sdk: make(false), lean: make(true) };
}

async function sent<T>(send: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await send() };
  } catch (error) {
    return { ok: false, error };
  }
}

describe('through the official clients, on the same HTTP response', () => {
  afterEach(() => vi.restoreAllMocks());

  it('CodeBuild BatchGetBuilds: the output, $metadata included, over generated answers', async () => {
    let body = '';
    const { sdk, lean } = codebuildClients(() => ({ status: 200, headers: HEADERS, body }));
    await fc.assert(
      fc.asyncProperty(wireArbitrary(BatchGetBuildsOutput$, { noise: true }), async (wire) => {
        body = toJson(wire);
        const command = () => new BatchGetBuildsCommand({ ids: ['p:1'] });
        const expected = await sent(() => sdk.client.send(command()));
        const actual = await sent(() => lean.client.send(command()));
        expectSame(actual, expected);
        expect(expected.ok && expected.value.$metadata.requestId).toBe(HEADERS['X-Amzn-RequestId']);
      }),
      { numRuns: 60 },
    );
    // Both clients called the service the same way, once per answer.
    expect(lean.handler.requests).toStrictEqual(sdk.handler.requests);
  });

  it('takes the lean path for BatchGetBuilds only (the SDK’s per-value reader is not called)', async () => {
    const body = `{"builds":[${generateBuilds(5).map(toAwsJson).join(',')}],"buildsNotFound":[]}`;
    const { sdk, lean } = codebuildClients(() => ({ status: 200, headers: HEADERS, body }));
    const sdkReads = vi.spyOn(JsonShapeDeserializer2.prototype as unknown as { _read: () => unknown }, '_read');
    await sdk.client.send(new BatchGetBuildsCommand({ ids: ['p:1'] }));
    const bySdk = sdkReads.mock.calls.length;
    sdkReads.mockClear();
    const output = await lean.client.send(new BatchGetBuildsCommand({ ids: ['p:1'] }));
    expect(bySdk).toBeGreaterThan(100);
    expect(sdkReads).not.toHaveBeenCalled();
    expect(output.builds![0]!.startTime).toBeInstanceOf(Date);
  });

  it('leaves other commands to the SDK', async () => {
    const body = '{"projects":[{"name":"p","created":1700000000.5,"unknownMember":1}],"projectsNotFound":[]}';
    const { sdk, lean } = codebuildClients(() => ({ status: 200, headers: HEADERS, body }));
    const sdkReads = vi.spyOn(JsonShapeDeserializer2.prototype as unknown as { _read: () => unknown }, '_read');
    const expected = await sdk.client.send(new BatchGetProjectsCommand({ names: ['p'] }));
    const bySdk = sdkReads.mock.calls.length;
    sdkReads.mockClear();
    expect(await lean.client.send(new BatchGetProjectsCommand({ names: ['p'] }))).toStrictEqual(expected);
    expect(sdkReads.mock.calls.length).toBe(bySdk);
  });

  it('errors stay the SDK’s: the same typed exception, message, fault and $metadata', async () => {
    const error = { __type: 'InvalidInputException', message: 'The input build ID list cannot be empty.' };
    const { sdk, lean } = codebuildClients(() => ({ status: 400, headers: HEADERS, body: JSON.stringify(error) }));
    const expected = await sent(() => sdk.client.send(new BatchGetBuildsCommand({ ids: ['p:1'] })));
    const actual = await sent(() => lean.client.send(new BatchGetBuildsCommand({ ids: ['p:1'] })));
    expect(!expected.ok && expected.error).toBeInstanceOf(InvalidInputException);
    expect(!actual.ok && actual.error).toBeInstanceOf(InvalidInputException);
    const facts = (outcome: typeof expected) => {
      const e = (outcome as { error: InvalidInputException }).error;
      return { name: e.name, message: e.message, fault: e.$fault, metadata: e.$metadata, own: { ...e } };
    };
    expect(facts(actual)).toStrictEqual(facts(expected));
  });

  it('a malformed 200 fails as the SDK’s does (its own deserialization error)', async () => {
    const { sdk, lean } = codebuildClients(() => ({ status: 200, headers: HEADERS, body: '{"builds":[{"startTime":"soon"}]}' }));
    const expected = await sent(() => sdk.client.send(new BatchGetBuildsCommand({ ids: ['p:1'] })));
    const actual = await sent(() => lean.client.send(new BatchGetBuildsCommand({ ids: ['p:1'] })));
    expect(expected.ok).toBe(false);
    const facts = (outcome: typeof expected) => {
      const e = (outcome as { error: Error & { $metadata?: unknown } }).error;
      return { name: e.name, message: e.message, metadata: e.$metadata };
    };
    expect(facts(actual)).toStrictEqual(facts(expected));
  });

  it('Inspector BatchGetFindingDetails (restJson1): the output, $metadata included, over generated answers', async () => {
    const { answer, sdk, lean } = restJsonClients(
      Inspector2Client,
      withLeanDeserializer(AwsRestJsonProtocol, [BatchGetFindingDetailsResponse$]),
    );
    await fc.assert(
      fc.asyncProperty(wireArbitrary(BatchGetFindingDetailsResponse$, { noise: true }), async (wire) => {
        answer.body = toJson(wire);
        const command = () => new BatchGetFindingDetailsCommand({ findingArns: ['arn:aws:inspector2:us-east-1:123456789012:finding/f'] });
        const expected = await sent(() => sdk.send(command()));
        expectSame(await sent(() => lean.send(command())), expected);
      }),
      { numRuns: 60 },
    );
  });
});

/**
 * One restJson1 client twice, on the same canned 200 whose body the test sets in `answer`: with the
 * protocol the client uses by default, and with `leanProtocol`.
 */
function restJsonClients<C>(Client: new (config: never) => C, leanProtocol: unknown) {
  const answer = { body: '' };
  const make = (lean: boolean) =>
    new Client({
      region: 'us-east-1',
      credentials: CREDENTIALS,
      maxAttempts: 1,
      requestHandler: new CannedHandler(() => ({
        status: 200,
        headers: { ...HEADERS, 'Content-Type': 'application/json' },
        body: answer.body,
      })),
      ...(lean ? { protocol: leanProtocol } : {}),
    } as never);
  return { answer, sdk: make(false), lean: make(true) };
}

describe('through the CodeGuru Security client (this product’s own, on the SDK’s building blocks)', () => {
  it('BatchGetFindings: the output, $metadata included, over generated answers', async () => {
    const { answer, sdk, lean } = restJsonClients(CodeGuruSecurityClient, LEAN_CODEGURU_SECURITY_PROTOCOL);
    const readStruct = vi.spyOn(JsonShapeDeserializer2.prototype as unknown as { _read: () => unknown }, '_read');
    await fc.assert(
      fc.asyncProperty(wireArbitrary(BatchGetFindingsResponse$, { noise: true }), async (wire) => {
        answer.body = toJson(wire);
        const command = () => new BatchGetFindingsCommand({ findingIdentifiers: [{ scanName: 's', findingId: 'f' }] });
        const expected = await sent(() => sdk.send(command()));
        readStruct.mockClear();
        const actual = await sent(() => lean.send(command()));
        expectSame(actual, expected);
        // The lean client answered without the SDK's per-value reader (unless it fell back on a malformed answer).
        if (expected.ok) expect(readStruct).not.toHaveBeenCalled();
      }),
      { numRuns: 60 },
    );
    readStruct.mockRestore();
  });
});

describe('wiring', () => {
  it('extends the protocols the clients use by default (an SDK that changed protocol would fail here)', () => {
    const codebuild = new CodeBuildClient({ region: 'us-east-1', credentials: CREDENTIALS });
    const inspector = new Inspector2Client({ region: 'us-east-1', credentials: CREDENTIALS });
    expect(codebuild.config.protocol.constructor).toBe(AwsJson1_1Protocol);
    expect(inspector.config.protocol.constructor).toBe(AwsRestJsonProtocol);
    const lean = new CodeBuildClient({ region: 'us-east-1', credentials: CREDENTIALS, protocol: LEAN_CODEBUILD_PROTOCOL });
    expect(lean.config.protocol).toBeInstanceOf(AwsJson1_1Protocol);
    expect(lean.config.protocol.getPayloadCodec()).toBeInstanceOf(LeanJsonCodec);
    // Built with the client's own protocol settings (its namespace, target, error registries).
    expect((lean.config.protocol as unknown as { options: unknown }).options).toStrictEqual(
      (codebuild.config.protocol as unknown as { options: unknown }).options,
    );
    for (const client of [codebuild, inspector, lean]) client.destroy();
  });

  it('AWS_LEAN_DESERIALIZER: on unless set false, and nothing but true/false', () => {
    expect(leanDeserializerSetting({})).toBe(true);
    expect(leanDeserializerSetting({ AWS_LEAN_DESERIALIZER: 'TRUE' })).toBe(true);
    expect(leanDeserializerSetting({ AWS_LEAN_DESERIALIZER: 'false' })).toBe(false);
    expect(() => leanDeserializerSetting({ AWS_LEAN_DESERIALIZER: 'off' })).toThrow(ConfigError);
  });
});
