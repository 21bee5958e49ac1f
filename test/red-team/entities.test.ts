import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { UpstreamName } from '../../src/errors.js';
import { startStack, type Stack } from '../../testkit/stack.js';
import { codesByIndex, countUnhandledRejections, ENTITIES, post, validRepresentations } from './support.js';

/**
 * Issue #12, the `_entities` boundary: every representation is judged on its own before any
 * lookup. Through the real server with raw posts; upstream calls are counted in the emulator.
 */
let stack: Stack;
const rejections = countUnhandledRejections();
beforeAll(async () => {
  // The settled-scan cache off: every scan lookup is then a call the emulator can count.
  stack = await startStack({ env: { LOG_LEVEL: 'debug', ADVALIDATION_SETTLED_CACHE_SIZE: '0' } });
});
afterAll(async () => {
  rejections.stop();
  await stack.stop();
});
beforeEach(() => {
  stack.emulator.reset();
  stack.logs.length = 0;
});

type Entities = { _entities: Array<Record<string, unknown> | null> };
const entities = (representations: unknown) => post<Entities>(stack, { query: ENTITIES, variables: { r: representations } });
const asked = (api: UpstreamName) => stack.emulator.calls.keysAsked(api);

/** The process answers an ordinary query after whatever came before. */
async function stillServing(): Promise<void> {
  const { build } = validRepresentations(stack);
  const response = await post<{ build: { id: string } }>(stack, {
    query: `query($id: ID!) { build(id: $id) { id } }`,
    variables: { id: build.id },
  });
  expect(response.body.data?.build.id).toBe(build.id);
}

describe('the reproduction: an unknown type beside a lookup already started', () => {
  it('answers each item on its own, no INTERNAL_SERVER_ERROR, no unhandled rejection, and keeps serving', async () => {
    const response = await entities([
      { __typename: 'Build', id: 'nope:0' },
      { __typename: 'Bogus', id: '1' },
    ]);
    expect(response.status).toBe(200);
    expect(response.body.data?._entities).toEqual([null, null]);
    expect(codesByIndex(response.body)).toEqual({ 0: 'NOT_FOUND', 1: 'BAD_USER_INPUT' });
    expect(response.body.errors!.map((error) => error.path).sort((a, b) => Number(a![1]) - Number(b![1]))).toEqual([
      ['_entities', 0],
      ['_entities', 1],
    ]);
    expect(asked('codebuild')).toEqual(['nope:0']);
    await stillServing();
    expect(rejections.count).toBe(0);
  });
});

describe('every kind of bad representation is its own BAD_USER_INPUT, beside intact neighbours', () => {
  // [what, representation]: each is sent between a valid Build and a valid Scan.
  const bad: Array<[string, unknown]> = [
    ['a numeric build id', { __typename: 'Build', id: 123 }],
    ['a fractional build id', { __typename: 'Build', id: 1.5 }],
    ['an object as build id', { __typename: 'Build', id: { trim: 'x' } }],
    ['an array as build id', { __typename: 'Build', id: ['a:b'] }],
    ['a boolean build id', { __typename: 'Build', id: true }],
    ['a null build id', { __typename: 'Build', id: null }],
    ['a missing build id', { __typename: 'Build' }],
    ['a blank build id', { __typename: 'Build', id: '   ' }],
    ['a build id with spaces', { __typename: 'Build', id: 'my project:1' }],
    ['an unknown __typename', { __typename: 'Bogus', id: '1' }],
    ['a prototype name as __typename', { __typename: '__proto__', id: '1' }],
    ['an inherited name as __typename', { __typename: 'toString', id: '1' }],
    ['a non-entity type as __typename', { __typename: 'Query', id: '1' }],
    ['a federation type as __typename', { __typename: '_Service', id: '1' }],
    ['a missing __typename', { id: 'a:b' }],
    ['a numeric __typename', { __typename: 7, id: 'a:b' }],
    ['a string representation', 'Build:a:b'],
    ['a number representation', 42],
    ['an array representation', [{ __typename: 'Build', id: 'a:b' }]],
    ['an empty object', {}],
    ['a Finding without scanName', { __typename: 'Finding', id: 'CWE-89-00000000' }],
    ['a Finding with a numeric scanName', { __typename: 'Finding', scanName: 5, id: 'CWE-89-00000000' }],
    ['a Finding with a malformed scanName', { __typename: 'Finding', scanName: 'has space', id: 'x' }],
    ['a Finding without id', { __typename: 'Finding', scanName: 'payments-api-scan' }],
    ['a Finding with a control character in its id', { __typename: 'Finding', scanName: 'payments-api-scan', id: 'a\u0000b' }],
    ['a FindingDetail without findingArn', { __typename: 'FindingDetail' }],
    ['a FindingDetail with a malformed ARN', { __typename: 'FindingDetail', findingArn: 'arn:aws:inspector2:eu-west-1:123:finding/zz' }],
    [
      'a FindingDetail in an invented region',
      { __typename: 'FindingDetail', findingArn: `arn:aws:inspector2:zz-word-1:123456789012:finding/${'a'.repeat(32)}` },
    ],
    [
      'a FindingDetail whose partition is not its region’s',
      { __typename: 'FindingDetail', findingArn: `arn:aws-cn:inspector2:eu-west-1:123456789012:finding/${'a'.repeat(32)}` },
    ],
    [
      'a FindingDetail with no partition',
      { __typename: 'FindingDetail', findingArn: `arn::inspector2:eu-west-1:123456789012:finding/${'a'.repeat(32)}` },
    ],
    ['a Scan with a non-numeric id', { __typename: 'Scan', id: '12ab' }],
    ['a Scan with a negative id', { __typename: 'Scan', id: -4 }],
    ['a Scan with id 0', { __typename: 'Scan', id: '0' }],
    ['a Scan with a fractional id', { __typename: 'Scan', id: 2.5 }],
  ];

  it.each(bad)('%s', async (_what, representation) => {
    const { build, scan } = validRepresentations(stack);
    const response = await entities([build, representation, scan]);
    expect(response.status).toBe(200);
    const [first, middle, last] = response.body.data!._entities;
    expect(first).toEqual({ __typename: 'Build', id: build.id });
    expect(middle).toBeNull();
    expect(last).toEqual({ __typename: 'Scan', id: scan.id });
    expect(response.body.errors).toHaveLength(1);
    expect(response.body.errors![0]!.path).toEqual(['_entities', 1]);
    expect(response.body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    // The bad item cost nothing: only the neighbours were asked for.
    expect(asked('codebuild')).toEqual([build.id]);
    expect(asked('advalidation')).toEqual([scan.id]);
    expect(asked('codeguru-security')).toEqual([]);
    expect(asked('inspector2')).toEqual([]);
    expect(rejections.count).toBe(0);
  });

  it('all kinds in one request: every valid item of every type served, every bad one null at its index', async () => {
    const valid = validRepresentations(stack);
    const mixed = [valid.build, ...bad.map(([, representation]) => representation), valid.finding, valid.detail, valid.scan, valid.build2];
    const response = await entities(mixed);
    expect(response.status).toBe(200);
    const result = response.body.data!._entities;
    expect(result).toHaveLength(mixed.length);
    expect(result[0]).toEqual({ __typename: 'Build', id: valid.build.id });
    expect(result.slice(1, 1 + bad.length).every((item) => item === null)).toBe(true);
    expect(result.slice(1 + bad.length)).toEqual([valid.finding, valid.detail, valid.scan, valid.build2]);
    const expected = Object.fromEntries(bad.map((_, index) => [String(index + 1), 'BAD_USER_INPUT']));
    expect(codesByIndex(response.body)).toEqual(expected);
    expect(asked('codebuild').sort()).toEqual([valid.build.id, valid.build2.id].sort());
    expect(stack.emulator.calls.count('codeguru-security')).toBe(1);
    expect(asked('codeguru-security')).toHaveLength(1);
    expect(asked('inspector2')).toEqual([valid.detail.findingArn]);
    expect(asked('advalidation')).toEqual([valid.scan.id]);
  });

  it('a numeric Scan id is an ID (GraphQL coerces integers to ID) and is served', async () => {
    const { scan } = validRepresentations(stack);
    const response = await entities([{ __typename: 'Scan', id: Number(scan.id) }]);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data!._entities).toEqual([{ __typename: 'Scan', id: scan.id }]);
  });

  it('a Finding is asked under the scan name it names, never "undefined"', async () => {
    const { finding } = validRepresentations(stack);
    const response = await entities([finding, { __typename: 'Finding', id: finding.id }]);
    expect(response.body.data!._entities).toEqual([finding, null]);
    expect(codesByIndex(response.body)).toEqual({ 1: 'BAD_USER_INPUT' });
    expect(stack.emulator.calls.keysAsked('codeguru-security').join()).not.toContain('undefined');
  });

  it('a null representation under a [_Any!]! variable fails variable coercion (400, no data): the request itself is malformed', async () => {
    const { build } = validRepresentations(stack);
    const response = await entities([build, null]);
    expect(response.status).toBe(400);
    expect(response.body.data).toBeUndefined();
    expect(response.body.errors!.map((error) => error.extensions!.code)).toEqual(['BAD_USER_INPUT']);
    expect(stack.emulator.calls.entries).toHaveLength(0);
  });

  it('null representations in a literal list or a [_Any]! variable are items too, not a failed request', async () => {
    const { build } = validRepresentations(stack);
    const widened = await post<Entities>(stack, { query: ENTITIES.replace('[_Any!]!', '[_Any]!'), variables: { r: [null, build] } });
    expect(widened.status).toBe(200);
    expect(widened.body.data!._entities).toEqual([null, { __typename: 'Build', id: build.id }]);
    expect(codesByIndex(widened.body)).toEqual({ 0: 'BAD_USER_INPUT' });
    const response = await post<Entities>(stack, {
      query: `{ _entities(representations: [null, { __typename: "Build", id: ${JSON.stringify(build.id)} }, 7]) { ... on Build { id } } }`,
    });
    expect(response.status).toBe(200);
    expect(response.body.data!._entities).toEqual([null, { id: build.id }, null]);
    expect(codesByIndex(response.body)).toEqual({ 0: 'BAD_USER_INPUT', 2: 'BAD_USER_INPUT' });
  });
});

describe('bounded echoes and logs', () => {
  it('a 1 MB __typename: quoted at most 100 characters, every log line short', async () => {
    const typename = 'T'.repeat(1_000_000);
    const response = await entities([{ __typename: typename, id: 'a:b' }]);
    expect(response.status).toBe(200);
    expect(codesByIndex(response.body)).toEqual({ 0: 'BAD_USER_INPUT' });
    expect(response.text.length).toBeLessThan(1_000);
    expect(response.body.errors![0]!.message).toContain('(1000000 characters)');
    expect(stack.logs.length).toBeGreaterThan(0);
    for (const line of stack.logs) expect(line.length).toBeLessThan(2_000);
  });

  it('1000 invalid representations: one log line for the request, no stack traces, a bounded response', async () => {
    const representations = Array.from({ length: 1000 }, (_, i) => ({ __typename: `Bogus${i}`, id: 'x'.repeat(500) }));
    const response = await entities(representations);
    expect(response.status).toBe(200);
    expect(response.body.data!._entities).toHaveLength(1000);
    expect(response.body.errors).toHaveLength(1000);
    expect(response.body.errors!.every((error) => error.extensions!.code === 'BAD_USER_INPUT')).toBe(true);
    expect(response.text.length).toBeLessThan(250_000);
    // LOG_LEVEL=debug: the one request line, with the error codes counted.
    expect(stack.logs).toHaveLength(1);
    const line = JSON.parse(stack.logs[0]!) as { errors: Record<string, number>; msg: string };
    expect(line.errors).toEqual({ BAD_USER_INPUT: 1000 });
    expect(stack.logs.join('\n')).not.toMatch(/\n\s+at |"stack"/);
    expect(stack.emulator.calls.entries).toHaveLength(0);
  });

  it('1000 copies of one 100 KB build id: one bounded answer, no call', async () => {
    const id = `p:${'x'.repeat(100_000)}`;
    const representations = Array.from({ length: 1000 }, () => ({ __typename: 'Build', id }));
    // 100 MB of JSON would exceed the body limit: the router-style variable repeats one literal.
    const query = `query($id: ID!) { _entities(representations: [${representations.map(() => '{ __typename: "Build", id: $id }').join(', ')}]) { ... on Build { id } } }`;
    const response = await post<Entities>(stack, { query, variables: { id } });
    expect(response.status).toBe(200);
    expect(response.body.errors).toHaveLength(1000);
    expect(codesByIndex(response.body)['999']).toBe('BAD_USER_INPUT');
    expect(response.text.length).toBeLessThan(400_000);
    expect(stack.emulator.calls.count('codebuild')).toBe(0);
  });
});
