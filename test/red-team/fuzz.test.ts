import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { UpstreamName } from '../../src/errors.js';
import { startStack, type Stack } from '../../testkit/stack.js';
import { countUnhandledRejections, ENTITIES, post } from './support.js';

/**
 * Property tests of the input boundary: random JSON (fc.jsonValue) mixed with near-valid and
 * valid keys, as `_entities` representations and as root arguments. Whatever arrives: never an
 * INTERNAL_SERVER_ERROR, never data: null for a well-formed request, never an unhandled
 * rejection, and an item refused as BAD_USER_INPUT never reaches an upstream.
 * FUZZ_RUNS sets the number of runs of each property (default 300, so CI stays fast).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
/** About 10 ms a run on a 2-vCPU machine; generous, so a slow machine does not time out. */
const TIMEOUT_MS = 30_000 + RUNS * 100;

let stack: Stack;
const rejections = countUnhandledRejections();
beforeAll(async () => {
  // Advalidation's limiter opened (it paces to 1/s by default) and its cache off: every lookup is a call.
  stack = await startStack({
    env: {
      ADVALIDATION_SETTLED_CACHE_SIZE: '0',
      ADVALIDATION_RATE_PER_SECOND: '1000',
      ADVALIDATION_BURST: '1000',
      ADVALIDATION_MAX_CONCURRENCY: '16',
    },
  });
});
afterAll(async () => {
  rejections.stop();
  await stack.stop();
});

type Entities = { _entities: Array<unknown> | null };

/** Keys the emulator could record for an item, per API, in the emulator's own formats. */
function possibleKeys(item: unknown): string[] {
  if (item === null || typeof item !== 'object') return [];
  const record = item as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'number' ? String(value) : typeof value === 'string' ? value : undefined);
  return [text(record.id), text(record.findingArn), `${String(text(record.scanName))}/${String(text(record.id))}`].filter(
    (key): key is string => key !== undefined,
  );
}

const APIS: UpstreamName[] = ['codebuild', 'codeguru-security', 'inspector2', 'advalidation'];

function assertNoInternalErrors(errors: Array<{ extensions?: Record<string, unknown> }> | undefined): void {
  for (const error of errors ?? []) expect(error.extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
}

it(
  '_entities: random and near-valid representations',
  async () => {
    const { builds, findings, inspector, scans } = stack.emulator.data;
    const seedKey = fc.oneof(
      fc.constantFrom(...builds.slice(0, 20).map((build) => build.id!)),
      fc.constantFrom(...scans.slice(0, 20).map((scan) => String(scan.id))),
      fc.constantFrom(...inspector.details.slice(0, 20).map((detail) => detail.findingArn!)),
      fc.constantFrom(...findings.slice(0, 20).map((finding) => finding.finding.id!)),
      fc.constantFrom(...findings.slice(0, 20).map((finding) => finding.scanName)),
    );
    const keyValue = fc.oneof(
      { weight: 4, arbitrary: seedKey },
      { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
      { weight: 2, arbitrary: fc.string({ maxLength: 300 }) },
      { weight: 1, arbitrary: fc.integer() },
      { weight: 1, arbitrary: fc.string({ minLength: 90, maxLength: 120 }).map((tail) => `arn:aws:inspector2:${tail}`) },
      { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', '', ' ', 'undefined', 'null', 'nope:0') },
    );
    const typename = fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom('Build', 'Finding', 'FindingDetail', 'Scan') },
      { weight: 1, arbitrary: fc.constantFrom('Bogus', 'Query', '_Entity', '_Service', '__proto__', 'toString', 'build') },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) },
    );
    const nearValid = fc.record(
      { __typename: typename, id: keyValue, scanName: keyValue, findingArn: keyValue, extra: fc.jsonValue({ maxDepth: 2 }) },
      { requiredKeys: [] },
    );
    const valid = fc.oneof(
      fc.constantFrom(...builds.slice(0, 20).map((build) => ({ __typename: 'Build', id: build.id! }))),
      fc.constantFrom(...scans.slice(0, 20).map((scan) => ({ __typename: 'Scan', id: String(scan.id) }))),
      fc.constantFrom(...inspector.details.slice(0, 20).map((detail) => ({ __typename: 'FindingDetail', findingArn: detail.findingArn! }))),
      fc.constantFrom(
        ...findings.slice(0, 20).map((finding) => ({ __typename: 'Finding', scanName: finding.scanName, id: finding.finding.id! })),
      ),
    );
    const item = fc.oneof(
      { weight: 3, arbitrary: nearValid },
      { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
      { weight: 2, arbitrary: valid },
    );
    const list = fc.array(
      fc.oneof(
        item.map((value) => ({ value, known: false })),
        valid.map((value) => ({ value, known: true })),
      ),
      { minLength: 1, maxLength: 8 },
    );

    await fc.assert(
      fc.asyncProperty(list, async (entries) => {
        stack.emulator.reset();
        const representations = entries.map((entry) => entry.value);
        // `[_Any]!`: a null item is one item's error; with the router's `[_Any!]!` it is a request error.
        const response = await post<Entities>(stack, { query: ENTITIES.replace('[_Any!]!', '[_Any]!'), variables: { r: representations } });
        expect(response.status).toBe(200);
        assertNoInternalErrors(response.body.errors);
        const result = response.body.data?._entities;
        expect(result).toHaveLength(representations.length);
        const errorsAt = new Map<number, string>();
        for (const error of response.body.errors ?? []) {
          expect(error.path?.[0]).toBe('_entities');
          expect(errorsAt.has(Number(error.path?.[1]))).toBe(false);
          // A refusal of the subgraph's own (no upstreamCode) costs no call; an upstream's refusal
          // of a key it was sent (e.g. a whole-call ValidationException, then bisection) did.
          const refusedLocally = error.extensions?.code === 'BAD_USER_INPUT' && error.extensions?.upstreamCode === undefined;
          errorsAt.set(Number(error.path?.[1]), refusedLocally ? 'REFUSED_LOCALLY' : String(error.extensions?.code));
        }
        // Exactly the null items carry an error, at their index; seeded keys are served.
        result!.forEach((entity, index) => expect(entity === null).toBe(errorsAt.has(index)));
        entries.forEach((entry, index) => {
          if (entry.known) expect(result![index]).not.toBeNull();
        });
        // Whatever reached an upstream came from an item that was not refused as bad input.
        const allowed = new Set(
          representations.flatMap((value, index) => (errorsAt.get(index) === 'REFUSED_LOCALLY' ? [] : possibleKeys(value))),
        );
        for (const api of APIS)
          for (const key of stack.emulator.calls.keysAsked(api)) expect(allowed.has(key), `${api} asked ${key}`).toBe(true);
      }),
      { numRuns: RUNS },
    );
    expect(rejections.count).toBe(0);
  },
  TIMEOUT_MS,
);

it(
  'root arguments: random JSON in every key argument',
  async () => {
    const fields = [
      ['query($v: ID!) { build(id: $v) { id } }', 'single'],
      ['query($v: [ID!]!) { builds(ids: $v) { id } }', 'list'],
      ['query($v: ID!) { scan(id: $v) { id } }', 'single'],
      ['query($v: [ID!]!) { scans(ids: $v) { id } }', 'list'],
      ['query($v: ID!) { findingDetail(findingArn: $v) { findingArn } }', 'single'],
      ['query($v: [ID!]!) { findingDetails(findingArns: $v) { findingArn } }', 'list'],
      ['query($v: String!, $w: ID!) { finding(scanName: $v, id: $w) { id } }', 'single'],
      ['query($v: [FindingIdentifier!]!) { findings(identifiers: $v) { id } }', 'list'],
    ] as const;
    const value = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.array(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc.integer(),
          fc.record({ scanName: fc.jsonValue({ maxDepth: 1 }), findingId: fc.jsonValue({ maxDepth: 1 }) }, { requiredKeys: [] }),
        ),
        { maxLength: 8 },
      ),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...fields), value, fc.jsonValue({ maxDepth: 1 }), async ([query], v, w) => {
        stack.emulator.reset();
        const response = await post(stack, { query, variables: { v, w } });
        // 400: the variables did not coerce (graphql-js' own BAD_USER_INPUT); 200 otherwise.
        expect([200, 400]).toContain(response.status);
        assertNoInternalErrors(response.body.errors);
        if (response.status === 200) expect(response.body.data).not.toBeNull();
        else expect(response.body.errors!.every((error) => error.extensions?.code === 'BAD_USER_INPUT')).toBe(true);
        // A refused item never reached an upstream: each asked key was an argument's value.
        const refusedEverything =
          response.status === 400 ||
          ((response.body.errors ?? []).length > 0 &&
            (response.body.errors ?? []).every(
              (error) => error.extensions?.code === 'BAD_USER_INPUT' && error.extensions?.upstreamCode === undefined,
            ));
        if (refusedEverything) expect(stack.emulator.calls.entries, JSON.stringify(stack.emulator.calls.entries)).toHaveLength(0);
      }),
      { numRuns: RUNS },
    );
    expect(rejections.count).toBe(0);
  },
  TIMEOUT_MS,
);
