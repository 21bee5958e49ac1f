import { describe, expect, it } from 'vitest';
import { scansOf } from '../emulator/codeguru-security/data.js';
import { codeguruSecurityExamples } from '../emulator/codeguru-security/examples.js';
import type { EmulatorRequest } from '../emulator/core/route.js';
import { asGraphQLJson, withoutNulls, type GraphQLResponse } from '../testkit/stack.js';
import { useStack } from '../testkit/use-stack.js';

// CodeGuru Security discovery through the real server and client against the emulator:
// ListScans and GetFindings as connections. Every count is the emulator's call log; the
// page sizes sent are read from the requests the emulator received.

const stack = useStack({ env: { AWS_RETRY_BASE_DELAY_MS: '5' } });

const calls = (operation?: string) =>
  stack.emulator.calls.of('codeguru-security', (call) => operation === undefined || call.operation === operation);
const seededScans = () => scansOf(stack.emulator.data.findings);
const findingsOf = (scanName: string, status?: 'Open' | 'Closed') =>
  stack.emulator.data.findings.filter((seeded) => seeded.scanName === scanName && (!status || seeded.finding.status === status));

/** The list requests the emulator receives from now on (their query strings carry maxResults and nextToken). */
function watchLists(): EmulatorRequest[] {
  const seen: EmulatorRequest[] = [];
  stack.emulator.faults.set('codeguru-security', { when: (request) => (request.method === 'GET' && seen.push(request), false) });
  return seen;
}
const param = (request: EmulatorRequest, name: string) => request.url.searchParams.get(name);

interface Page<Node> {
  edges: Array<{ cursor: string; node: Node | null }>;
  nodes: Array<Node | null>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}
type ScanNode = Record<string, unknown> & { scanName: string };
type FindingNode = { scanName: string; id: string; title: string; status: string };

const PAGE_INFO = 'pageInfo { hasNextPage hasPreviousPage startCursor endCursor }';
const SCANS = `query($first: Int, $after: String) {
  codeGuruSecurityScans(first: $first, after: $after) {
    edges { cursor node { scanName } }
    nodes { scanState createdAt updatedAt scanName runId scanNameArn }
    ${PAGE_INFO}
  }
}`;
const SCAN_FINDINGS = `query($scanName: String!, $status: CodeGuruSecurityStatus, $first: Int, $after: String) {
  codeGuruSecurityScanFindings(scanName: $scanName, status: $status, first: $first, after: $after) {
    edges { cursor node { id } }
    nodes { scanName id title status }
    ${PAGE_INFO}
  }
}`;

async function scans(first: number, after?: string | null) {
  return stack.query<{ codeGuruSecurityScans: Page<ScanNode> }>(SCANS, { first, after });
}
async function scanFindings(scanName: string, first: number, after?: string | null, status?: string) {
  return stack.query<{ codeGuruSecurityScanFindings: Page<FindingNode> }>(SCAN_FINDINGS, { scanName, first, after, status });
}

function expectFieldError(response: GraphQLResponse, path: Array<string | number>, code: string) {
  expect(response.errors?.map((error) => ({ path: error.path, code: error.extensions?.code }))).toEqual([{ path, code }]);
}

describe('Query.codeGuruSecurityScans', () => {
  it('pages through every scan once, in the order ListScans lists them, one ListScans per page with maxResults = first', async () => {
    const seen = watchLists();
    const listed: ScanNode[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const response = await scans(5, after);
      expect(response.errors).toBeUndefined();
      const connection = response.data!.codeGuruSecurityScans;
      listed.push(...(connection.nodes as ScanNode[]));
      expect(connection.edges.map((edge) => edge.node!.scanName)).toEqual(connection.nodes.map((node) => node!.scanName));
      expect(connection.pageInfo.endCursor).toBe(connection.edges.at(-1)?.cursor ?? connection.pageInfo.endCursor);
      expect(connection.pageInfo.hasPreviousPage).toBe(false);
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    const expected = seededScans();
    expect(expected.length).toBeGreaterThan(10);
    expect(listed.map((scan) => scan.scanName)).toEqual(expected.map((scan) => scan.scanName));
    // Every member as the emulator holds it; the enum in GraphQL's upper case; the ARN names the scan in the signing region.
    listed.forEach((scan, index) => {
      const { scanState, ...held } = asGraphQLJson(expected[index]) as Record<string, unknown>;
      const { scanState: served, scanNameArn, ...rest } = withoutNulls(scan) as Record<string, unknown>;
      expect(rest).toEqual(held);
      expect(served).toBe({ InProgress: 'IN_PROGRESS', Successful: 'SUCCESSFUL', Failed: 'FAILED' }[scanState as string]);
      expect(scanNameArn).toMatch(new RegExp(`^arn:aws:codeguru-security:[a-z0-9-]+:123456789012:scans/${scan.scanName}$`));
    });
    expect(new Set(listed.map((scan) => scan.scanState))).toEqual(new Set(['SUCCESSFUL', 'IN_PROGRESS', 'FAILED']));
    const pages = Math.ceil(expected.length / 5);
    expect(calls('ListScans')).toHaveLength(pages);
    expect(seen.map((request) => param(request, 'maxResults'))).toEqual(Array(pages).fill('5'));
    // The first page without a token, each next one with the token the previous answer gave.
    expect(param(seen[0]!, 'nextToken')).toBeNull();
    expect(seen.slice(1).every((request) => param(request, 'nextToken') !== null)).toBe(true);
    expect(calls('BatchGetFindings')).toHaveLength(0);
  });

  it('maps first to maxResults (the default 20 too) and says there is no next page at the end', async () => {
    const seen = watchLists();
    const all = await stack.query<{ codeGuruSecurityScans: Page<ScanNode> }>(
      `{ codeGuruSecurityScans { nodes { scanName } ${PAGE_INFO} } }`,
    );
    expect(all.errors).toBeUndefined();
    expect(all.data!.codeGuruSecurityScans.nodes).toHaveLength(seededScans().length);
    expect(all.data!.codeGuruSecurityScans.pageInfo.hasNextPage).toBe(false);
    const seven = await scans(7);
    expect(seven.data!.codeGuruSecurityScans.nodes).toHaveLength(7);
    expect(seen.map((request) => param(request, 'maxResults'))).toEqual(['20', '7']);
  });
});

describe('Query.codeGuruSecurityScanFindings', () => {
  it('pages through every finding of a scan once, in order, one GetFindings per page and no BatchGetFindings', async () => {
    const scanName = seededScans()[2]!.scanName;
    const seen = watchLists();
    const listed: FindingNode[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const response = await scanFindings(scanName, 30, after);
      expect(response.errors).toBeUndefined();
      const connection = response.data!.codeGuruSecurityScanFindings;
      listed.push(...(connection.nodes as FindingNode[]));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    const expected = findingsOf(scanName);
    expect(expected.length).toBeGreaterThan(60);
    expect(listed.map((finding) => [finding.scanName, finding.id, finding.title])).toEqual(
      expected.map(({ finding }) => [scanName, finding.id, finding.title]),
    );
    const pages = Math.ceil(expected.length / 30);
    expect(calls('GetFindings').map((call) => call.keys)).toEqual(Array(pages).fill([scanName]));
    expect(seen.map((request) => [decodeURIComponent(request.url.pathname.split('/').pop()!), param(request, 'maxResults')])).toEqual(
      Array(pages).fill([scanName, '30']),
    );
    expect(seen.every((request) => param(request, 'status') === null)).toBe(true);
    expect(calls('BatchGetFindings')).toHaveLength(0);
  });

  it('sends the status filter and serves only findings of that status', async () => {
    const scanName = seededScans()[0]!.scanName;
    const seen = watchLists();
    const response = await scanFindings(scanName, 100, null, 'CLOSED');
    expect(response.errors).toBeUndefined();
    const nodes = response.data!.codeGuruSecurityScanFindings.nodes as FindingNode[];
    expect(nodes.map((node) => node.id)).toEqual(findingsOf(scanName, 'Closed').map(({ finding }) => finding.id));
    expect(nodes.length).toBeGreaterThan(0);
    expect(nodes.every((node) => node.status === 'CLOSED')).toBe(true);
    expect(seen.map((request) => param(request, 'status'))).toEqual(['Closed']);
  });

  it('a well-formed name of no scan is NOT_FOUND at its path after one GetFindings; siblings are served', async () => {
    const response = await stack.query<Record<string, unknown>>(
      `{ missing: codeGuruSecurityScanFindings(scanName: "no-such-scan") { nodes { id } }
         scans: codeGuruSecurityScans(first: 1) { nodes { scanName } } }`,
    );
    expectFieldError(response, ['missing'], 'NOT_FOUND');
    expect(response.errors![0]!.message).toContain('no-such-scan');
    expect((response.data!.scans as Page<ScanNode>).nodes).toHaveLength(1);
    expect(calls('GetFindings').map((call) => [call.keys, call.status])).toEqual([[['no-such-scan'], 404]]);
  });

  it('a scan name outside the model pattern is BAD_USER_INPUT before any call', async () => {
    for (const scanName of ['has space', 'a/b', '', 'x'.repeat(141)]) {
      const response = await scanFindings(scanName, 5);
      expectFieldError(response, ['codeGuruSecurityScanFindings'], 'BAD_USER_INPUT');
    }
    expect(calls()).toHaveLength(0);
  });
});

describe('CodeGuruSecurityScanSummary.findings', () => {
  it('lists each scan of a page with its findings: one ListScans, one GetFindings per scan, no BatchGetFindings', async () => {
    const response = await stack.query<{ codeGuruSecurityScans: Page<{ scanName: string; findings: Page<FindingNode> }> }>(
      `{ codeGuruSecurityScans(first: 3) { nodes { scanName findings(first: 4) { nodes { scanName id title } ${PAGE_INFO} } } } }`,
    );
    expect(response.errors).toBeUndefined();
    const nodes = response.data!.codeGuruSecurityScans.nodes;
    expect(nodes).toHaveLength(3);
    for (const scan of nodes) {
      expect(scan!.findings.nodes.map((finding) => [finding!.scanName, finding!.id, finding!.title])).toEqual(
        findingsOf(scan!.scanName)
          .slice(0, 4)
          .map(({ finding }) => [scan!.scanName, finding.id, finding.title]),
      );
      expect(scan!.findings.pageInfo.hasNextPage).toBe(true);
    }
    expect(calls('ListScans')).toHaveLength(1);
    expect(calls('GetFindings')).toHaveLength(3);
    expect(calls('BatchGetFindings')).toHaveLength(0);
  });

  it("accepts the root field's cursor for the same scan and status (one list), and refuses it for another", async () => {
    const [a, b] = seededScans();
    const first = await scanFindings(a!.scanName, 2);
    const cursor = first.data!.codeGuruSecurityScanFindings.pageInfo.endCursor;
    const nested = await stack.query<{ codeGuruSecurityScans: Page<{ scanName: string; findings: Page<FindingNode> }> }>(
      `query($after: String) { codeGuruSecurityScans(first: 2) { nodes { scanName findings(first: 2, after: $after) { nodes { id } } } } }`,
      { after: cursor },
    );
    // Scan a continues at its third finding; scan b refuses a's cursor at its own path.
    expect(nested.data!.codeGuruSecurityScans.nodes[0]!.findings.nodes.map((node) => node!.id)).toEqual(
      findingsOf(a!.scanName)
        .slice(2, 4)
        .map(({ finding }) => finding.id),
    );
    expectFieldError(nested, ['codeGuruSecurityScans', 'nodes', 1, 'findings'], 'BAD_USER_INPUT');
    // Only that scan's findings are null: the scan itself is served.
    expect(nested.data!.codeGuruSecurityScans.nodes[1]).toEqual({ scanName: b!.scanName, findings: null });
  });
});

describe('hostile arguments: per-field errors, no upstream call', () => {
  it('refuses first over 100, first below 1, at the field, and serves the sibling', async () => {
    for (const first of [101, 0, -1, 1000]) {
      const response = await stack.query<Record<string, unknown>>(
        `query($first: Int) { bad: codeGuruSecurityScans(first: $first) { nodes { scanName } } other: codeGuruSecurityScanFindings(scanName: "x y", first: $first) { nodes { id } } }`,
        { first },
      );
      expect(response.errors!.map((error) => [error.path, error.extensions?.code]).sort()).toEqual([
        [['bad'], 'BAD_USER_INPUT'],
        [['other'], 'BAD_USER_INPUT'],
      ]);
    }
    expect(calls()).toHaveLength(0);
    const sibling = await stack.query<Record<string, unknown>>(
      `{ bad: codeGuruSecurityScans(first: 101) { nodes { scanName } } good: codeGuruSecurityScans(first: 1) { nodes { scanName } } }`,
    );
    expectFieldError(sibling, ['bad'], 'BAD_USER_INPUT');
    expect((sibling.data!.good as Page<ScanNode>).nodes).toHaveLength(1);
    expect(calls('ListScans')).toHaveLength(1);
  });

  it('refuses forged, garbled, over-long cursors and cursors of another list', async () => {
    const [a, b] = seededScans();
    const scansCursor = (await scans(1)).data!.codeGuruSecurityScans.pageInfo.endCursor!;
    const findingsCursor = (await scanFindings(a!.scanName, 1)).data!.codeGuruSecurityScanFindings.pageInfo.endCursor!;
    const openCursor = (await scanFindings(a!.scanName, 1, null, 'OPEN')).data!.codeGuruSecurityScanFindings.pageInfo.endCursor!;
    stack.emulator.reset();
    const [payload, mac] = scansCursor.split('.');
    const forged = `${Buffer.from(JSON.stringify(['WyJMaXN0U2NhbnMiLDVd', 0])).toString('base64url')}.${mac}`;
    for (const after of [forged, `${payload}.AAAA`, 'garbled', '.', '', 'x'.repeat(9000), findingsCursor]) {
      expectFieldError(await scans(2, after), ['codeGuruSecurityScans'], 'BAD_USER_INPUT');
    }
    // A findings cursor is bound to its scan and its status.
    expectFieldError(await scanFindings(b!.scanName, 2, findingsCursor), ['codeGuruSecurityScanFindings'], 'BAD_USER_INPUT');
    expectFieldError(await scanFindings(a!.scanName, 2, openCursor), ['codeGuruSecurityScanFindings'], 'BAD_USER_INPUT');
    expectFieldError(await scanFindings(a!.scanName, 2, scansCursor), ['codeGuruSecurityScanFindings'], 'BAD_USER_INPUT');
    expect(calls()).toHaveLength(0);
    // The genuine ones still work where they were given out.
    expect((await scanFindings(a!.scanName, 2, openCursor, 'OPEN')).errors).toBeUndefined();
  });
});

describe('findings of a page answer the same request’s lookups of them', () => {
  const LOOKUP = `query($scanName: String!, $identifiers: [FindingIdentifier!]!) {
    listed: codeGuruSecurityScanFindings(scanName: $scanName, first: 10) { nodes { id title } }
    looked: findings(identifiers: $identifiers) { scanName id title }
  }`;

  it('a findings(identifiers:) root field beside the list costs no BatchGetFindings for findings the page returned', async () => {
    const scanName = seededScans()[1]!.scanName;
    const page = findingsOf(scanName).slice(0, 10);
    const identifiers = [page[7]!, page[0]!, page[3]!].map(({ finding }) => ({ scanName, findingId: finding.id }));
    const response = await stack.query<{ looked: FindingNode[] }>(LOOKUP, { scanName, identifiers });
    expect(response.errors).toBeUndefined();
    expect(response.data!.looked.map((finding) => finding.title)).toEqual(
      [page[7]!, page[0]!, page[3]!].map(({ finding }) => finding.title),
    );
    expect(calls('GetFindings')).toHaveLength(1);
    expect(calls('BatchGetFindings')).toHaveLength(0);
  });

  it('only the findings the page did not return are asked with BatchGetFindings', async () => {
    const scanName = seededScans()[1]!.scanName;
    const all = findingsOf(scanName);
    const outside = all[50]!;
    const identifiers = [all[2]!, outside].map(({ finding }) => ({ scanName, findingId: finding.id }));
    const response = await stack.query<{ looked: FindingNode[] }>(LOOKUP, { scanName, identifiers });
    expect(response.errors).toBeUndefined();
    expect(response.data!.looked.map((finding) => finding.id)).toEqual(identifiers.map((identifier) => identifier.findingId));
    expect(calls('BatchGetFindings').map((call) => call.keys)).toEqual([[`${scanName}/${outside.finding.id}`]]);
  });

  it('without a list beside them, the lookups cost their BatchGetFindings as before', async () => {
    const scanName = seededScans()[1]!.scanName;
    const identifiers = findingsOf(scanName)
      .slice(0, 3)
      .map(({ finding }) => ({ scanName, findingId: finding.id }));
    const response = await stack.query(`query($ids: [FindingIdentifier!]!) { findings(identifiers: $ids) { id } }`, { ids: identifiers });
    expect(response.errors).toBeUndefined();
    expect(calls('BatchGetFindings')).toHaveLength(1);
  });
});

describe('upstream failures', () => {
  it('a failing ListScans is UPSTREAM_ERROR at its path; sibling fields are served', async () => {
    stack.emulator.faults.set('codeguru-security', { down: true, when: (request) => request.method === 'GET' });
    const { scanName, finding } = stack.emulator.data.findings[0]!;
    const response = await stack.query<Record<string, unknown>>(
      `query($s: String!, $id: ID!) { codeGuruSecurityScans(first: 2) { nodes { scanName } } finding(scanName: $s, id: $id) { title } }`,
      { s: scanName, id: finding.id },
    );
    expectFieldError(response, ['codeGuruSecurityScans'], 'UPSTREAM_ERROR');
    expect(response.data!.finding).toEqual({ title: finding.title });
    // The client's retries, then the error: bounded.
    expect(calls('ListScans').length).toBeGreaterThan(0);
    expect(calls('ListScans').length).toBeLessThanOrEqual(3);
  });
});

describe("the demo's discovery tab", () => {
  it('runs as shown and costs what its title says: 1 ListScans + 1 GetFindings a scan, no BatchGetFindings', async () => {
    const tab = codeguruSecurityExamples(stack.emulator.data.findings).tabs.find((candidate) => candidate.title.startsWith('Discover'))!;
    const response = await stack.query<{ codeGuruSecurityScans: Page<{ openFindings: Page<FindingNode> }> }>(
      tab.query,
      tab.variables as Record<string, unknown>,
    );
    expect(response.errors).toBeUndefined();
    const scansListed = response.data!.codeGuruSecurityScans.nodes;
    expect(scansListed.length).toBe(3);
    expect(scansListed.every((scan) => scan!.openFindings.nodes.length === 3)).toBe(true);
    expect(calls().map((call) => call.operation)).toEqual(['ListScans', 'GetFindings', 'GetFindings', 'GetFindings']);
  });
});
