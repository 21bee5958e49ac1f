import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../testkit/stack.js';

/** Hints from upstream state, so the router's entity cache can keep what no longer changes. */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { CACHE_MAX_AGE_SETTLED: '3600', CACHE_MAX_AGE_ACTIVE: '7', CACHE_MAX_AGE_FINDINGS: '120' } });
});
afterAll(() => stack.stop());

async function cacheControl(query: string, variables: Record<string, unknown>): Promise<string | null> {
  const response = await fetch(`${stack.subgraph.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  await response.json();
  return response.headers.get('cache-control');
}

const complete = () => stack.emulator.data.builds.find((build) => build.buildComplete)!.id!;
const running = () => stack.emulator.data.builds.find((build) => !build.buildComplete)!.id!;
const FULL = `{ id buildStatus phases { phaseType contexts { message } } environment { image environmentVariables { name } } }`;

describe('Build cache hints', () => {
  it('a completed build gets the long max-age, nested fields included', async () => {
    expect(await cacheControl(`query($id: ID!) { build(id: $id) ${FULL} }`, { id: complete() })).toBe('max-age=3600, public');
  });

  it('an in-progress build gets the short one', async () => {
    expect(await cacheControl(`query($id: ID!) { build(id: $id) ${FULL} }`, { id: running() })).toBe('max-age=7, public');
  });

  it('a list takes the shortest of its items', async () => {
    expect(await cacheControl(`query($ids: [ID!]!) { builds(ids: $ids) ${FULL} }`, { ids: [complete(), running()] })).toBe(
      'max-age=7, public',
    );
  });

  it('_entities carries the hint too, for the router entity cache', async () => {
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Build ${FULL} } }`;
    expect(await cacheControl(query, { r: [{ __typename: 'Build', id: complete() }] })).toBe('max-age=3600, public');
  });

  it('a failed lookup is not cacheable', async () => {
    expect(await cacheControl(`query($id: ID!) { build(id: $id) { id } }`, { id: 'missing:0' })).toBe('no-store');
  });
});

describe('Scan, Finding and FindingDetail cache hints', () => {
  const scanWith = (status: string) => String(stack.emulator.data.scans.find((scan) => scan.processingStatus === status)!.id);

  it.each([
    ['finished', 'max-age=3600, public'],
    ['failed', 'max-age=3600, public'],
    ['cancelled', 'max-age=3600, public'],
    ['processing', 'max-age=7, public'],
    ['queued', 'max-age=7, public'],
  ])('a %s scan: %s', async (status, expected) => {
    expect(await cacheControl(`query($id: ID!) { scan(id: $id) { id processingStatus tests { name } } }`, { id: scanWith(status) })).toBe(
      expected,
    );
  });

  it('findings and finding details get the moderate max-age', async () => {
    const { scanName, finding } = stack.emulator.data.findings[0]!;
    expect(
      await cacheControl(`query($s: String!, $id: ID!) { finding(scanName: $s, id: $id) { id remediation { recommendation { text } } } }`, {
        s: scanName,
        id: finding.id,
      }),
    ).toBe('max-age=120, public');
    const arn = stack.emulator.data.inspector.details[0]!.findingArn;
    expect(await cacheControl(`query($arn: ID!) { findingDetail(findingArn: $arn) { findingArn cisaData { action } } }`, { arn })).toBe(
      'max-age=120, public',
    );
  });

  it('a query mixing types takes the shortest hint', async () => {
    const { scanName, finding } = stack.emulator.data.findings[0]!;
    expect(
      await cacheControl(`query($s: String!, $id: ID!, $b: ID!) { finding(scanName: $s, id: $id) { id } build(id: $b) { id } }`, {
        s: scanName,
        id: finding.id,
        b: complete(),
      }),
    ).toBe('max-age=120, public');
  });
});
