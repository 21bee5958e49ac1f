import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EMULATOR_CREDENTIALS } from '../emulator/core/aws-wire.js';
import type { UpstreamName } from '../src/errors.js';
import { EMULATOR_API_KEY } from '../emulator/advalidation/data.js';
import { UPSTREAM_EMULATORS } from '../emulator/index.js';
import { startStack, type Stack } from '../testkit/stack.js';

/**
 * Faults on every upstream at once. Retries are made fast (tiny backoff bases) and a little
 * deeper than the defaults, so that 20% throttling plus 10% 5xx is survivable by design:
 * the chance a call fails every attempt is 0.3^8.
 */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    env: {
      LOG_LEVEL: 'debug',
      AWS_MAX_ATTEMPTS: '8',
      AWS_RETRY_BASE_DELAY_MS: '2',
      ADVALIDATION_MAX_ATTEMPTS: '8',
      ADVALIDATION_RETRY_BASE_DELAY_MS: '2',
      ADVALIDATION_MAX_CONCURRENCY: '8',
      ADVALIDATION_RATE_PER_SECOND: '1000',
      ADVALIDATION_BURST: '50',
      ADVALIDATION_SETTLED_CACHE_SIZE: '0',
      // Each test here injects its faults afresh; an upstream taken down by one test must not
      // stay "open" for the next. Circuit breaking has its own suite (circuit-breaker.test.ts).
      CIRCUIT_BREAKER_FAILURES: '0',
    },
  });
});
afterAll(() => stack?.stop());
beforeEach(() => stack.emulator.reset());

// Every emulated upstream, from the emulator's one list: a new upstream fails this suite until
// QUERY and keys() cover it, instead of going untested under faults.
const APIS: UpstreamName[] = UPSTREAM_EMULATORS.map((upstream) => upstream.api);

const QUERY = `query All($builds: [ID!]!, $findings: [FindingIdentifier!]!, $arns: [ID!]!, $scans: [ID!]!) {
  builds(ids: $builds) { id projectName }
  findings(identifiers: $findings) { scanName id title }
  findingDetails(findingArns: $arns) { findingArn riskScore }
  scans(ids: $scans) { id createdAt }
}`;

type Result = {
  builds: Array<{ id: string; projectName: string } | null>;
  findings: Array<{ scanName: string; id: string; title: string } | null>;
  findingDetails: Array<{ findingArn: string; riskScore: number } | null>;
  scans: Array<{ id: string; createdAt: string } | null>;
};

function keys(sizes = { builds: 300, findings: 200, arns: 120, scans: 40 }) {
  const data = stack.emulator.data;
  return {
    builds: data.builds.slice(0, sizes.builds).map((build) => build.id!),
    findings: data.findings.slice(0, sizes.findings).map(({ scanName, finding }) => ({ scanName, findingId: finding.id! })),
    arns: data.inspector.details.slice(0, sizes.arns).map((detail) => detail.findingArn!),
    scans: data.scans.slice(0, sizes.scans).map((scan) => String(scan.id)),
  };
}

function expectAllCorrect(result: Result, wanted: ReturnType<typeof keys>): void {
  const data = stack.emulator.data;
  const builds = new Map(data.builds.map((build) => [build.id, build.projectName]));
  const titles = new Map(data.findings.map(({ scanName, finding }) => [`${scanName}/${finding.id}`, finding.title]));
  const risk = new Map(data.inspector.details.map((detail) => [detail.findingArn, detail.riskScore]));
  const created = new Map(data.scans.map((scan) => [String(scan.id), new Date(scan.createdAt!).toISOString()]));
  expect(result.builds.map((build) => [build!.id, build!.projectName])).toEqual(wanted.builds.map((id) => [id, builds.get(id)]));
  expect(result.findings.map((f) => [f!.scanName, f!.id, f!.title])).toEqual(
    wanted.findings.map((k) => [k.scanName, k.findingId, titles.get(`${k.scanName}/${k.findingId}`)]),
  );
  expect(result.findingDetails.map((d) => [d!.findingArn, d!.riskScore])).toEqual(wanted.arns.map((arn) => [arn, risk.get(arn)]));
  expect(result.scans.map((scan) => [scan!.id, scan!.createdAt])).toEqual(wanted.scans.map((id) => [id, created.get(id)]));
}

describe('faults on every upstream', () => {
  it('20% throttling and 10% 5xx everywhere: every entity of all four types comes back correct', async () => {
    for (const api of APIS) stack.emulator.faults.set(api, { throttleRate: 0.2, errorRate: 0.1 });
    const wanted = keys();
    const response = await stack.query<Result>(QUERY, wanted);
    expect(response.errors).toBeUndefined();
    expectAllCorrect(response.data!, wanted);
    // The faults really happened, and were retried through.
    expect(stack.emulator.calls.entries.filter((call) => call.fault).length).toBeGreaterThan(5);
  });

  it.each(APIS)('with %s down, only its items fail (UPSTREAM_ERROR); everything else is intact', async (down) => {
    stack.emulator.faults.set(down, { down: true });
    const wanted = keys({ builds: 120, findings: 60, arns: 30, scans: 6 });
    const response = await stack.query<Result>(QUERY, wanted);
    const field = { codebuild: 'builds', 'codeguru-security': 'findings', inspector2: 'findingDetails', advalidation: 'scans' }[
      down
    ] as keyof Result;
    const failed = new Set(response.errors!.map((error) => error.path![0]));
    expect(failed).toEqual(new Set([field]));
    expect(new Set(response.errors!.map((error) => error.extensions!.code))).toEqual(new Set(['UPSTREAM_ERROR']));
    expect(response.data![field].every((item) => item === null)).toBe(true);
    for (const other of Object.keys(response.data!) as Array<keyof Result>) {
      if (other !== field)
        expect(
          response.data![other].every((item) => item !== null),
          other,
        ).toBe(true);
    }
  });

  it.each(APIS)('a stalled %s yields UPSTREAM_TIMEOUT within the budget; the other types answer', async (stalled) => {
    stack.emulator.faults.set(stalled, { stallMs: 10_000 });
    const wanted = keys({ builds: 20, findings: 10, arns: 10, scans: 3 });
    const response = await stack.query<Result>(QUERY, wanted, { 'x-request-timeout-ms': '700' });
    const field = { codebuild: 'builds', 'codeguru-security': 'findings', inspector2: 'findingDetails', advalidation: 'scans' }[
      stalled
    ] as keyof Result;
    expect(new Set(response.errors!.map((error) => error.path![0]))).toEqual(new Set([field]));
    expect(new Set(response.errors!.map((error) => error.extensions!.code))).toEqual(new Set(['UPSTREAM_TIMEOUT']));
    for (const other of Object.keys(response.data!) as Array<keyof Result>) {
      if (other !== field)
        expect(
          response.data![other].every((item) => item !== null),
          other,
        ).toBe(true);
    }
  });
});

describe('key <-> result mapping across all four types (property)', () => {
  it("no entity ever carries another key's data, whatever the keys and the faults", async () => {
    const data = stack.emulator.data;
    const builds = data.builds.slice(0, 200);
    const findings = data.findings.slice(0, 200);
    const details = data.inspector.details.filter((_, i) => i % 7 === 0).slice(0, 120);
    const scans = data.scans.slice(0, 40);
    const pick = <T>(items: readonly T[], bad: fc.Arbitrary<T>) =>
      fc.array(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...items) }, { weight: 2, arbitrary: bad }), { maxLength: 60 });
    const faults = fc.record({
      throttleRate: fc.double({ min: 0, max: 0.3, noNaN: true }),
      errorRate: fc.double({ min: 0, max: 0.2, noNaN: true }),
    });
    const failureCodes = ['THROTTLED', 'UPSTREAM_ERROR', 'UPSTREAM_TIMEOUT'];

    await fc.assert(
      fc.asyncProperty(
        pick(
          builds.map((b) => b.id!),
          fc.oneof(fc.constant(''), fc.constant('ghost:1')),
        ),
        pick(
          findings.map(({ scanName, finding }) => ({ scanName, findingId: finding.id! })),
          fc.oneof(
            fc.constant({ scanName: 'bad scan!', findingId: 'x' }),
            fc.constant({ scanName: 'payments-api-scan-2026-10-01', findingId: 'ghost' }),
          ),
        ),
        pick(
          details.map((d) => d.findingArn!),
          fc.oneof(fc.constant('arn:nope'), fc.constant(`arn:aws:inspector2:eu-west-1:123456789012:finding/${'e'.repeat(32)}`)),
        ),
        pick(
          scans.map((s) => String(s.id)),
          fc.oneof(fc.constant('abc'), fc.constant('9999999')),
        ),
        fc.array(faults, { minLength: 4, maxLength: 4 }),
        async (buildIds, findingKeys, arns, scanIds, faultSets) => {
          stack.emulator.reset();
          APIS.forEach((api, i) => stack.emulator.faults.set(api, faultSets[i]!));
          const response = await stack.query<Result>(QUERY, { builds: buildIds, findings: findingKeys, arns, scans: scanIds });
          const errorAt = new Map(
            (response.errors ?? []).map((error) => [`${error.path![0]}.${error.path![1]}`, String(error.extensions!.code)]),
          );
          const result = response.data!;
          const check = <K, V>(
            field: keyof Result,
            asked: K[],
            matches: (value: V, key: K) => boolean,
            invalid: (key: K) => boolean,
            known: (key: K) => boolean,
          ) => {
            expect(result[field]).toHaveLength(asked.length);
            asked.forEach((key, index) => {
              const value = result[field][index] as V | null;
              const code = errorAt.get(`${field}.${index}`);
              if (value) {
                expect(matches(value, key), `${field}[${index}]`).toBe(true);
                expect(code).toBeUndefined();
              } else if (invalid(key)) {
                expect(code).toBe('BAD_USER_INPUT');
              } else {
                expect([...(known(key) ? [] : ['NOT_FOUND']), ...failureCodes]).toContain(code);
              }
            });
          };
          const projectOf = new Map(builds.map((b) => [b.id, b.projectName]));
          check<string, { id: string; projectName: string }>(
            'builds',
            buildIds,
            (v, k) => v.id === k && v.projectName === projectOf.get(k),
            (k) => k === '',
            (k) => projectOf.has(k),
          );
          const titleOf = new Map(findings.map(({ scanName, finding }) => [`${scanName}/${finding.id}`, finding.title]));
          check<{ scanName: string; findingId: string }, { scanName: string; id: string; title: string }>(
            'findings',
            findingKeys,
            (v, k) => v.scanName === k.scanName && v.id === k.findingId && v.title === titleOf.get(`${k.scanName}/${k.findingId}`),
            (k) => k.scanName === 'bad scan!',
            (k) => titleOf.has(`${k.scanName}/${k.findingId}`),
          );
          const riskOf = new Map(details.map((d) => [d.findingArn, d.riskScore]));
          check<string, { findingArn: string; riskScore: number }>(
            'findingDetails',
            arns,
            (v, k) => v.findingArn === k && v.riskScore === riskOf.get(k),
            (k) => k === 'arn:nope',
            (k) => riskOf.has(k),
          );
          const createdOf = new Map(scans.map((s) => [String(s.id), new Date(s.createdAt!).toISOString()]));
          check<string, { id: string; createdAt: string }>(
            'scans',
            scanIds,
            (v, k) => v.id === k && v.createdAt === createdOf.get(k),
            (k) => k === 'abc',
            (k) => createdOf.has(k),
          );
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe('secrets', () => {
  it('no credential or API key appears in any log line or response, under faults', async () => {
    for (const api of APIS) stack.emulator.faults.set(api, { throttleRate: 0.2, errorRate: 0.2 });
    const before = stack.logs.length;
    const responses: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      responses.push(JSON.stringify(await stack.query(QUERY, keys({ builds: 30, findings: 30, arns: 20, scans: 5 }))));
    }
    stack.emulator.faults.clear();
    for (const api of APIS) stack.emulator.faults.set(api, { down: true });
    responses.push(JSON.stringify(await stack.query(QUERY, keys({ builds: 5, findings: 5, arns: 5, scans: 2 }))));
    const output = responses.join('\n') + stack.logs.slice(before).join('\n');
    expect(stack.logs.length).toBeGreaterThan(before);
    for (const secret of [EMULATOR_CREDENTIALS.secretAccessKey, EMULATOR_CREDENTIALS.accessKeyId, EMULATOR_API_KEY]) {
      expect(output).not.toContain(secret);
    }
    // Nor the internals an error could carry: stack traces, signatures, file paths.
    expect(output).not.toMatch(/AWS4-HMAC-SHA256|Signature=|at .*\.ts:\d+|node_modules/);
  });
});
