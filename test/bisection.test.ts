import { describe, expect, it } from 'vitest';
import { useStack } from '../testkit/use-stack.js';

/**
 * One key can get a whole call refused (CodeBuild InvalidInputException for an id it cannot
 * parse; CodeGuru Security ValidationException for an unparseable finding id, or an undeclared
 * ResourceNotFoundException for a scan that does not exist). The refused key is isolated and
 * answered with its own error; its neighbours are served. Calls are counted at the emulator.
 */
const stack = useStack();

type Item = { id: string } | null;
const errorsAt = (errors: Array<{ path?: Array<string | number>; extensions?: Record<string, unknown>; message: string }> | undefined) =>
  new Map((errors ?? []).map((error) => [error.path![1] as number, error]));

describe('CodeBuild: an id the service cannot parse', () => {
  it('is isolated by bisection; its 59 neighbours are served, in few calls', async () => {
    const ids = stack.emulator.data.builds.slice(0, 60).map((build) => build.id!);
    // Passes the subgraph's own shape check (printable, holds a ':', the model's project name), but
    // its build part is one the service cannot parse (it holds a '/'): refused by CodeBuild, for the whole call.
    const bad = 'xy:not/a-build';
    ids.splice(37, 0, bad);
    const response = await stack.query<{ builds: Item[] }>(`query($ids: [ID!]!) { builds(ids: $ids) { id } }`, { ids });
    const errors = errorsAt(response.errors);
    expect([...errors.keys()]).toEqual([37]);
    expect(errors.get(37)!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      upstream: 'codebuild',
      upstreamCode: 'InvalidInputException',
    });
    expect(errors.get(37)!.message).toBe(`AWS CodeBuild rejected build id "${bad}" as invalid.`);
    expect(response.data!.builds.map((build) => build?.id ?? null)).toEqual(ids.map((id) => (id === bad ? null : id)));

    const calls = stack.emulator.calls.of('codebuild');
    // The first call is refused whole; bisection needs at most 2 calls per level of a 61-key tree.
    expect(calls[0]!.status).toBe(400);
    expect(calls.length).toBeLessThanOrEqual(1 + 2 * Math.ceil(Math.log2(61)));
    // Every good id was answered by a successful call; the bad one only ever by refusals.
    const served = new Set(calls.filter((call) => call.status === 200).flatMap((call) => call.keys));
    expect(ids.filter((id) => id !== bad).every((id) => served.has(id))).toBe(true);
    expect(served.has(bad)).toBe(false);
  });

  it('an id naming a project the model cannot have (one character) is refused before any call; its neighbours cost one call', async () => {
    const ids = stack.emulator.data.builds.slice(0, 3).map((build) => build.id!);
    const bad = 'x:not-a-build';
    ids.splice(1, 0, bad);
    const response = await stack.query<{ builds: Item[] }>(`query($ids: [ID!]!) { builds(ids: $ids) { id } }`, { ids });
    const errors = errorsAt(response.errors);
    expect([...errors.keys()]).toEqual([1]);
    expect(errors.get(1)!.extensions).toEqual({ code: 'BAD_USER_INPUT', upstream: 'codebuild' });
    expect(errors.get(1)!.message).toBe(
      `Build id "${bad}" names project "x", which is not a CodeBuild project name (2-150 letters, digits, - or _, starting with a letter or digit).`,
    );
    expect(response.data!.builds.map((build) => build?.id ?? null)).toEqual(ids.map((id) => (id === bad ? null : id)));
    expect(stack.emulator.calls.of('codebuild').map((call) => [call.status, call.keys.length])).toEqual([[200, 3]]);
  });

  it('an unknown but well-formed id stays a per-item NOT_FOUND in one call (no bisection)', async () => {
    const ids = [stack.emulator.data.builds[0]!.id!, 'ghost-project:00000000-0000-0000-0000-000000000000'];
    const response = await stack.query<{ builds: Item[] }>(`query($ids: [ID!]!) { builds(ids: $ids) { id } }`, { ids });
    expect(errorsAt(response.errors).get(1)!.extensions!.code).toBe('NOT_FOUND');
    expect(stack.emulator.calls.count('codebuild')).toBe(1);
  });
});

const FINDINGS = `query($identifiers: [FindingIdentifier!]!) { findings(identifiers: $identifiers) { scanName id } }`;
const identifiers = (n: number) =>
  stack.emulator.data.findings.slice(0, n).map(({ scanName, finding }) => ({ scanName, findingId: finding.id! }));

describe('CodeGuru Security: one identifier refuses the whole call', () => {
  it('a scan that does not exist (ResourceNotFoundException): that key NOT_FOUND, the 24 existing findings served, 2 calls', async () => {
    const wanted = identifiers(24);
    const ghost = { scanName: 'no-such-scan-2026-10-01', findingId: wanted[0]!.findingId };
    wanted.splice(5, 0, ghost);
    const response = await stack.query<{ findings: Item[] }>(FINDINGS, { identifiers: wanted });
    const errors = errorsAt(response.errors);
    expect([...errors.keys()]).toEqual([5]);
    expect(errors.get(5)!.extensions).toMatchObject({ code: 'NOT_FOUND', upstreamCode: 'ResourceNotFoundException' });
    expect(errors.get(5)!.message).toContain(`finding "${ghost.findingId}" of scan "${ghost.scanName}"`);
    expect(response.data!.findings.map((finding) => finding?.id ?? null)).toEqual(
      wanted.map((key, index) => (index === 5 ? null : key.findingId)),
    );
    // The error names the scan: its keys are set aside and the rest asked again at once.
    expect(stack.emulator.calls.of('codeguru-security').map((call) => [call.status, call.keys.length])).toEqual([
      [404, 25],
      [200, 24],
    ]);
  });

  it('an unparseable finding id (ValidationException with its field): that key BAD_USER_INPUT, neighbours served, 2 calls', async () => {
    const wanted = identifiers(20);
    const bad = { scanName: wanted[3]!.scanName, findingId: 'has a space' };
    wanted.splice(11, 0, bad);
    const response = await stack.query<{ findings: Item[] }>(FINDINGS, { identifiers: wanted });
    const errors = errorsAt(response.errors);
    expect([...errors.keys()]).toEqual([11]);
    expect(errors.get(11)!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', upstreamCode: 'ValidationException' });
    expect(response.data!.findings.filter(Boolean)).toHaveLength(20);
    expect(stack.emulator.calls.of('codeguru-security').map((call) => call.status)).toEqual([400, 200]);
  });

  it('both kinds in one call: each isolated, the 23 others served', async () => {
    const wanted = identifiers(23);
    wanted.splice(2, 0, { scanName: 'no-such-scan', findingId: 'f' });
    wanted.splice(20, 0, { scanName: wanted[0]!.scanName, findingId: 'has a space' });
    const response = await stack.query<{ findings: Item[] }>(FINDINGS, { identifiers: wanted });
    const codes = [...errorsAt(response.errors)].map(([index, error]) => [index, error.extensions!.code]);
    expect(codes.sort()).toEqual([
      [2, 'NOT_FOUND'],
      [20, 'BAD_USER_INPUT'],
    ]);
    expect(response.data!.findings.filter(Boolean)).toHaveLength(23);
    expect(stack.emulator.calls.count('codeguru-security')).toBe(3);
  });

  it('an unknown finding of an existing scan stays a per-item NOT_FOUND (ITEM_DOES_NOT_EXIST) in one call', async () => {
    const wanted = [...identifiers(3), { scanName: identifiers(1)[0]!.scanName, findingId: 'does-not-exist' }];
    const response = await stack.query<{ findings: Item[] }>(FINDINGS, { identifiers: wanted });
    expect(errorsAt(response.errors).get(3)!.extensions).toMatchObject({ code: 'NOT_FOUND', upstreamCode: 'ITEM_DOES_NOT_EXIST' });
    expect(stack.emulator.calls.count('codeguru-security')).toBe(1);
  });
});
