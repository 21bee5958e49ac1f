import { describe, expect, it } from 'vitest';
import { findingArn, REJECTED_ACCOUNT } from '../emulator/inspector2/data.js';
import { asGraphQLJson, withoutNulls } from '../testkit/stack.js';
import { useStack } from '../testkit/use-stack.js';
import { selectAll } from '../testkit/selection.js';
import { regionOf } from '../src/upstreams/inspector2/model.js';

const stack = useStack({ env: { AWS_RETRY_BASE_DELAY_MS: '5' } });

const DETAIL = selectAll('FindingDetail');
const details = () => stack.emulator.data.inspector.details;
const inRegion = (region: string, n: number, offset = 0) =>
  details()
    .filter((detail) => regionOf(detail.findingArn!) === region)
    .slice(offset, offset + n)
    .map((detail) => detail.findingArn!);
const calls = () => stack.emulator.calls.of('inspector2');
const QUERY = `query($arns: [ID!]!) { findingDetails(findingArns: $arns) { findingArn riskScore epssScore } }`;

describe('Query.findingDetail', () => {
  it('returns every field exactly as the emulator holds it', async () => {
    const detail = details()[5]!;
    const response = await stack.query<{ findingDetail: unknown }>(`query($arn: ID!) { findingDetail(findingArn: $arn) ${DETAIL} }`, {
      arn: detail.findingArn,
    });
    expect(response.errors).toBeUndefined();
    expect(withoutNulls(response.data!.findingDetail)).toEqual(asGraphQLJson(detail));
  });
});

describe('Query.findingDetails batching', () => {
  it.each([
    [1, 1],
    [10, 1],
    [11, 2],
    [100, 10],
  ])('%i distinct ARNs in one region cost exactly %i calls', async (n, expected) => {
    const arns = inRegion('eu-west-1', n);
    const response = await stack.query<{ findingDetails: Array<{ findingArn: string }> }>(QUERY, { arns });
    expect(response.errors).toBeUndefined();
    expect(response.data!.findingDetails.map((detail) => detail.findingArn)).toEqual(arns);
    expect(calls()).toHaveLength(expected);
    expect(calls().every((call) => call.keys.length <= 10 && call.region === 'eu-west-1')).toBe(true);
  });

  it('100 ARNs across two regions: complete, with the minimum calls per region, each signed for its region', async () => {
    const east = inRegion('us-east-1', 37);
    const sydney = inRegion('ap-southeast-2', 63);
    // Interleaved, as a dashboard would ask.
    const arns = east.flatMap((arn, i) => [arn, sydney[i]!]).concat(sydney.slice(east.length));
    const response = await stack.query<{ findingDetails: Array<Record<string, unknown>> }>(
      `query($arns: [ID!]!) { findingDetails(findingArns: $arns) ${DETAIL} }`,
      { arns },
    );
    expect(response.errors).toBeUndefined();
    const byArn = new Map(details().map((detail) => [detail.findingArn, detail]));
    response.data!.findingDetails.forEach((got, index) => expect(withoutNulls(got)).toEqual(asGraphQLJson(byArn.get(arns[index]!))));
    expect(calls().filter((call) => call.region === 'us-east-1')).toHaveLength(4);
    expect(calls().filter((call) => call.region === 'ap-southeast-2')).toHaveLength(7);
    expect(calls()).toHaveLength(11);
    // Every call carries only ARNs of the region it was signed for.
    expect(calls().every((call) => call.keys.every((arn) => arn.split(':')[3] === call.region))).toBe(true);
  });

  it('a malformed ARN among nine good ones: one BAD_USER_INPUT, nine results, no rejected call', async () => {
    const good = inRegion('us-east-1', 9);
    const arns = [...good.slice(0, 4), 'arn:aws:inspector2:us-east-1:123456789012:finding/NOT-HEX', ...good.slice(4)];
    const response = await stack.query<{ findingDetails: Array<{ findingArn: string } | null> }>(QUERY, { arns });
    expect(response.data!.findingDetails.map((detail) => detail?.findingArn ?? null)).toEqual([
      ...good.slice(0, 4),
      null,
      ...good.slice(4),
    ]);
    expect(response.errors).toMatchObject([{ path: ['findingDetails', 4], extensions: { code: 'BAD_USER_INPUT' } }]);
    expect(calls().map((call) => call.status)).toEqual([200]);
  });

  it('an ARN the service rejects though it passes the pattern is isolated by bisection; neighbours answer', async () => {
    const good = inRegion('us-east-1', 9);
    const rejected = findingArn('us-east-1', REJECTED_ACCOUNT, 'a'.repeat(32));
    const arns = [...good.slice(0, 6), rejected, ...good.slice(6)];
    const response = await stack.query<{ findingDetails: Array<{ findingArn: string } | null> }>(QUERY, { arns });
    expect(response.data!.findingDetails.map((detail) => detail?.findingArn ?? null)).toEqual([
      ...good.slice(0, 6),
      null,
      ...good.slice(6),
    ]);
    expect(response.errors).toMatchObject([
      { path: ['findingDetails', 6], extensions: { code: 'BAD_USER_INPUT', upstreamCode: 'ValidationException' } },
    ]);
    // The isolated ARN is named, so the caller sees which one was refused.
    expect(response.errors![0]!.message).toBe(`Amazon Inspector rejected finding ARN "${rejected}" as invalid.`);
    // 10 ARNs rejected; of the halves (5+5) the second; of 3+2 the three; of 2+1 the pair; then 1+1.
    const rejectedCalls = calls().filter((call) => call.status === 400);
    expect(rejectedCalls.map((call) => call.keys.length)).toEqual([10, 5, 3, 2, 1]);
    expect(
      calls()
        .filter((call) => call.status === 200)
        .flatMap((call) => call.keys)
        .sort(),
    ).toEqual([...good].sort());
    // Accepted along the way: the first half (5), then 2, 1 and 1.
    expect(calls()).toHaveLength(9);
  });

  it('an ARN that matches the pattern but exceeds 100 characters is refused locally and never sent', async () => {
    const good = inRegion('eu-west-1', 2);
    const long = `arn:aws${'x'.repeat(20)}:inspector2:eu-west-1:123456789012:finding/${'a'.repeat(32)}`;
    expect(long.length).toBeGreaterThan(100);
    const response = await stack.query<{ findingDetails: Array<{ findingArn: string } | null> }>(QUERY, {
      arns: [good[0], long, good[1], 'arn:nope'],
    });
    expect(response.data!.findingDetails.map((detail) => detail?.findingArn ?? null)).toEqual([good[0], null, good[1], null]);
    expect(response.errors!.map((error) => [error.path, error.extensions!.code])).toEqual([
      [['findingDetails', 1], 'BAD_USER_INPUT'],
      [['findingDetails', 3], 'BAD_USER_INPUT'],
    ]);
    expect(stack.emulator.calls.keysAsked('inspector2')).toEqual(good);
  });

  it('asks a repeated ARN once and answers every position', async () => {
    const [a, b] = inRegion('ap-southeast-2', 2);
    const response = await stack.query<{ findingDetails: Array<{ findingArn: string }> }>(QUERY, { arns: [a, b, a, a, b] });
    expect(response.errors).toBeUndefined();
    expect(response.data!.findingDetails.map((detail) => detail.findingArn)).toEqual([a, b, a, a, b]);
    expect(stack.emulator.calls.keysAsked('inspector2')).toEqual([a, b]);
  });

  it('maps errors[] per item: NOT_FOUND, FORBIDDEN, BAD_USER_INPUT, UPSTREAM_ERROR', async () => {
    const itemErrors = stack.emulator.data.inspector.itemErrors.filter((error) => error.findingArn!.includes(':eu-west-1:'));
    const good = inRegion('eu-west-1', 1);
    const unknown = findingArn('eu-west-1', '123456789012', 'f'.repeat(32));
    const arns = [good[0]!, unknown, ...itemErrors.map((error) => error.findingArn!)];
    const response = await stack.query<{ findingDetails: Array<{ findingArn: string } | null> }>(QUERY, { arns });
    expect(response.data!.findingDetails[0]!.findingArn).toBe(good[0]);
    const byIndex = Object.fromEntries(
      response.errors!.map((error) => [error.path![1], [error.extensions!.code, error.extensions!.upstreamCode]]),
    );
    expect(byIndex).toEqual({
      1: ['NOT_FOUND', 'FINDING_DETAILS_NOT_FOUND'],
      2: ['FORBIDDEN', 'ACCESS_DENIED'],
      3: ['BAD_USER_INPUT', 'INVALID_INPUT'],
      4: ['UPSTREAM_ERROR', 'INTERNAL_ERROR'],
    });
    expect(calls()).toHaveLength(1);
  });

  it('waits as long as Retry-After says, then answers everything', async () => {
    // 2 s is above the SDK's own first throttling backoff (under 1 s): only the header can
    // explain a wait that long.
    stack.emulator.data.inspector.throttleRetryAfterSeconds = 2;
    try {
      stack.emulator.faults.set('inspector2', { throttleRate: 1, times: 1 });
      const arns = inRegion('us-east-1', 3);
      const response = await stack.query<{ findingDetails: Array<{ findingArn: string }> }>(QUERY, { arns });
      expect(response.errors).toBeUndefined();
      expect(response.data!.findingDetails.map((detail) => detail.findingArn)).toEqual(arns);
      const [throttled, retried] = calls();
      expect(calls().map((call) => call.status)).toEqual([429, 200]);
      // A lower bound only, read from the emulator's clock: the retry cannot arrive sooner.
      expect(retried!.receivedAt - throttled!.at).toBeGreaterThanOrEqual(2_000 - 50);
    } finally {
      delete stack.emulator.data.inspector.throttleRetryAfterSeconds;
    }
  });

  it("no retry outlives the request's budget: a Retry-After longer than the budget ends the request, and no attempt follows", async () => {
    stack.emulator.data.inspector.throttleRetryAfterSeconds = 2;
    try {
      const doomed = inRegion('us-east-1', 3);
      stack.emulator.faults.set('inspector2', { throttleRate: 1, when: (request) => request.body.includes(doomed[0]!) });
      const response = await stack.query<{ findingDetails: Array<unknown> }>(QUERY, { arns: doomed }, { 'x-request-timeout-ms': '400' });
      expect(response.data!.findingDetails).toEqual([null, null, null]);
      expect(['THROTTLED', 'UPSTREAM_TIMEOUT']).toContain(response.errors![0]!.extensions!.code);
      expect(calls()).toHaveLength(1);

      // Another request that itself waits out a 2 s Retry-After: a retry of the first one that
      // ignored the abort would have been due about 2 s after its 429, within this window.
      const later = inRegion('us-east-1', 3, 3);
      stack.emulator.faults.set('inspector2', { throttleRate: 1, times: 1, when: (request) => request.body.includes(later[0]!) });
      const second = await stack.query<{ findingDetails: Array<{ findingArn: string }> }>(QUERY, { arns: later });
      expect(second.errors).toBeUndefined();
      const [, , retried] = calls();
      expect(retried!.receivedAt - calls()[0]!.at).toBeGreaterThanOrEqual(2_000);
      expect(calls().filter((call) => call.keys.includes(doomed[0]!))).toHaveLength(1);
    } finally {
      delete stack.emulator.data.inspector.throttleRetryAfterSeconds;
    }
  });
});

describe('_entities', () => {
  it('resolves FindingDetail representations from three regions with the minimum calls per region', async () => {
    const arns = [...inRegion('us-east-1', 25), ...inRegion('eu-west-1', 10), ...inRegion('ap-southeast-2', 1)];
    const response = await stack.query<{ _entities: Array<{ findingArn: string; cwes: string[] }> }>(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on FindingDetail { findingArn cwes } } }`,
      { r: arns.map((findingArn) => ({ __typename: 'FindingDetail', findingArn })) },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!._entities.map((entity) => entity.findingArn)).toEqual(arns);
    expect(
      Object.fromEntries(
        ['us-east-1', 'eu-west-1', 'ap-southeast-2'].map((region) => [region, calls().filter((call) => call.region === region).length]),
      ),
    ).toEqual({
      'us-east-1': 3,
      'eu-west-1': 1,
      'ap-southeast-2': 1,
    });
  });
});
