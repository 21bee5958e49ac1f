import type { Scan } from '../../src/upstreams/advalidation/client.js';
import type { UpstreamExamples } from '../core/upstream.js';

/**
 * The demo's Advalidation tabs: a finished scan with its checks, and discovery (campaigns, their
 * creatives and each creative's latest scan, paged with cursors).
 */
export function advalidationExamples(scans: readonly Scan[]): UpstreamExamples {
  const scan = scans.find((candidate) => candidate.processingStatus === 'finished')!;
  return {
    tabs: [
      {
        title: 'A scan with its checks (Advalidation)\nits tests are fetched only when selected',
        query: `query Scan($id: ID!) {\n  scan(id: $id) {\n    id\n    processingStatus\n    sequenceType\n    nbIssues\n    finishedAt\n    tests { name result valueFormatted valuePhrase }\n  }\n}`,
        variables: { id: String(scan.id) },
      },
      {
        title: 'Discover campaigns (Advalidation)\ncreatives and their latest scans',
        query: `query Campaigns($after: String) {\n  advalidationCampaigns(first: 3, after: $after) {\n    pageInfo { hasNextPage endCursor }\n    nodes {\n      id\n      name\n      adspecId\n      creatives(first: 5) {\n        pageInfo { hasNextPage endCursor }\n        nodes {\n          id\n          name\n          sourceType\n          latestScanStatus { id processingStatus }\n          latestScan { id processingStatus nbIssues finishedAt }\n        }\n      }\n    }\n  }\n}`,
        variables: { after: null },
      },
    ],
    entity: { representation: { __typename: 'Scan', id: String(scan.id) }, fragment: '... on Scan { id processingStatus }' },
  };
}
