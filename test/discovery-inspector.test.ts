import type { Finding } from '@aws-sdk/client-inspector2';
import { describe, expect, it } from 'vitest';
import { inspector2Examples } from '../emulator/inspector2/examples.js';
import { asGraphQLJson, withoutNulls } from '../testkit/stack.js';
import { selectAll } from '../testkit/selection.js';
import { useStack } from '../testkit/use-stack.js';

/**
 * `inspectorFindings` (#17) against the emulator's ListFindings: paging, every filter field the
 * emulator filters by, the details of a page through the batched FindingDetail loader, and
 * hostile arguments refused before any call. Calls are counted in the emulator's call log.
 */
const stack = useStack();

const regionOf = (finding: Finding) => finding.findingArn!.split(':')[3]!;
const seeded = (region = 'us-east-1') => stack.emulator.data.inspector.findings.filter((finding) => regionOf(finding) === region);
const listCalls = () => stack.emulator.calls.of('inspector2', (call) => call.operation === 'ListFindings');
const detailCalls = () => stack.emulator.calls.of('inspector2', (call) => call.operation === 'BatchGetFindingDetails');

interface Page {
  inspectorFindings: {
    edges: Array<{ cursor: string; node: { findingArn: string } }>;
    nodes: Array<{ findingArn: string } | null>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}
const LIST = `query($region: String, $filter: InspectorFindingFilter, $sort: InspectorSortCriteria, $first: Int, $after: String) {
  inspectorFindings(region: $region, filter: $filter, sort: $sort, first: $first, after: $after) {
    edges { cursor node { findingArn } }
    nodes { findingArn }
    pageInfo { hasNextPage endCursor }
  }
}`;
const list = (variables: Record<string, unknown>) => stack.query<Page>(LIST, variables);

/** Every ARN of a list, a request per page; bounded, so a list that never ends fails instead of hanging. */
async function listAll(variables: Record<string, unknown>, first = 100): Promise<string[]> {
  const arns: string[] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const response = await list({ ...variables, first, after });
    expect(response.errors).toBeUndefined();
    const connection = response.data!.inspectorFindings;
    arns.push(...connection.nodes.map((node) => node!.findingArn));
    if (!connection.pageInfo.hasNextPage) return arns;
    after = connection.pageInfo.endCursor;
  }
  throw new Error('the list did not end within 100 pages');
}

/** A selection set without one top-level field and its own selection (braces balanced). */
function withoutField(selection: string, field: string): string {
  const start = selection.indexOf(` ${field} {`);
  if (start < 0) return selection;
  let depth = 0;
  for (let i = selection.indexOf('{', start); i < selection.length; i++) {
    if (selection[i] === '{') depth++;
    if (selection[i] === '}' && --depth === 0) return selection.slice(0, start) + selection.slice(i + 1);
  }
  throw new Error('unbalanced selection');
}

describe('Query.inspectorFindings paging', () => {
  it("lists every seeded finding of the region once, in the emulator's order, a page of 25 per call", async () => {
    const expected = seeded('eu-west-1').map((finding) => finding.findingArn!);
    expect(expected.length).toBeGreaterThan(100);
    const seen = await listAll({ region: 'eu-west-1' }, 100);
    expect(seen).toEqual(expected);
    // Pages hold 25 at most (the model's FindingList bound): ceil(400 / 25) calls, not one more, all signed for eu-west-1.
    expect(listCalls()).toHaveLength(Math.ceil(expected.length / 25));
    expect(new Set(listCalls().map((call) => call.region))).toEqual(new Set(['eu-west-1']));
  });

  it('pages that end inside an upstream page continue exactly after their last finding', async () => {
    const expected = seeded('us-east-1').map((finding) => finding.findingArn!);
    const seen = await listAll({}, 37);
    expect(seen).toEqual(expected);
    // Each request makes at most the calls its 37 findings need (3 pages of 25, the first possibly re-read for its offset).
    expect(listCalls().length).toBeLessThanOrEqual(Math.ceil(expected.length / 37) * 3);
  });

  it('counts each ListFindings call in the list-call metric', async () => {
    const count = async () => {
      const line = (await stack.scrapeMetrics())
        .split('\n')
        .find(
          (each) =>
            each.startsWith('subgraph_upstream_list_calls_total{') &&
            each.includes('api="inspector2"') &&
            each.includes('operation="ListFindings"') &&
            each.includes('outcome="ok"'),
        );
      return line ? Number(line.split(' ').at(-1)) : 0;
    };
    const before = await count();
    await listAll({ region: 'ap-southeast-2' }, 100);
    expect((await count()) - before).toBe(listCalls().length);
    expect(listCalls()).toHaveLength(16);
  });

  it('defaults to the configured AWS_REGION and to 20 findings', async () => {
    const response = await list({});
    expect(response.errors).toBeUndefined();
    expect(response.data!.inspectorFindings.nodes.map((node) => node!.findingArn)).toEqual(
      seeded('us-east-1')
        .slice(0, 20)
        .map((finding) => finding.findingArn),
    );
    expect(response.data!.inspectorFindings.pageInfo.hasNextPage).toBe(true);
    expect(listCalls()).toHaveLength(1);
  });

  it('answers every member of the model exactly as the emulator holds it', async () => {
    const selection = withoutField(selectAll('InspectorFinding'), 'detail');
    const response = await stack.query<{ inspectorFindings: { nodes: Array<Record<string, unknown>> } }>(
      `{ inspectorFindings(region: "ap-southeast-2", first: 100) { nodes ${selection} } }`,
    );
    expect(response.errors).toBeUndefined();
    const records = seeded('ap-southeast-2').slice(0, 100);
    const asServed = (finding: Finding) => {
      const json = asGraphQLJson(finding) as { resources: Array<{ type: string }> };
      // Wire values that are no GraphQL name are served under the enum's name.
      for (const resource of json.resources) resource.type = resource.type.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
      return json;
    };
    expect(response.data!.inspectorFindings.nodes.map(withoutNulls)).toEqual(records.map(asServed));
  });

  it("sorts as sortCriteria says, and a page's cursor continues the same order", async () => {
    const sort = { field: 'INSPECTOR_SCORE', sortOrder: 'DESC' };
    const arns = await listAll({ sort }, 100);
    const scores = arns.map((arn) => seeded().find((finding) => finding.findingArn === arn)!.inspectorScore!);
    expect(arns).toHaveLength(seeded().length);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });
});

describe('Query.inspectorFindings filters', () => {
  const all = () => seeded();
  const arnsWhere = (test: (finding: Finding) => boolean) =>
    all()
      .filter(test)
      .map((finding) => finding.findingArn!);
  const ecr = (finding: Finding) => finding.resources?.[0]?.details?.awsEcrContainerImage;
  const lambda = (finding: Finding) => finding.resources?.[0]?.details?.awsLambdaFunction;
  const at = (finding: Finding, key: 'firstObservedAt' | 'lastObservedAt') => finding[key]!.getTime();
  const middle = (key: 'firstObservedAt' | 'lastObservedAt') => {
    const times = all()
      .map((finding) => at(finding, key))
      .sort((a, b) => a - b);
    return { from: times[Math.floor(times.length / 4)]!, to: times[Math.floor((times.length * 3) / 4)]! };
  };

  const cases: Array<[string, () => { filter: Record<string, unknown>; expected: string[] }]> = [
    [
      'severity EQUALS (two alternatives)',
      () => ({
        filter: {
          severity: [
            { comparison: 'EQUALS', value: 'CRITICAL' },
            { comparison: 'EQUALS', value: 'HIGH' },
          ],
        },
        expected: arnsWhere((f) => f.severity === 'CRITICAL' || f.severity === 'HIGH'),
      }),
    ],
    [
      'severity NOT_EQUALS',
      () => ({
        filter: { severity: [{ comparison: 'NOT_EQUALS', value: 'LOW' }] },
        expected: arnsWhere((f) => f.severity !== 'LOW'),
      }),
    ],
    [
      'findingType EQUALS',
      () => ({
        filter: { findingType: [{ comparison: 'EQUALS', value: 'NETWORK_REACHABILITY' }] },
        expected: arnsWhere((f) => f.type === 'NETWORK_REACHABILITY'),
      }),
    ],
    [
      'findingStatus EQUALS',
      () => ({
        filter: { findingStatus: [{ comparison: 'EQUALS', value: 'SUPPRESSED' }] },
        expected: arnsWhere((f) => f.status === 'SUPPRESSED'),
      }),
    ],
    [
      'resourceType EQUALS',
      () => ({
        filter: { resourceType: [{ comparison: 'EQUALS', value: 'AWS_LAMBDA_FUNCTION' }] },
        expected: arnsWhere((f) => f.resources![0]!.type === 'AWS_LAMBDA_FUNCTION'),
      }),
    ],
    [
      'ecrImageRepositoryName PREFIX',
      () => ({
        filter: { ecrImageRepositoryName: [{ comparison: 'PREFIX', value: 'pay' }] },
        expected: arnsWhere((f) => ecr(f)?.repositoryName?.startsWith('pay') === true),
      }),
    ],
    [
      'lambdaFunctionName EQUALS',
      () => ({
        filter: { lambdaFunctionName: [{ comparison: 'EQUALS', value: 'webhook-relay' }] },
        expected: arnsWhere((f) => lambda(f)?.functionName === 'webhook-relay'),
      }),
    ],
    [
      'vulnerabilityId EQUALS',
      () => {
        const cve = all().find((f) => f.packageVulnerabilityDetails)!.packageVulnerabilityDetails!.vulnerabilityId!;
        return {
          filter: { vulnerabilityId: [{ comparison: 'EQUALS', value: cve }] },
          expected: arnsWhere((f) => f.packageVulnerabilityDetails?.vulnerabilityId === cve),
        };
      },
    ],
    [
      'firstObservedAt range',
      () => {
        const { from, to } = middle('firstObservedAt');
        return {
          filter: { firstObservedAt: [{ startInclusive: new Date(from).toISOString(), endInclusive: new Date(to).toISOString() }] },
          expected: arnsWhere((f) => at(f, 'firstObservedAt') >= from && at(f, 'firstObservedAt') <= to),
        };
      },
    ],
    [
      'lastObservedAt open-ended',
      () => {
        const { from } = middle('lastObservedAt');
        return {
          filter: { lastObservedAt: [{ startInclusive: new Date(from).toISOString() }] },
          expected: arnsWhere((f) => at(f, 'lastObservedAt') >= from),
        };
      },
    ],
    [
      'inspectorScore range and two members together (AND)',
      () => ({
        filter: { inspectorScore: [{ lowerInclusive: 7 }], findingType: [{ comparison: 'EQUALS', value: 'PACKAGE_VULNERABILITY' }] },
        expected: arnsWhere((f) => f.inspectorScore! >= 7 && f.type === 'PACKAGE_VULNERABILITY'),
      }),
    ],
  ];

  it.each(cases)('%s lists exactly the matching findings', async (_name, make) => {
    const { filter, expected } = make();
    // A filter that keeps everything or nothing would prove nothing.
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(all().length);
    const seen = await listAll({ filter });
    expect(seen).toEqual(expected);
    expect(listCalls().length).toBeGreaterThan(0);
  });
});

describe('Query.inspectorFindings details', () => {
  it("50 nodes' details cost 5 BatchGetFindingDetails calls of 10, in the listed region, and match the listed ARNs", async () => {
    const response = await stack.query<{
      inspectorFindings: { nodes: Array<{ findingArn: string; detail: { findingArn: string; riskScore: number } }> };
    }>(`{ inspectorFindings(region: "eu-west-1", first: 50) { nodes { findingArn detail { findingArn riskScore } } } }`);
    expect(response.errors).toBeUndefined();
    const nodes = response.data!.inspectorFindings.nodes;
    expect(nodes).toHaveLength(50);
    for (const node of nodes) expect(node.detail.findingArn).toBe(node.findingArn);
    const details = stack.emulator.data.inspector.details;
    expect(nodes[7]!.detail.riskScore).toBe(details.find((d) => d.findingArn === nodes[7]!.findingArn)!.riskScore);
    expect(detailCalls()).toHaveLength(5);
    expect(detailCalls().every((call) => call.keys.length === 10 && call.region === 'eu-west-1')).toBe(true);
    expect(listCalls()).toHaveLength(2);
  });
});

describe("the demo's tab", () => {
  it('"Discover Inspector findings" answers without errors, the findings matching its filter, with their details', async () => {
    const tab = inspector2Examples(stack.emulator.data.inspector).tabs.find((each) =>
      each.title.startsWith('Discover Inspector findings'),
    )!;
    const response = await stack.query<{
      inspectorFindings: { nodes: Array<{ severity: string; status: string; detail: { riskScore: number } }> };
    }>(tab.query, tab.variables);
    expect(response.errors).toBeUndefined();
    const nodes = response.data!.inspectorFindings.nodes;
    expect(nodes.length).toBe(10);
    for (const node of nodes) {
      expect(['CRITICAL', 'HIGH']).toContain(node.severity);
      expect(node.status).toBe('ACTIVE');
      expect(node.detail.riskScore).toBeGreaterThan(0);
    }
  });
});

describe('Query.inspectorFindings upstream failures', () => {
  it('a failing ListFindings is an error at the field, its siblings answered', async () => {
    stack.emulator.faults.set('inspector2', { down: true, when: (request) => request.url.pathname.endsWith('/findings/list') });
    const arn = stack.emulator.data.inspector.details[0]!.findingArn!;
    const response = await stack.query<{ list: unknown; detail: { findingArn: string } }>(
      `query($arn: ID!) { list: inspectorFindings(first: 5) { nodes { findingArn } } detail: findingDetail(findingArn: $arn) { findingArn } }`,
      { arn },
    );
    expect(response.data!.list).toBeNull();
    expect(response.errors).toMatchObject([{ path: ['list'], extensions: { code: 'UPSTREAM_ERROR', upstream: 'inspector2' } }]);
    expect(response.data!.detail.findingArn).toBe(arn);
    // The SDK's own retries (AWS_MAX_ATTEMPTS, 3 by default), then the error: bounded.
    expect(listCalls().length).toBeGreaterThan(0);
    expect(listCalls().length).toBeLessThanOrEqual(3);
  });
});

describe('Query.inspectorFindings details that fail', () => {
  it("a failing BatchGetFindingDetails nulls only the nodes' detail, each with its error at its own path", async () => {
    stack.emulator.faults.set('inspector2', {
      down: true,
      when: (request) => request.url.pathname.endsWith('/findings/details/batch/get'),
    });
    const response = await stack.query<{ inspectorFindings: { nodes: Array<{ findingArn: string; detail: unknown }> } }>(
      `{ inspectorFindings(first: 3) { nodes { findingArn detail { riskScore } } } }`,
    );
    const nodes = response.data!.inspectorFindings.nodes;
    expect(nodes.map((node) => node.findingArn)).toEqual(
      seeded()
        .slice(0, 3)
        .map((finding) => finding.findingArn),
    );
    expect(nodes.every((node) => node.detail === null)).toBe(true);
    expect(response.errors!.map((error) => error.path)).toEqual([0, 1, 2].map((i) => ['inspectorFindings', 'nodes', i, 'detail']));
    expect(response.errors!.every((error) => error.extensions?.code === 'UPSTREAM_ERROR')).toBe(true);
  });
});

describe('Query.inspectorFindings hostile arguments', () => {
  const refused = async (variables: Record<string, unknown>, message: RegExp) => {
    const response = await list(variables);
    expect(response.data?.inspectorFindings ?? null).toBeNull();
    expect(response.errors).toMatchObject([{ path: ['inspectorFindings'], extensions: { code: 'BAD_USER_INPUT' } }]);
    expect(response.errors![0]!.message).toMatch(message);
    expect(stack.emulator.calls.count('inspector2')).toBe(0);
    return response.errors![0]!;
  };

  it.each([
    ['first over 100', { first: 101 }, /first/],
    ['first under 1', { first: 0 }, /first/],
    ['a garbled cursor', { after: 'garbage' }, /cursor/i],
    ['a 20,000-character cursor', { after: 'x'.repeat(20_000) }, /cursor/i],
    ['a region that does not exist', { region: 'zz-fake-1' }, /region/],
    ['a 5,000-character region', { region: 'r'.repeat(5000) }, /region/],
  ])('%s is refused at the field, with no call', async (_name, variables, message) => {
    await refused(variables, message);
  });

  it("a cursor of another region, filter or sort is refused (it is bound to its list's arguments), with no call", async () => {
    const first = await list({ region: 'us-east-1', first: 5 });
    const after = first.data!.inspectorFindings.pageInfo.endCursor!;
    stack.emulator.reset();
    const others: Array<Record<string, unknown>> = [
      { region: 'eu-west-1' },
      { filter: { severity: [{ comparison: 'EQUALS', value: 'HIGH' }] } },
      { sort: { field: 'SEVERITY', sortOrder: 'ASC' } },
    ];
    for (const other of others) await refused({ ...other, after }, /cursor/i);
    // The same list accepts it.
    const again = await list({ region: 'us-east-1', first: 5, after });
    expect(again.errors).toBeUndefined();
    expect(again.data!.inspectorFindings.nodes[0]!.findingArn).toBe(seeded()[5]!.findingArn);
  });

  it('a bad filter is refused with one problem per argument path, and no call', async () => {
    const error = await refused(
      {
        filter: {
          severity: [{ comparison: 'EQUALS', value: 'critical' }],
          title: [{ comparison: 'PREFIX', value: 'x'.repeat(1025) }],
          findingArn: Array.from({ length: 11 }, () => ({ comparison: 'PREFIX', value: 'arn' })),
          resourceId: [],
          firstObservedAt: [{ startInclusive: '2026-02-01T00:00:00Z', endInclusive: '2026-01-01T00:00:00Z' }],
          inspectorScore: [{}],
        },
      },
      /filter\.severity\[0\]\.value/,
    );
    expect((error.extensions as { invalidArguments: Array<{ argument: string }> }).invalidArguments.map((p) => p.argument)).toEqual([
      'filter.findingArn',
      'filter.severity[0].value',
      'filter.firstObservedAt[0]',
      'filter.title[0].value',
      'filter.inspectorScore[0]',
      'filter.resourceId',
    ]);
  });

  it('an unknown comparison or sort field is refused by GraphQL itself, with no call', async () => {
    const response = await list({ filter: { severity: [{ comparison: 'CONTAINS', value: 'HIGH' }] } });
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const sorted = await list({ sort: { field: 'TITLE', sortOrder: 'ASC' } });
    expect(sorted.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(stack.emulator.calls.count('inspector2')).toBe(0);
  });

  it('a sibling field is answered beside a refused list', async () => {
    const arn = stack.emulator.data.inspector.details[0]!.findingArn!;
    const response = await stack.query<{ bad: unknown; detail: { findingArn: string } }>(
      `query($arn: ID!) { bad: inspectorFindings(first: 101) { nodes { findingArn } } detail: findingDetail(findingArn: $arn) { findingArn } }`,
      { arn },
    );
    expect(response.errors).toMatchObject([{ path: ['bad'], extensions: { code: 'BAD_USER_INPUT' } }]);
    expect(response.data!.detail.findingArn).toBe(arn);
    expect(listCalls()).toHaveLength(0);
  });
});
