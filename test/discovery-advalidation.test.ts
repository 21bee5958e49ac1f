import { describe, expect, it } from 'vitest';
import { advalidationExamples } from '../emulator/advalidation/examples.js';
import type { AdvalidationCreative } from '../src/upstreams/advalidation/client.js';
import type { GraphQLResponse } from '../testkit/stack.js';
import { useStack } from '../testkit/use-stack.js';

// The settled-scan cache off: every scan a query needs is a GET the emulator logs.
const stack = useStack({ env: { ADVALIDATION_SETTLED_CACHE_SIZE: '0' } });

const catalog = () => stack.emulator.controls.advalidation.catalog;
const campaignIds = () => catalog().campaigns.map((campaign) => String(campaign.id));
const creativesOf = (campaignId: string): AdvalidationCreative[] => catalog().creatives.get(campaignId)!;
/** The first campaign: 60 creatives, three of Advalidation's pages (25 + 25 + 10). */
const BIG = () => campaignIds()[0]!;
const calls = (operation: string) => stack.emulator.calls.of('advalidation', (call) => call.operation === operation);
const listCalls = () => stack.emulator.calls.of('advalidation', (call) => call.operation.startsWith('List'));
const scanGets = () => calls('GetScan').concat(calls('GetScan?include_checks'));

interface Page<Node> {
  edges: Array<{ cursor: string; node: Node }>;
  nodes: Node[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

const CAMPAIGNS = `query($first: Int, $after: String) {
  advalidationCampaigns(first: $first, after: $after) {
    edges { cursor node { id name adspecId } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

const CREATIVES = `query($campaignId: ID!, $first: Int, $after: String) {
  advalidationCampaignCreatives(campaignId: $campaignId, first: $first, after: $after) {
    nodes { id campaignId name parentId latestScanStatus { id processingStatus } }
    pageInfo { hasNextPage endCursor }
  }
}`;

describe('advalidationCampaigns', () => {
  it('pages through every campaign once, in order, with the fewest GETs a page number allows', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    const pagesAsked: string[][] = [];
    for (let request = 0; request < 10; request += 1) {
      stack.emulator.calls.clear();
      const response: GraphQLResponse<{ advalidationCampaigns: Page<{ id: string }> }> = await stack.query(CAMPAIGNS, { first: 20, after });
      expect(response.errors).toBeUndefined();
      const page: Page<{ id: string }> = response.data!.advalidationCampaigns;
      seen.push(...page.edges.map((edge) => edge.node.id));
      pagesAsked.push(listCalls().map((call) => call.keys.join(' ')));
      expect(page.pageInfo.hasPreviousPage).toBe(false);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(campaignIds());
    // 60 campaigns in server pages of 25, 20 at a time: each request re-reads the page its cursor points into.
    expect(pagesAsked).toEqual([['page=1'], ['page=1', 'page=2'], ['page=2', 'page=3']]);
  });

  it('serves the documented fields as the emulator holds them', async () => {
    const response = await stack.query<{ advalidationCampaigns: Page<{ id: string; name: string; adspecId: string | null }> }>(CAMPAIGNS, {
      first: 25,
    });
    const expected = catalog()
      .campaigns.slice(0, 25)
      .map((campaign) => ({
        id: String(campaign.id),
        name: campaign.name,
        adspecId: campaign.adspecId === null ? null : String(campaign.adspecId),
      }));
    expect(response.data!.advalidationCampaigns.edges.map((edge) => edge.node)).toEqual(expected);
    expect(expected.some((campaign) => campaign.adspecId === null)).toBe(true);
    // Exactly one page: 25 fill `first`, and the server says there are more.
    expect(listCalls().map((call) => call.keys)).toEqual([['page=1']]);
    expect(response.data!.advalidationCampaigns.pageInfo.hasNextPage).toBe(true);
  });
});

describe('creatives of a campaign', () => {
  it('first: 100 reads all 60 creatives of a three-page campaign in one request: three GETs, in order', async () => {
    const response = await stack.query<{ advalidationCampaignCreatives: Page<{ id: string }> }>(CREATIVES, {
      campaignId: BIG(),
      first: 100,
    });
    expect(response.errors).toBeUndefined();
    const page = response.data!.advalidationCampaignCreatives;
    expect(page.nodes.map((node) => node.id)).toEqual(creativesOf(BIG()).map((creative) => String(creative.id)));
    expect(page.pageInfo.hasNextPage).toBe(false);
    expect(listCalls().map((call) => call.keys)).toEqual([
      [BIG(), 'page=1'],
      [BIG(), 'page=2'],
      [BIG(), 'page=3'],
    ]);
  });

  it('7 at a time, every creative comes once and in order, and the embedded status is the list’s', async () => {
    const seen: Array<{ id: string; parentId: string | null; latestScanStatus: { id: string; processingStatus: string } | null }> = [];
    let after: string | null = null;
    for (let request = 0; request < 20; request += 1) {
      const response: GraphQLResponse<{ advalidationCampaignCreatives: Page<(typeof seen)[number]> }> = await stack.query(CREATIVES, {
        campaignId: BIG(),
        first: 7,
        after,
      });
      expect(response.errors).toBeUndefined();
      const page: Page<(typeof seen)[number]> = response.data!.advalidationCampaignCreatives;
      seen.push(...page.nodes);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    const expected = creativesOf(BIG());
    expect(seen.map((creative) => creative.id)).toEqual(expected.map((creative) => String(creative.id)));
    expect(seen.map((creative) => creative.latestScanStatus)).toEqual(
      expected.map((creative) =>
        creative.latestScanStatus
          ? { id: String(creative.latestScanStatus.id), processingStatus: creative.latestScanStatus.processingStatus }
          : null,
      ),
    );
    // No scan is fetched for what the list embeds.
    expect(scanGets()).toHaveLength(0);
  });

  it('an empty campaign is an empty connection; nested under a campaign it is the same list', async () => {
    const empty = campaignIds().find((id) => creativesOf(id).length === 0)!;
    const response = await stack.query<{ advalidationCampaignCreatives: Page<unknown> }>(CREATIVES, { campaignId: empty });
    expect(response.data!.advalidationCampaignCreatives).toMatchObject({ nodes: [], pageInfo: { hasNextPage: false, endCursor: null } });
    const nested = await stack.query<{ advalidationCampaigns: Page<{ id: string; creatives: { nodes: Array<{ id: string }> } }> }>(
      `{ advalidationCampaigns(first: 3) { nodes { id creatives(first: 100) { nodes { id } } } } }`,
    );
    expect(nested.errors).toBeUndefined();
    for (const campaign of nested.data!.advalidationCampaigns.nodes) {
      expect(campaign.creatives.nodes.map((node) => node.id)).toEqual(creativesOf(campaign.id).map((creative) => String(creative.id)));
    }
  });
});

describe('latestScan', () => {
  it('a page of 31 creatives with their scans costs its list GETs plus one GET per distinct scan', async () => {
    const response = await stack.query<{
      advalidationCampaignCreatives: {
        nodes: Array<{ id: string; latestScanStatus: { id: string } | null; latestScan: { id: string; processingStatus: string } | null }>;
      };
      again: { id: string } | null;
    }>(
      `query($campaignId: ID!, $scanId: ID!) {
        advalidationCampaignCreatives(campaignId: $campaignId, first: 31) {
          nodes { id latestScanStatus { id } latestScan { id processingStatus } }
          edges { node { latestScan { id } } }
        }
        again: scan(id: $scanId) { id }
      }`,
      { campaignId: BIG(), scanId: String(creativesOf(BIG())[0]!.latestScanStatus!.id) },
    );
    expect(response.errors).toBeUndefined();
    const expected = creativesOf(BIG()).slice(0, 31);
    const scanIds = expected.flatMap((creative) => (creative.latestScanStatus ? [String(creative.latestScanStatus.id)] : []));
    const nodes = response.data!.advalidationCampaignCreatives.nodes;
    expect(nodes.map((node) => node.latestScan?.id ?? null)).toEqual(
      expected.map((creative) => (creative.latestScanStatus ? String(creative.latestScanStatus.id) : null)),
    );
    // Never scanned: null, and no call for it.
    expect(nodes.some((node) => node.latestScan === null)).toBe(true);
    const byId = new Map(stack.emulator.data.scans.map((scan) => [String(scan.id), scan]));
    for (const node of nodes)
      if (node.latestScan) expect(node.latestScan.processingStatus).toBe(byId.get(node.latestScan.id)!.processingStatus);
    expect(listCalls()).toHaveLength(2);
    // Distinct scans once each, whether reached through nodes, edges or a root field of the same request.
    expect(
      scanGets()
        .map((call) => call.keys[0])
        .sort(),
    ).toEqual([...new Set(scanIds)].sort());
  });

  it('creatives of several campaigns share one Scan loader: list GETs plus distinct scans, no more', async () => {
    const response = await stack.query<{
      advalidationCampaigns: { nodes: Array<{ creatives: { nodes: Array<{ latestScan: { id: string } | null }> } }> };
    }>(`{ advalidationCampaigns(first: 4) { nodes { creatives(first: 5) { nodes { latestScan { id } } } } } }`);
    expect(response.errors).toBeUndefined();
    const expected = campaignIds()
      .slice(0, 4)
      .flatMap((id) => creativesOf(id).slice(0, 5))
      .flatMap((creative) => (creative.latestScanStatus ? [String(creative.latestScanStatus.id)] : []));
    expect(calls('ListCampaigns')).toHaveLength(1);
    expect(calls('ListCreatives')).toHaveLength(4);
    expect(
      scanGets()
        .map((call) => call.keys[0])
        .sort(),
    ).toEqual([...new Set(expected)].sort());
  });

  it('asks for the checks only when tests is selected', async () => {
    await stack.query(
      `query($c: ID!) { advalidationCampaignCreatives(campaignId: $c, first: 2) { nodes { latestScan { id tests { name } } } } }`,
      {
        c: BIG(),
      },
    );
    expect(calls('GetScan')).toHaveLength(0);
    expect(calls('GetScan?include_checks').length).toBeGreaterThan(0);
  });
});

describe('observability', () => {
  const listCallsMetric = (metrics: string, operation: string, outcome: string) =>
    Number(
      new RegExp(
        `^subgraph_upstream_list_calls_total\\{api="advalidation",operation="${operation}",outcome="${outcome}"\\} (\\d+)`,
        'm',
      ).exec(metrics)?.[1] ?? 0,
    );

  it('list calls are counted by operation and outcome (NOT_FOUND for an unknown campaign)', async () => {
    const before = await stack.scrapeMetrics();
    await stack.query(`{ advalidationCampaigns(first: 1) { nodes { id } } }`);
    await stack.query(`{ advalidationCampaignCreatives(campaignId: "${BIG()}", first: 30) { nodes { id } } }`);
    await stack.query(`{ advalidationCampaignCreatives(campaignId: "99999998") { nodes { id } } }`);
    const after = await stack.scrapeMetrics();
    expect(listCalls()).toHaveLength(4);
    const delta = (operation: string, outcome: string) =>
      listCallsMetric(after, operation, outcome) - listCallsMetric(before, operation, outcome);
    expect(delta('ListCampaigns', 'ok')).toBe(1);
    expect(delta('ListCreatives', 'ok')).toBe(2);
    expect(delta('ListCreatives', 'NOT_FOUND')).toBe(1);
  });

  it("the demo's Discover campaigns tab runs without an error", async () => {
    const tab = advalidationExamples(stack.emulator.data.scans).tabs.find((candidate) => candidate.title.startsWith('Discover campaigns'))!;
    const response = await stack.query<{ advalidationCampaigns: { nodes: unknown[] } }>(tab.query, tab.variables);
    expect(response.errors).toBeUndefined();
    expect(response.data!.advalidationCampaigns.nodes).toHaveLength(3);
  });
});

describe('hostile arguments: an error at the field, no call, siblings intact', () => {
  const SIBLING = (scanId: string) => `sibling: scan(id: "${scanId}") { id }`;
  const scanId = () => String(stack.emulator.data.scans[0]!.id);

  it.each([
    ['first over the maximum', 'advalidationCampaigns(first: 101) { nodes { id } }', 'advalidationCampaigns'],
    ['first below 1', 'advalidationCampaigns(first: 0) { nodes { id } }', 'advalidationCampaigns'],
    ['a negative first', 'advalidationCampaignCreatives(campaignId: "41001", first: -5) { nodes { id } }', 'advalidationCampaignCreatives'],
    ['a garbled cursor', 'advalidationCampaigns(after: "not-a-cursor") { nodes { id } }', 'advalidationCampaigns'],
    ['an over-long cursor', `advalidationCampaigns(after: "${'A'.repeat(5000)}") { nodes { id } }`, 'advalidationCampaigns'],
    [
      'a campaign id that is no integer',
      'advalidationCampaignCreatives(campaignId: "41001; DROP") { nodes { id } }',
      'advalidationCampaignCreatives',
    ],
    ['a campaign id of 0', 'advalidationCampaignCreatives(campaignId: "0") { nodes { id } }', 'advalidationCampaignCreatives'],
  ])('%s is BAD_USER_INPUT with no list call', async (_name, field, path) => {
    const response = await stack.query<Record<string, unknown>>(`{ ${field} ${SIBLING(scanId())} }`);
    expect(response.errors).toMatchObject([{ path: [path], extensions: { code: 'BAD_USER_INPUT' } }]);
    expect(response.data![path]).toBeNull();
    expect(response.data!.sibling).toEqual({ id: scanId() });
    expect(listCalls()).toHaveLength(0);
  });

  it('a forged cursor (a real one with a byte changed) is refused', async () => {
    const first = await stack.query<{ advalidationCampaigns: Page<unknown> }>(CAMPAIGNS, { first: 5 });
    const cursor = first.data!.advalidationCampaigns.pageInfo.endCursor!;
    const forged = cursor.slice(0, -2) + (cursor.endsWith('AA') ? 'BB' : 'AA');
    stack.emulator.calls.clear();
    const response = await stack.query(CAMPAIGNS, { first: 5, after: forged });
    expect(response.errors).toMatchObject([{ path: ['advalidationCampaigns'], extensions: { code: 'BAD_USER_INPUT' } }]);
    expect(listCalls()).toHaveLength(0);
  });

  it("a cursor of one list is refused on another: the campaigns' on creatives, one campaign's on another's", async () => {
    const [a, b] = campaignIds();
    const campaigns = await stack.query<{ advalidationCampaigns: Page<unknown> }>(CAMPAIGNS, { first: 5 });
    const creatives = await stack.query<{ advalidationCampaignCreatives: Page<unknown> }>(CREATIVES, { campaignId: a, first: 5 });
    const campaignCursor = campaigns.data!.advalidationCampaigns.pageInfo.endCursor!;
    const creativeCursor = creatives.data!.advalidationCampaignCreatives.pageInfo.endCursor!;
    stack.emulator.calls.clear();
    const response = await stack.query<Record<string, unknown>>(
      `query($a: ID!, $b: ID!, $campaignCursor: String, $creativeCursor: String) {
        onCreatives: advalidationCampaignCreatives(campaignId: $a, after: $campaignCursor) { nodes { id } }
        otherCampaign: advalidationCampaignCreatives(campaignId: $b, after: $creativeCursor) { nodes { id } }
        onCampaigns: advalidationCampaigns(after: $creativeCursor) { nodes { id } }
        sameList: advalidationCampaignCreatives(campaignId: $a, first: 2, after: $creativeCursor) { nodes { id } }
      }`,
      { a, b, campaignCursor, creativeCursor },
    );
    const codes = Object.fromEntries((response.errors ?? []).map((error) => [error.path![0], error.extensions!.code]));
    expect(codes).toEqual({ onCreatives: 'BAD_USER_INPUT', otherCampaign: 'BAD_USER_INPUT', onCampaigns: 'BAD_USER_INPUT' });
    // The cursor's own list goes on where it stopped: creatives 6 and 7 of campaign a.
    expect(response.data!.sameList).toEqual({
      nodes: creativesOf(a!)
        .slice(5, 7)
        .map((creative) => ({ id: String(creative.id) })),
    });
    expect(listCalls().map((call) => call.keys)).toEqual([[a, 'page=1']]);
  });

  it('an unknown campaign is NOT_FOUND at its field after one GET; its siblings are served', async () => {
    const response = await stack.query<Record<string, unknown>>(
      `{ ghost: advalidationCampaignCreatives(campaignId: "99999999") { nodes { id } } real: advalidationCampaigns(first: 1) { nodes { id } } ${SIBLING(scanId())} }`,
    );
    expect(response.errors).toMatchObject([
      {
        path: ['ghost'],
        message: expect.stringContaining('99999999') as string,
        extensions: { code: 'NOT_FOUND', upstream: 'advalidation' },
      },
    ]);
    expect(response.data!.ghost).toBeNull();
    expect(response.data!.real).toEqual({ nodes: [{ id: campaignIds()[0] }] });
    expect(response.data!.sibling).toEqual({ id: scanId() });
    expect(calls('ListCreatives').map((call) => call.status)).toEqual([404]);
  });

  it('a failed upstream page is UPSTREAM_ERROR at the field (retried first), never a crash', async () => {
    await fetch(`${stack.emulator.url}/__emulator/faults`, { method: 'POST', body: JSON.stringify({ advalidation: { errorRate: 1 } }) });
    const response = await stack.query<Record<string, unknown>>(`{ advalidationCampaigns(first: 2) { nodes { id } } }`);
    expect(response.errors).toMatchObject([
      { path: ['advalidationCampaigns'], extensions: { code: 'UPSTREAM_ERROR', upstream: 'advalidation' } },
    ]);
    // ADVALIDATION_MAX_ATTEMPTS (5) attempts, all through the gate, then the error.
    expect(calls('ListCampaigns')).toHaveLength(5);
  }, 30_000);
});

describe('the emulated collections on the wire', () => {
  const get = (path: string, withKey = true) =>
    fetch(`${stack.emulator.url}/v2${path}`, { headers: withKey ? { 'X-API-Key': stack.config.advalidation.apiKey } : {} });

  it('answer the documented envelope with the rate headers, from the same bucket as scans', async () => {
    const response = await get('/campaigns?page=3');
    expect(response.status).toBe(200);
    expect(response.headers.get('x-ratelimit-iplimit')).toMatch(/^\d+$/);
    const remaining = Number(response.headers.get('x-ratelimit-ipremaining'));
    const body = (await response.json()) as { meta: { pagination: unknown }; data: unknown[] };
    expect(body.meta.pagination).toEqual({ count: 10, totalCount: 60, page: 3, totalPages: 3 });
    expect(body.data).toHaveLength(10);
    const scan = await get(`/scans/${stack.emulator.data.scans[0]!.id}`);
    expect(Number(scan.headers.get('x-ratelimit-ipremaining'))).toBeLessThanOrEqual(remaining);
  });

  it('refuse a missing key (401), a bad page (422) and an unknown campaign (404), each in the error envelope', async () => {
    const cases: Array<[string, boolean, number]> = [
      ['/campaigns', false, 401],
      ['/campaigns?page=0', true, 422],
      ['/campaigns?page=x', true, 422],
      ['/campaigns/123/creatives', true, 404],
      [`/campaigns/${BIG()}/creatives?page=-1`, true, 422],
    ];
    for (const [path, withKey, status] of cases) {
      const response = await get(path, withKey);
      expect(response.status).toBe(status);
      expect(((await response.json()) as { error: { responseCode: number } }).error.responseCode).toBe(status);
    }
  });

  it('every creative’s latest scan is a scan GET /v2/scans/{id} serves', () => {
    const served = new Set(stack.emulator.data.scans.map((scan) => String(scan.id)));
    const creatives = [...catalog().creatives.values()].flat();
    expect(creatives.length).toBeGreaterThan(100);
    for (const creative of creatives) if (creative.latestScanStatus) expect(served.has(String(creative.latestScanStatus.id))).toBe(true);
    // Variations name a container of their own campaign.
    for (const creative of creatives.filter((candidate) => candidate.parentId !== null)) {
      expect(creativesOf(String(creative.campaignId)).some((parent) => parent.id === creative.parentId)).toBe(true);
    }
  });
});
