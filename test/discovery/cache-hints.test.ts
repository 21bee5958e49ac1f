import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../testkit/stack.js';

/**
 * A discovery page is cacheable for CACHE_MAX_AGE_LISTS at most, and never longer than the
 * entities on it allow: a page of builds holding one in progress is the active max-age.
 */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    env: { CACHE_MAX_AGE_SETTLED: '3600', CACHE_MAX_AGE_ACTIVE: '7', CACHE_MAX_AGE_FINDINGS: '120', CACHE_MAX_AGE_LISTS: '30' },
  });
});
afterAll(() => stack.stop());

async function cacheControl(query: string, variables: Record<string, unknown> = {}): Promise<string | null> {
  const response = await fetch(`${stack.subgraph.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { errors?: unknown[] };
  expect(body.errors).toBeUndefined();
  return response.headers.get('cache-control');
}

const projectOf = (complete: boolean) => {
  const byProject = new Map<string, boolean[]>();
  for (const build of stack.emulator.data.builds) {
    const name = build.projectName!;
    byProject.set(name, [...(byProject.get(name) ?? []), build.buildComplete === true]);
  }
  const found = [...byProject].find(([, states]) => (complete ? states.every(Boolean) : states.includes(false)) && states.length <= 100);
  return found![0];
};

describe('cache hints of discovery pages', () => {
  it('a page of completed builds: the list max-age, through nodes and edges', async () => {
    const project = projectOf(true);
    expect(
      await cacheControl(`query($p: String!) { projectBuilds(projectName: $p, first: 100) { nodes { id buildStatus } } }`, { p: project }),
    ).toBe('max-age=30, public');
    expect(
      await cacheControl(`query($p: String!) { projectBuilds(projectName: $p, first: 100) { edges { node { id } } } }`, { p: project }),
    ).toBe('max-age=30, public');
  });

  it('a page holding a build in progress: the active max-age', async () => {
    expect(
      await cacheControl(`query($p: String!) { projectBuilds(projectName: $p, first: 100) { nodes { id buildStatus } } }`, {
        p: projectOf(false),
      }),
    ).toBe('max-age=7, public');
  });

  it('projects, scans, findings, Inspector findings and campaigns are list pages', async () => {
    expect(await cacheControl(`{ codeBuildProjects(first: 3) { nodes { name } pageInfo { hasNextPage } } }`)).toBe('max-age=30, public');
    expect(await cacheControl(`{ codeGuruSecurityScans(first: 2) { nodes { scanName findings(first: 3) { nodes { id title } } } } }`)).toBe(
      'max-age=30, public',
    );
    expect(await cacheControl(`{ inspectorFindings(first: 5) { nodes { findingArn severity detail { riskScore } } } }`)).toBe(
      'max-age=30, public',
    );
    expect(await cacheControl(`{ advalidationCampaigns(first: 2) { nodes { id name creatives(first: 2) { nodes { id name } } } } }`)).toBe(
      'max-age=30, public',
    );
  });

  it('a page of creatives with one never scanned keeps the list max-age (the null latestScan is a fact of the page)', async () => {
    const catalog = stack.emulator.controls.advalidation.catalog;
    const campaign = catalog.campaigns.find((c) =>
      (catalog.creatives.get(String(c.id)) ?? []).some((creative) => !creative.latestScanStatus),
    )!;
    const response = await fetch(`${stack.subgraph.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `query($c: ID!) { advalidationCampaignCreatives(campaignId: $c, first: 100) { nodes { id latestScan { id processingStatus } } } }`,
        variables: { c: String(campaign.id) },
      }),
    });
    const body = (await response.json()) as {
      errors?: unknown;
      data: { advalidationCampaignCreatives: { nodes: Array<{ latestScan: { processingStatus: string } | null }> } };
    };
    expect(body.errors).toBeUndefined();
    const nodes = body.data.advalidationCampaignCreatives.nodes;
    expect(nodes.some((node) => node.latestScan === null)).toBe(true);
    // The page's other scans still lower it: a scan in progress is the active max-age.
    const running = nodes.some(
      (node) => node.latestScan && !['finished', 'failed', 'cancelled'].includes(node.latestScan.processingStatus),
    );
    expect(response.headers.get('cache-control')).toBe(running ? 'max-age=7, public' : 'max-age=30, public');
  });
});
