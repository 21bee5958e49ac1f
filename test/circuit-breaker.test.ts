import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config/index.js';
import type { UpstreamName } from '../src/errors.js';
import { ALL_TYPES_QUERY } from './support/all-types-query.js';
import { startStack, type GraphQLResponse, type Stack } from '../testkit/stack.js';
import { startHostileServer } from './support/hostile-server.js';
import { regionOf } from '../src/upstreams/inspector2/model.js';

/**
 * Circuit breaking per upstream (per region for Inspector): after repeated 5xx or connection
 * failures calls fail fast with UPSTREAM_ERROR and reach nobody, until the half-open delay lets
 * one probe through. Calls are counted at the emulator.
 */
const HALF_OPEN_MS = 400;
const ENV = {
  CIRCUIT_BREAKER_FAILURES: '2',
  CIRCUIT_BREAKER_HALF_OPEN_MS: String(HALF_OPEN_MS),
  AWS_MAX_ATTEMPTS: '2',
  AWS_RETRY_BASE_DELAY_MS: '1',
  ADVALIDATION_MAX_ATTEMPTS: '2',
  ADVALIDATION_RETRY_BASE_DELAY_MS: '1',
  ADVALIDATION_RATE_PER_SECOND: '1000',
  ADVALIDATION_BURST: '100',
  ADVALIDATION_MAX_CONCURRENCY: '8',
  ADVALIDATION_SETTLED_CACHE_SIZE: '0',
};

const QUERY = ALL_TYPES_QUERY;
type Result = Record<'builds' | 'findings' | 'findingDetails' | 'scans', Array<unknown>>;
const FIELD = {
  codebuild: 'builds',
  'codeguru-security': 'findings',
  inspector2: 'findingDetails',
  advalidation: 'scans',
} as const satisfies Record<UpstreamName, keyof Result>;

function variables(stack: Stack, arns = stack.emulator.data.inspector.details.slice(0, 10).map((detail) => detail.findingArn!)) {
  const data = stack.emulator.data;
  return {
    builds: data.builds.slice(0, 250).map((build) => build.id!),
    findings: data.findings.slice(0, 50).map(({ scanName, finding }) => ({ scanName, findingId: finding.id! })),
    arns,
    scans: data.scans.slice(0, 4).map((scan) => String(scan.id)),
  };
}

const codesOf = (response: GraphQLResponse, field: string) =>
  new Set(
    (response.errors ?? [])
      .filter((error) => error.path?.[0] === field)
      .map((error) => `${String(error.extensions?.code)} ${String(error.extensions?.upstreamCode)}`),
  );

async function health(stack: Stack) {
  const response = await fetch(`${stack.subgraph.url}/health`);
  return {
    status: response.status,
    body: (await response.json()) as { status: string; degraded: Array<{ api: string; region: string; state: string }> },
  };
}

async function circuitGauge(stack: Stack, api: string, region = 'default'): Promise<number | undefined> {
  const text = await stack.scrapeMetrics();
  const line = text
    .split('\n')
    .find((candidate) => candidate.startsWith(`subgraph_upstream_circuit_state{api="${api}",region="${region}"}`));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

/** The calls the subgraph's metrics count for `api` (every region and outcome): the calls really sent. */
async function callsCounted(stack: Stack, api: string): Promise<number> {
  const text = await stack.scrapeMetrics();
  return text
    .split('\n')
    .filter((line) => line.startsWith(`subgraph_upstream_calls_total{api="${api}",`))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

/** Opens `api`'s circuit with two failing requests' worth of calls, and checks it is open. */
async function openCircuit(stack: Stack, api: UpstreamName): Promise<GraphQLResponse<Result>> {
  stack.emulator.faults.set(api, { down: true });
  return stack.query<Result>(QUERY, variables(stack));
}

describe('an upstream that is down', () => {
  // A stack per test: circuits are process-wide state.
  let stack: Stack;
  beforeEach(async () => {
    stack = await startStack({ env: ENV });
    return () => stack.stop();
  });

  it.each(['codebuild', 'codeguru-security', 'advalidation'] as const)(
    '%s: UPSTREAM_ERROR within 1 s, then fails fast with zero calls reaching it',
    async (api) => {
      const field = FIELD[api];
      const started = performance.now();
      const first = await openCircuit(stack, api);
      expect(performance.now() - started).toBeLessThan(1000);
      expect([...codesOf(first, field)].every((code) => code.startsWith('UPSTREAM_ERROR'))).toBe(true);
      expect(stack.emulator.calls.count(api)).toBeGreaterThan(0);

      stack.emulator.calls.clear();
      const counted = await callsCounted(stack, api);
      expect(counted).toBeGreaterThan(0);
      const second = await stack.query<Result>(QUERY, variables(stack));
      expect(codesOf(second, field)).toEqual(new Set(['UPSTREAM_ERROR CIRCUIT_OPEN']));
      expect(second.errors!.find((error) => error.path![0] === field)!.message).toMatch(/is unavailable .*retry later\.$/);
      expect(stack.emulator.calls.count(api)).toBe(0);
      // Refused by the open circuit, so never sent: the metrics do not count them as calls either,
      // and the request's log line (still a warning: its answer lost data) counts none for it.
      expect(await callsCounted(stack, api)).toBe(counted);
      const warnings = stack.logs
        .map((raw) => JSON.parse(raw) as { msg?: string; upstreamCalls?: Record<string, number> })
        .filter((entry) => entry.msg === 'request finished with upstream failures');
      expect(warnings.at(-1)!.upstreamCalls![api]).toBeUndefined();
      expect(warnings.at(-2)!.upstreamCalls![api]).toBeGreaterThan(0);
      // Only that upstream: every other type answered in full.
      for (const other of Object.keys(second.data!) as Array<keyof Result>) {
        if (other !== field)
          expect(
            second.data![other].every((item) => item !== null),
            other,
          ).toBe(true);
      }
      const { status, body } = await health(stack);
      expect(status).toBe(200);
      expect(body.degraded).toContainEqual(expect.objectContaining({ api, region: 'default', state: 'open' }));
      expect(await circuitGauge(stack, api)).toBe(2);
    },
  );

  it('list calls: failures warn and count as calls; once the circuit is open, refused ones count as none', async () => {
    stack.emulator.faults.set('codebuild', { down: true });
    const listCalls = async () =>
      (await stack.scrapeMetrics())
        .split('\n')
        .filter((line) => line.startsWith('subgraph_upstream_list_calls_total{api="codebuild",'))
        .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
    const list = () => stack.query('{ recentBuilds(first: 2) { nodes { id } } }');
    const codes: string[] = [];
    for (let attempt = 0; attempt < 6 && !codes.includes('CIRCUIT_OPEN'); attempt += 1) {
      codes.push(String((await list()).errors?.[0]?.extensions?.upstreamCode ?? 'none'));
    }
    expect(codes.at(-1)).toBe('CIRCUIT_OPEN');
    const sent = await listCalls();
    expect(sent).toBe(codes.length - 1);
    stack.emulator.calls.clear();
    const refused = await list();
    expect(refused.errors?.[0]?.extensions?.upstreamCode).toBe('CIRCUIT_OPEN');
    expect(stack.emulator.calls.count('codebuild')).toBe(0);
    expect(await listCalls()).toBe(sent);
    const warnings = stack.logs
      .map((raw) => JSON.parse(raw) as { msg?: string; upstreamCalls?: Record<string, number> })
      .filter((entry) => entry.msg === 'request finished with upstream failures');
    // One warning per request: those whose list call was sent count it, the refused ones none.
    expect(warnings).toHaveLength(codes.length + 1);
    expect(warnings[0]!.upstreamCalls).toEqual({ codebuild: 1 });
    expect(warnings.at(-1)!.upstreamCalls).toEqual({});
  });

  it('half-open: one probe against a still-down upstream opens it again; once it is back, the probe closes it', async () => {
    await openCircuit(stack, 'codebuild');
    expect(await circuitGauge(stack, 'codebuild')).toBe(2);
    stack.emulator.calls.clear();
    await sleep(HALF_OPEN_MS + 50); // the half-open delay is a period of time, not an event
    const probing = await stack.query<Result>(QUERY, variables(stack));
    expect([...codesOf(probing, 'builds')].every((code) => code.startsWith('UPSTREAM_ERROR'))).toBe(true);
    // One call went out (its two attempts); the calls queued behind the probe were refused.
    const probeCalls = stack.emulator.calls.of('codebuild');
    expect(probeCalls.length).toBe(2);
    expect(new Set(probeCalls.map((call) => call.keys.join(','))).size).toBe(1);
    expect(await circuitGauge(stack, 'codebuild')).toBe(2);

    stack.emulator.reset();
    await sleep(HALF_OPEN_MS + 50);
    const recovered = await stack.query<Result>(QUERY, variables(stack));
    expect(codesOf(recovered, 'builds').size).toBe(0);
    expect(recovered.data!.builds.every((item) => item !== null)).toBe(true);
    expect(stack.emulator.calls.count('codebuild')).toBe(3); // 250 builds: the probe, then the two others
    expect(await circuitGauge(stack, 'codebuild')).toBe(0);
    expect((await health(stack)).body.degraded.some((entry) => entry.api === 'codebuild')).toBe(false);
  });
});

describe('Inspector: one circuit per region', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: ENV });
  });
  afterAll(() => stack.stop());

  it('eu-west-1 down opens eu-west-1 only; us-east-1 details keep coming', async () => {
    const details = stack.emulator.data.inspector.details;
    const inRegion = (region: string) =>
      details
        .filter((detail) => regionOf(detail.findingArn!) === region)
        .slice(0, 20)
        .map((detail) => detail.findingArn!);
    const eu = inRegion('eu-west-1');
    const us = inRegion('us-east-1');
    expect(eu.length).toBeGreaterThan(0);
    expect(us.length).toBeGreaterThan(0);
    stack.emulator.faults.set('inspector2', {
      down: true,
      when: (request) => String(request.headers.authorization).includes('/eu-west-1/'),
    });
    await stack.query<Result>(QUERY, variables(stack, [...eu, ...us]));
    stack.emulator.calls.clear();
    const response = await stack.query<Result>(QUERY, variables(stack, [...eu, ...us]));
    const failed = new Set(
      (response.errors ?? []).filter((error) => error.path![0] === 'findingDetails').map((error) => error.path![1] as number),
    );
    expect(failed).toEqual(new Set(eu.map((_, index) => index)));
    expect(codesOf(response, 'findingDetails')).toEqual(new Set(['UPSTREAM_ERROR CIRCUIT_OPEN']));
    expect(stack.emulator.calls.count('inspector2', (call) => call.region === 'eu-west-1')).toBe(0);
    expect(stack.emulator.calls.count('inspector2', (call) => call.region === 'us-east-1')).toBe(2);
    expect(await circuitGauge(stack, 'inspector2', 'eu-west-1')).toBe(2);
    expect(await circuitGauge(stack, 'inspector2', 'us-east-1')).toBe(0);
    expect((await health(stack)).body.degraded).toEqual([
      expect.objectContaining({ api: 'inspector2', region: 'eu-west-1', state: 'open' }),
    ]);
  });
});

describe('with one upstream down, the others are not slowed', () => {
  let stack: Stack;
  beforeAll(async () => {
    // A stalled CodeBuild costs each call two 400 ms attempts while the circuit is closed.
    stack = await startStack({ env: { ...ENV, AWS_ATTEMPT_TIMEOUT_MS: '400', CIRCUIT_BREAKER_HALF_OPEN_MS: '600000' } });
  });
  afterAll(() => stack.stop());

  const timed = async () => {
    const started = performance.now();
    const response = await stack.query<Result>(QUERY, variables(stack));
    return { response, ms: performance.now() - started };
  };
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

  it('once the stalled upstream is open, a query over all four types takes what it takes without it', async () => {
    const baseline: number[] = [];
    for (let i = 0; i < 3; i += 1) baseline.push((await timed()).ms);

    stack.emulator.faults.set('codebuild', { stallMs: 10_000 });
    const tripping = await timed();
    expect(tripping.ms).toBeGreaterThan(800); // two attempt timeouts: what every request would pay without a breaker
    expect(codesOf(tripping.response, 'builds')).toEqual(new Set(['UPSTREAM_TIMEOUT ATTEMPT_TIMEOUT']));

    const open: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const { response, ms } = await timed();
      expect(codesOf(response, 'builds')).toEqual(new Set(['UPSTREAM_ERROR CIRCUIT_OPEN']));
      for (const field of ['findings', 'findingDetails', 'scans'] as const)
        expect(
          response.data![field].every((item) => item !== null),
          field,
        ).toBe(true);
      open.push(ms);
    }
    // Generous margin for a shared 2-core machine; still far below one attempt timeout.
    expect(median(open)).toBeLessThan(median(baseline) + 300);
    expect(median(open)).toBeLessThan(400);
  });
});

describe('defaults', () => {
  it('a service resetting connections: UPSTREAM_ERROR within 1 s with the default retries, then nothing reaches it', async () => {
    const hostile = await startHostileServer('reset');
    const stack = await startStack({ env: { AWS_ENDPOINT_URL_CODEBUILD: hostile.url } });
    try {
      const ids = stack.emulator.data.builds.slice(0, 300).map((build) => build.id!);
      const query = `query($ids: [ID!]!) { builds(ids: $ids) { id } }`;
      const started = performance.now();
      const first = await stack.query(query, { ids });
      expect(performance.now() - started).toBeLessThan(1000);
      expect(codesOf(first, 'builds')).toEqual(new Set(['UPSTREAM_ERROR ECONNRESET']));
      await stack.query(query, { ids }); // 6 failed calls in all: past the default threshold of 5
      const reached = hostile.requests;
      const refused = await stack.query(query, { ids });
      expect(codesOf(refused, 'builds')).toEqual(new Set(['UPSTREAM_ERROR CIRCUIT_OPEN']));
      expect(hostile.requests).toBe(reached);
    } finally {
      await stack.stop();
      await hostile.close();
    }
  });

  it('knobs are validated: 5 failures, 10 s half-open by default; 0 disables', async () => {
    const base = { AWS_REGION: 'us-east-1', ADVALIDATION_API_KEY: 'k' };
    expect((await loadConfig(base)).circuitBreaker).toEqual({ failureThreshold: 5, halfOpenAfterMs: 10_000 });
    expect((await loadConfig({ ...base, CIRCUIT_BREAKER_FAILURES: '0' })).circuitBreaker.failureThreshold).toBe(0);
    await expect(loadConfig({ ...base, CIRCUIT_BREAKER_FAILURES: '-1' })).rejects.toThrow(ConfigError);
    await expect(loadConfig({ ...base, CIRCUIT_BREAKER_HALF_OPEN_MS: '10' })).rejects.toThrow(/CIRCUIT_BREAKER_HALF_OPEN_MS/);
  });
});
