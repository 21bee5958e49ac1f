import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Metrics } from '../../src/observability/metrics.js';
import { MAX_OPERATION_LABEL_CHARS, MAX_OPERATION_LABELS } from '../../src/observability/bounded-labels.js';
import { startStack, type Stack } from '../../testkit/stack.js';
import { countUnhandledRejections, post } from './support.js';
import { regionOf } from '../../src/upstreams/inspector2/model.js';

/**
 * Issue #12, root arguments and everything else a client controls: key bounds, echoed input,
 * invented regions, metric labels and log lines. Through the real server; upstream calls are
 * counted in the emulator's log, metric series in the subgraph's registry.
 */
let stack: Stack;
const rejections = countUnhandledRejections();
beforeAll(async () => {
  stack = await startStack({ env: { LOG_LEVEL: 'debug', ADVALIDATION_SETTLED_CACHE_SIZE: '0' } });
});
afterAll(async () => {
  rejections.stop();
  await stack.stop();
  expect(rejections.count).toBe(0);
});
beforeEach(() => {
  stack.emulator.reset();
  stack.logs.length = 0;
});

const hex32 = 'a'.repeat(32);
const arn = (partition: string, region: string) => `arn:${partition}:inspector2:${region}:123456789012:finding/${hex32}`;
const codes = (response: { errors?: Array<{ extensions?: Record<string, unknown> }> }) =>
  (response.errors ?? []).map((error) => error.extensions?.code);
const repeated = (n: number, text: string) => Array.from({ length: n }, () => text).join(', ');

describe('echoed input stays bounded', () => {
  const huge = `p:${'x'.repeat(100_000)}`;
  const cases: Array<[string, string, Record<string, unknown>]> = [
    ['builds', `query($id: ID!) { builds(ids: [${repeated(1000, '$id')}]) { id } }`, { id: huge }],
    ['scans', `query($id: ID!) { scans(ids: [${repeated(1000, '$id')}]) { id } }`, { id: huge }],
    ['findingDetails', `query($id: ID!) { findingDetails(findingArns: [${repeated(1000, '$id')}]) { findingArn } }`, { id: huge }],
    [
      'findings (long id)',
      `query($id: ID!) { findings(identifiers: [${repeated(1000, '{ scanName: "s", findingId: $id }')}]) { id } }`,
      { id: huge },
    ],
    [
      'findings (long scan name)',
      `query($s: String!) { findings(identifiers: [${repeated(1000, '{ scanName: $s, findingId: "x" }')}]) { id } }`,
      { s: huge },
    ],
  ];

  it.each(cases)('1000 copies of one 100 KB key in %s: 1000 short errors, no call', async (_field, query, variables) => {
    const response = await post(stack, { query, variables });
    expect(response.status).toBe(200);
    expect(codes(response.body)).toEqual(Array.from({ length: 1000 }, () => 'BAD_USER_INPUT'));
    // Was 100 MB: every message quotes at most 100 characters of the key (~400 bytes an error).
    expect(response.text.length).toBeLessThan(500_000);
    for (const error of response.body.errors!) expect(error.message.length).toBeLessThan(400);
    expect(stack.emulator.calls.entries).toHaveLength(0);
  });

  it('a 600 KB id is BAD_USER_INPUT, not HTTP 500', async () => {
    const response = await post(stack, {
      query: `query($id: ID!) { build(id: $id) { id } }`,
      variables: { id: `p:${'y'.repeat(600_000)}` },
    });
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({ build: null });
    expect(codes(response.body)).toEqual(['BAD_USER_INPUT']);
    expect(response.body.errors![0]!.message).toContain('(600002 characters)');
    expect(stack.emulator.calls.entries).toHaveLength(0);
  });

  it('a huge value of the wrong type: graphql-js quotes it, the message is cut', async () => {
    const response = await post(stack, {
      query: `query($id: ID!) { build(id: $id) { id } }`,
      variables: { id: { x: 'z'.repeat(500_000) } },
    });
    expect(response.status).toBe(400);
    expect(codes(response.body)).toEqual(['BAD_USER_INPUT']);
    expect(response.text.length).toBeLessThan(2_000);
  });
  it('a literal nested 50,000 deep in the document: 400 saying so (not the engine’s stack overflow), no call', async () => {
    const query = `{ _entities(representations: ${'['.repeat(50_000)}1${']'.repeat(50_000)}) { __typename } }`;
    const response = await post(stack, { query });
    expect(response.status).toBe(400);
    expect(codes(response.body)).toEqual(['GRAPHQL_PARSE_FAILED']);
    expect(response.body.errors![0]!.message).toMatch(/^The document is nested too deeply to be read/);
    expect(response.text).not.toMatch(/call stack/i);
    expect(stack.emulator.calls.entries).toHaveLength(0);
  });

  it('800 copies of one field: the validator’s work limit is refused with a reason, not a bare “Validation aborted.”', async () => {
    const response = await post(stack, { query: `{ ${'__typename '.repeat(800)}}` });
    expect(response.status).toBe(400);
    expect(codes(response.body)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(response.body.errors![0]!.message).toMatch(/^The operation is too complex to validate: .*Select each field once/);
    expect(stack.emulator.calls.entries).toHaveLength(0);
  });

  it('a representation nested 20,000 deep: 400 saying it is nested too deeply, no call, the process fine', async () => {
    const nested = `${'{"__typename":"Build","id":'.repeat(20_000)}"x"${'}'.repeat(20_000)}`;
    const response = await post(
      stack,
      `{"query":"query($r: [_Any!]!) { _entities(representations: $r) { __typename } }","variables":{"r":[${nested}]}}`,
    );
    expect(response.status).toBe(400);
    expect(codes(response.body)).toEqual(['BAD_USER_INPUT']);
    expect(response.body.errors![0]!.message).toBe('The operation could not be costed: a variable or argument value is nested too deeply.');
    expect(stack.emulator.calls.entries).toHaveLength(0);
    const id = stack.emulator.data.builds[0]!.id!;
    expect((await post(stack, { query: 'query($id: ID!) { build(id: $id) { id } }', variables: { id } })).body.errors).toBeUndefined();
  });
});

describe('every key has its bound: at it, a call; past it, BAD_USER_INPUT without one', () => {
  const cases: Array<
    [string, string, Record<string, unknown>, Record<string, unknown>, 'codebuild' | 'codeguru-security' | 'inspector2' | 'advalidation']
  > = [
    [
      'build id (256 characters)',
      `query($id: ID!) { build(id: $id) { id } }`,
      { id: `pp:${'x'.repeat(253)}` },
      { id: `pp:${'x'.repeat(254)}` },
      'codebuild',
    ],
    [
      'scanName (140 characters)',
      `query($s: String!) { finding(scanName: $s, id: "x") { id } }`,
      { s: 's'.repeat(140) },
      { s: 's'.repeat(141) },
      'codeguru-security',
    ],
    [
      'finding id (256 characters)',
      `query($id: ID!) { finding(scanName: "s", id: $id) { id } }`,
      { id: 'f'.repeat(256) },
      { id: 'f'.repeat(257) },
      'codeguru-security',
    ],
    ['scan id (16 digits)', `query($id: ID!) { scan(id: $id) { id } }`, { id: '1'.repeat(16) }, { id: '1'.repeat(17) }, 'advalidation'],
    [
      'finding ARN (100 characters, the model)',
      `query($a: ID!) { findingDetail(findingArn: $a) { findingArn } }`,
      { a: arn('aws', 'eu-west-1') },
      { a: arn(`aws${'-'.repeat(40)}`, 'eu-west-1') },
      'inspector2',
    ],
  ];

  it.each(cases)('%s', async (_what, query, atBound, pastBound, api) => {
    const at = await post(stack, { query, variables: atBound });
    expect(codes(at.body)).toEqual(['NOT_FOUND']);
    expect(stack.emulator.calls.count(api)).toBe(1);
    const past = await post(stack, { query, variables: pastBound });
    expect(codes(past.body)).toEqual(['BAD_USER_INPUT']);
    expect(stack.emulator.calls.count(api)).toBe(1);
  });

  it('scan ids that are not positive integers cost nothing', async () => {
    const response = await post(stack, { query: `{ scans(ids: ["0", "-4", "12ab", "1e3", " 12", "١٢"]) { id } }` });
    expect(codes(response.body)).toEqual(Array.from({ length: 6 }, () => 'BAD_USER_INPUT'));
    expect(stack.emulator.calls.entries).toHaveLength(0);
  });
});

describe('only real regions', () => {
  it('2 x 1000 well-formed ARNs in 2000 invented regions: 2000 BAD_USER_INPUT, no call, no region series', async () => {
    const word = (i: number) => Array.from(String(i).padStart(4, '0'), (digit) => String.fromCharCode(97 + Number(digit))).join('');
    const a = Array.from({ length: 1000 }, (_, i) => arn('aws', `zz-${word(i)}-1`));
    const b = Array.from({ length: 1000 }, (_, i) => arn('aws', `zz-${word(1000 + i)}-1`));
    const response = await post(stack, {
      query: `query($a: [ID!]!, $b: [ID!]!) { a: findingDetails(findingArns: $a) { findingArn } b: findingDetails(findingArns: $b) { findingArn } }`,
      variables: { a, b },
    });
    expect(response.status).toBe(200);
    expect(codes(response.body)).toHaveLength(2000);
    expect(new Set(codes(response.body))).toEqual(new Set(['BAD_USER_INPUT']));
    expect(stack.emulator.calls.count('inspector2')).toBe(0);
    expect(await stack.subgraph.metrics.registry.metrics()).not.toMatch(/region="zz-/);
  });

  it('a region must be real and of the ARN’s own partition', async () => {
    const query = `query($a: [ID!]!) { findingDetails(findingArns: $a) { findingArn } }`;
    const arns = [
      arn('aws', 'us-fake-1'), // matches the aws partition's region pattern, but is no region
      arn('aws-cn', 'eu-west-1'), // a real region of another partition
      arn('aws', 'us-gov-west-1'),
      arn('aws-us-gov', 'us-gov-west-1'), // real, and in its partition: asked
      arn('aws-cn', 'cn-north-1'), // likewise
    ];
    const response = await post(stack, { query, variables: { a: arns } });
    const byIndex = Object.fromEntries(response.body.errors!.map((error) => [error.path![1], error.extensions!.code]));
    expect(byIndex).toEqual({ 0: 'BAD_USER_INPUT', 1: 'BAD_USER_INPUT', 2: 'BAD_USER_INPUT', 3: 'NOT_FOUND', 4: 'NOT_FOUND' });
    expect(
      stack.emulator.calls
        .of('inspector2')
        .map((call) => call.region)
        .sort(),
    ).toEqual(['cn-north-1', 'us-gov-west-1']);
  });

  it('the region label of a call names only real regions', async () => {
    const metrics = new Metrics();
    for (const group of ['eu-west-1', 'zz-word-1', 'us-fake-1', '']) {
      metrics.recordCall({ upstream: 'inspector2', group, size: 1, maxBatchSize: 10, durationMs: 1, outcome: 'ok', sent: true });
    }
    const text = await metrics.registry.metrics();
    const regions = [...text.matchAll(/subgraph_upstream_calls_total\{[^}]*region="([^"]*)"/g)].map((match) => match[1]).sort();
    expect(regions).toEqual(['default', 'eu-west-1', 'other', 'other'].filter((value, index, all) => all.indexOf(value) === index));
  });
});

describe('metric labels and log lines stay bounded', () => {
  it('100 operations named Op<100,000 letters>: short labels, a small registry, short log lines', async () => {
    const letters = (seed: number) =>
      Array.from({ length: 100_000 }, (_, i) => String.fromCharCode(97 + ((i * 7 + seed * 13) % 26))).join('');
    for (let batch = 0; batch < 10; batch += 1) {
      await Promise.all(
        Array.from({ length: 10 }, async (_, i) => {
          const response = await post(stack, { query: `query Op${letters(batch * 10 + i)} { __typename }` });
          expect(response.status).toBe(200);
        }),
      );
    }
    const text = await stack.subgraph.metrics.registry.metrics();
    const operations = [...text.matchAll(/operation="([^"]*)"/g)].map((match) => match[1]!);
    expect(operations.length).toBeGreaterThan(0);
    expect(Math.max(...operations.map((operation) => operation.length))).toBeLessThanOrEqual(MAX_OPERATION_LABEL_CHARS);
    // Was 150 MB.
    expect(text.length).toBeLessThan(2_000_000);
    expect(stack.logs.length).toBeGreaterThanOrEqual(100);
    for (const line of stack.logs) expect(line.length).toBeLessThan(2_000);
  });

  it(`past ${MAX_OPERATION_LABELS} distinct operation names, new ones count as "other"`, async () => {
    const names = Array.from({ length: MAX_OPERATION_LABELS + 20 }, (_, i) => `Distinct${i}`);
    for (let start = 0; start < names.length; start += 20) {
      await Promise.all(names.slice(start, start + 20).map((name) => post(stack, { query: `query ${name} { __typename }` })));
    }
    const text = await stack.subgraph.metrics.registry.metrics();
    const distinct = new Set(
      [...text.matchAll(/subgraph_graphql_request_duration_seconds_count\{operation="([^"]*)"/g)].map((match) => match[1]),
    );
    expect(distinct.has('other')).toBe(true);
    expect(distinct.size).toBeLessThanOrEqual(MAX_OPERATION_LABELS + 1);
  });
});

describe('one Inspector cap across all regions', () => {
  let capped: Stack;
  beforeAll(async () => {
    capped = await startStack({ env: { AWS_MAX_CONCURRENT_CALLS: '2' } });
  });
  afterAll(() => capped.stop());

  it('AWS_MAX_CONCURRENT_CALLS bounds Inspector calls in flight whatever regions the ARNs name', async () => {
    capped.emulator.faults.set('inspector2', { latencyMs: 60 });
    const byRegion = new Map<string, string[]>();
    for (const detail of capped.emulator.data.inspector.details) {
      const region = regionOf(detail.findingArn!);
      const list = byRegion.get(region) ?? [];
      if (list.length < 20) list.push(detail.findingArn!);
      byRegion.set(region, list);
    }
    const arns = [...byRegion.values()].flat();
    expect(byRegion.size).toBe(3);
    const response = await post<{ findingDetails: Array<{ findingArn: string }> }>(capped, {
      query: `query($a: [ID!]!) { findingDetails(findingArns: $a) { findingArn } }`,
      variables: { a: arns },
    });
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data!.findingDetails.map((detail) => detail.findingArn)).toEqual(arns);
    expect(capped.emulator.calls.count('inspector2')).toBe(6);
    // Per-region limiters allowed 6 at once here.
    expect(capped.emulator.peakConcurrency('inspector2')).toBe(2);
  });
});
