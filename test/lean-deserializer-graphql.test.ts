import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regionOf } from '../src/upstreams/inspector2/model.js';
import { selectAll } from '../testkit/selection.js';
import { startStack, type Stack } from '../testkit/stack.js';

/**
 * At the GraphQL boundary the lean deserializer changes nothing: the same queries, answered by
 * two subgraphs over the same seeded emulator data (one with AWS_LEAN_DESERIALIZER=false, the
 * SDK's deserializer), give byte-identical responses, every field selected.
 */
let sdk: Stack;
let lean: Stack;
beforeAll(async () => {
  const env = { SENSITIVE_FIELDS: 'allow', LOG_LEVEL: 'error' };
  [sdk, lean] = await Promise.all([startStack({ env: { ...env, AWS_LEAN_DESERIALIZER: 'false' } }), startStack({ env })]);
});
afterAll(async () => {
  await Promise.all([sdk?.stop(), lean?.stop()]);
});

async function raw(stack: Stack, query: string, variables: Record<string, unknown>): Promise<string> {
  const response = await fetch(`${stack.subgraph.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return response.text();
}

describe('GraphQL responses with and without the lean deserializer', () => {
  it('are configured as meant (default on, off when set false)', () => {
    expect(lean.config.codebuild.leanDeserializer).toBe(true);
    expect(lean.config.inspector2.leanDeserializer).toBe(true);
    expect(sdk.config.codebuild.leanDeserializer).toBe(false);
    expect(sdk.config.inspector2.leanDeserializer).toBe(false);
    expect(lean.config.codeguruSecurity.leanDeserializer).toBe(true);
    expect(sdk.config.codeguruSecurity.leanDeserializer).toBe(false);
  });

  it('builds: 250 with every field (3 BatchGetBuilds calls each), plus unknown ids', async () => {
    const ids = [...sdk.emulator.data.builds.slice(0, 250).map((build) => build.id!), 'no-such-project:00000000'];
    const query = `query($ids: [ID!]!) { builds(ids: $ids) ${selectAll('Build')} }`;
    const [expected, actual] = [await raw(sdk, query, { ids }), await raw(lean, query, { ids })];
    expect(JSON.parse(expected).data.builds).toHaveLength(251);
    expect(actual).toBe(expected);
    expect(lean.emulator.calls.count('codebuild')).toBe(sdk.emulator.calls.count('codebuild'));
  });

  it('finding details: every field, across regions, including ARNs Inspector answers with errors', async () => {
    const details = sdk.emulator.data.inspector.details;
    const regions = new Set(details.map((detail) => regionOf(detail.findingArn!)));
    expect(regions.size).toBeGreaterThan(1);
    const arns = [...regions].flatMap((region) =>
      details
        .filter((detail) => regionOf(detail.findingArn!) === region)
        .slice(0, 15)
        .map((detail) => detail.findingArn!),
    );
    arns.push('arn:aws:inspector2:eu-west-1:123456789012:finding/00000000000000000000000000000000');
    const query = `query($arns: [ID!]!) { findingDetails(findingArns: $arns) ${selectAll('FindingDetail')} }`;
    const [expected, actual] = [await raw(sdk, query, { arns }), await raw(lean, query, { arns })];
    const answered = (JSON.parse(expected) as { data: { findingDetails: unknown[] } }).data.findingDetails;
    expect(answered.filter(Boolean).length).toBe(arns.length - 1);
    expect(actual).toBe(expected);
  });

  it('findings: every field, over several scans, including identifiers CodeGuru Security answers with errors', async () => {
    const identifiers = sdk.emulator.data.findings
      .filter((_, i) => i % 7 === 0)
      .slice(0, 60)
      .map(({ scanName, finding }) => ({ scanName, findingId: finding.id! }));
    expect(new Set(identifiers.map((key) => key.scanName)).size).toBeGreaterThan(1);
    identifiers.push({ scanName: identifiers[0]!.scanName, findingId: 'no-such-finding' });
    const query = `query($identifiers: [FindingIdentifier!]!) { findings(identifiers: $identifiers) ${selectAll('Finding')} }`;
    const [expected, actual] = [await raw(sdk, query, { identifiers }), await raw(lean, query, { identifiers })];
    const answered = (JSON.parse(expected) as { data: { findings: unknown[] } }).data.findings;
    expect(answered.filter(Boolean).length).toBe(identifiers.length - 1);
    expect(actual).toBe(expected);
    expect(lean.emulator.calls.count('codeguru-security')).toBe(sdk.emulator.calls.count('codeguru-security'));
  });
});
