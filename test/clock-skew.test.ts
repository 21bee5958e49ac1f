import { describe, expect, it } from 'vitest';
import { useStack } from '../testkit/use-stack.js';
import { regionOf } from '../src/upstreams/inspector2/model.js';

// End to end: the emulator's clock an hour away from the subgraph's costs no entity. Each AWS
// client (CodeBuild and Inspector2 generated, CodeGuru Security hand-built) has its first
// signature refused as expired, learns the offset from the answer's Date header, re-signs and
// succeeds; later calls are signed right the first time.

const stack = useStack();

const QUERY = `query($b: [ID!]!, $f: [FindingIdentifier!]!, $d: [ID!]!) {
  builds(ids: $b) { id }
  findings(identifiers: $f) { id }
  findingDetails(findingArns: $d) { findingArn }
}`;

function variables() {
  const { builds, findings, inspector } = stack.emulator.data;
  const regions = [...new Set(inspector.details.map((detail) => regionOf(detail.findingArn!)))].slice(0, 2);
  return {
    b: builds.slice(0, 3).map((build) => build.id!),
    f: findings.slice(0, 3).map(({ scanName, finding }) => ({ scanName, findingId: finding.id! })),
    d: regions.map((region) => inspector.details.find((detail) => regionOf(detail.findingArn!) === region)!.findingArn!),
  };
}

describe.each([
  ['ahead', 3_600_000],
  ['behind', -3_600_000],
])('an emulator clock one hour %s', (_label, offset) => {
  it('answers every entity; each client pays one refused attempt, once', async () => {
    stack.emulator.clockOffsetMs = offset;
    const vars = variables();
    const response = await stack.query<{ builds: unknown[]; findings: unknown[]; findingDetails: unknown[] }>(QUERY, vars);
    expect(response.errors).toBeUndefined();
    expect(response.data!.builds).toHaveLength(3);
    expect(response.data!.findings.every((finding) => finding !== null)).toBe(true);
    expect(response.data!.findingDetails.every((detail) => detail !== null)).toBe(true);
    const statuses = (api: 'codebuild' | 'codeguru-security' | 'inspector2', region?: string) =>
      stack.emulator.calls.of(api, (call) => region === undefined || call.region === region).map((call) => call.status);
    // Refused as expired (awsJson: 400, restJson: 403), then accepted.
    expect(statuses('codebuild')).toEqual([400, 200]);
    expect(statuses('codeguru-security')).toEqual([403, 200]);
    // Inspector keeps one client per region: each corrects its own clock.
    for (const arn of vars.d) expect(statuses('inspector2', arn.split(':')[3])).toEqual([403, 200]);

    // Corrected for good: the next request costs one call per API.
    stack.emulator.calls.clear();
    const again = await stack.query(QUERY, vars);
    expect(again.errors).toBeUndefined();
    expect(statuses('codebuild')).toEqual([200]);
    expect(statuses('codeguru-security')).toEqual([200]);
    expect(statuses('inspector2')).toEqual(vars.d.map(() => 200));
  });
});
