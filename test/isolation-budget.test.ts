import { describe, expect, it } from 'vitest';
import { isolationAllowance } from '../src/batching/isolation-budget.js';
import { useStack } from '../testkit/use-stack.js';

/**
 * Keys an upstream refuses a whole call for are isolated by re-asking (bisection, or the rest
 * after a blame), but never at any price: per loader per request the re-asks are bounded by
 * isolationAllowance(initial calls). Calls are counted at the emulator, queries go through the
 * GraphQL endpoint.
 */
const stack = useStack();

type Item = { id: string } | null;
type Errors = Array<{ path?: Array<string | number>; extensions?: Record<string, unknown>; message: string }>;
const errorsAt = (errors: Errors | undefined) => new Map((errors ?? []).map((error) => [error.path![1] as number, error]));
/** The most calls a request whose keys need `initial` calls may cost. */
const budget = (initial: number) => initial + isolationAllowance(initial);
const TOGETHER = /together with other invalid keys.*Ask for it alone/;

const BUILDS = `query($ids: [ID!]!) { builds(ids: $ids) { id } }`;
const FINDINGS = `query($identifiers: [FindingIdentifier!]!) { findings(identifiers: $identifiers) { scanName id } }`;
/** Pass the subgraph's checks (the model's project name) but not CodeBuild's parsing (a '/' in the build part). */
const refusedBuildIds = (n: number, prefix = 'ab') => Array.from({ length: n }, (_, i) => `${prefix}:x/${i}`);

describe('CodeBuild: many ids refused whole-call', () => {
  it('1000 refused ids cost at most the budget (10 calls + allowance), each answered with the refusal', async () => {
    const ids = refusedBuildIds(1000);
    const response = await stack.query<{ builds: Item[] }>(BUILDS, { ids });
    const calls = stack.emulator.calls.of('codebuild');
    expect(calls.length).toBeLessThanOrEqual(budget(10));
    expect(calls.every((call) => call.status === 400)).toBe(true);
    // No key dropped: each of the 1000 is null with its own error, the refusal's code.
    expect(response.data!.builds).toEqual(ids.map(() => null));
    const errors = errorsAt(response.errors);
    expect(errors.size).toBe(1000);
    for (const error of errors.values()) {
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', upstream: 'codebuild', upstreamCode: 'InvalidInputException' });
    }
    // Those left in a refused call once the allowance was spent say so, and name their key.
    const together = [...errors].filter(([, error]) => TOGETHER.test(error.message));
    expect(together.length).toBeGreaterThan(900);
    for (const [index, error] of together) expect(error.message).toContain(`build id "${ids[index]}"`);
  });

  it('two lists of 1000 in one request share one loader and one budget (20 calls + allowance)', async () => {
    const response = await stack.query<{ a: Item[]; b: Item[] }>(
      `query($a: [ID!]!, $b: [ID!]!) { a: builds(ids: $a) { id } b: builds(ids: $b) { id } }`,
      { a: refusedBuildIds(1000, 'ab'), b: refusedBuildIds(1000, 'cd') },
    );
    expect(stack.emulator.calls.count('codebuild')).toBeLessThanOrEqual(budget(20));
    expect(response.errors).toHaveLength(2000);
  });

  it('1000 ids of projects the model cannot have cost no call at all', async () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `p:${i}`);
    const response = await stack.query<{ builds: Item[] }>(BUILDS, { ids });
    expect(stack.emulator.calls.count('codebuild')).toBe(0);
    expect(response.errors).toHaveLength(1000);
    expect(response.errors!.every((error) => error.extensions!.code === 'BAD_USER_INPUT' && !error.extensions!.upstreamCode)).toBe(true);
  });

  it('one refused id among 100 is isolated and its 99 neighbours served, within the budget of one call', async () => {
    const ids = stack.emulator.data.builds.slice(0, 99).map((build) => build.id!);
    const bad = 'ab:not/a-build';
    ids.splice(63, 0, bad);
    const response = await stack.query<{ builds: Item[] }>(BUILDS, { ids });
    const errors = errorsAt(response.errors);
    expect([...errors.keys()]).toEqual([63]);
    expect(errors.get(63)!.message).toBe(`AWS CodeBuild rejected build id "${bad}" as invalid.`);
    expect(response.data!.builds.map((build) => build?.id ?? null)).toEqual(ids.map((id) => (id === bad ? null : id)));
    expect(stack.emulator.calls.count('codebuild')).toBeLessThanOrEqual(budget(1));
  });

  it('the budget is per request: after a request spent it, the next one isolates its bad id again', async () => {
    await stack.query(BUILDS, { ids: refusedBuildIds(1000) });
    const first = stack.emulator.calls.count('codebuild');
    stack.emulator.reset();
    await stack.query(BUILDS, { ids: refusedBuildIds(1000) });
    // The same work again, not a spent budget answering everything at once.
    expect(stack.emulator.calls.count('codebuild')).toBe(first);

    stack.emulator.reset();
    const ids = stack.emulator.data.builds.slice(0, 40).map((build) => build.id!);
    const bad = 'ab:not/a-build';
    ids.splice(7, 0, bad);
    const response = await stack.query<{ builds: Item[] }>(BUILDS, { ids });
    const errors = errorsAt(response.errors);
    expect([...errors.keys()]).toEqual([7]);
    expect(errors.get(7)!.message).not.toMatch(TOGETHER);
    expect(response.data!.builds.filter(Boolean)).toHaveLength(40);
  });
});

describe('CodeGuru Security: many identifiers refused whole-call', () => {
  it('1000 findings under 1000 unknown scans cost at most the budget (40 calls + allowance), each NOT_FOUND', async () => {
    const identifiers = Array.from({ length: 1000 }, (_, i) => ({ scanName: `nosuch-${i}`, findingId: 'f' }));
    const response = await stack.query<{ findings: Item[] }>(FINDINGS, { identifiers });
    expect(stack.emulator.calls.count('codeguru-security')).toBeLessThanOrEqual(budget(40));
    expect(response.data!.findings).toEqual(identifiers.map(() => null));
    const errors = errorsAt(response.errors);
    expect(errors.size).toBe(1000);
    for (const error of errors.values()) {
      expect(error.extensions).toMatchObject({
        code: 'NOT_FOUND',
        upstream: 'codeguru-security',
        upstreamCode: 'ResourceNotFoundException',
      });
    }
    const together = [...errors].filter(([, error]) => TOGETHER.test(error.message));
    expect(together.length).toBeGreaterThan(0);
    for (const [index, error] of together) expect(error.message).toContain(`of scan "nosuch-${index}"`);
  });

  it('1000 finding ids the service cannot parse cost at most the budget, each BAD_USER_INPUT', async () => {
    const scanName = stack.emulator.data.findings[0]!.scanName;
    const identifiers = Array.from({ length: 1000 }, (_, i) => ({ scanName, findingId: `has a space ${i}` }));
    const response = await stack.query<{ findings: Item[] }>(FINDINGS, { identifiers });
    expect(stack.emulator.calls.count('codeguru-security')).toBeLessThanOrEqual(budget(40));
    expect(response.errors).toHaveLength(1000);
    expect(response.errors!.every((error) => error.extensions!.code === 'BAD_USER_INPUT')).toBe(true);
  });

  it('good findings among unknown scans: the good ones served, none dropped', async () => {
    const good = stack.emulator.data.findings.slice(0, 30).map(({ scanName, finding }) => ({ scanName, findingId: finding.id! }));
    const identifiers = [...good, ...Array.from({ length: 3 }, (_, i) => ({ scanName: `nosuch-${i}`, findingId: 'f' }))];
    const response = await stack.query<{ findings: Item[] }>(FINDINGS, { identifiers });
    expect(response.data!.findings.slice(0, 30).map((finding) => finding?.id)).toEqual(good.map((key) => key.findingId));
    expect([...errorsAt(response.errors).keys()].sort()).toEqual([30, 31, 32]);
    expect(stack.emulator.calls.count('codeguru-security')).toBeLessThanOrEqual(budget(2));
  });
});
