import type { Scan } from '../../src/upstreams/advalidation/client.js';
import type { UpstreamExamples } from '../core/upstream.js';

/** The demo's Advalidation tab: a finished scan with its checks. */
export function advalidationExamples(scans: readonly Scan[]): UpstreamExamples {
  const scan = scans.find((candidate) => candidate.processingStatus === 'finished')!;
  return {
    tabs: [
      {
        title: 'A scan with its checks (Advalidation)\nits tests are fetched only when selected',
        query: `query Scan($id: ID!) {\n  scan(id: $id) {\n    id\n    processingStatus\n    sequenceType\n    nbIssues\n    finishedAt\n    tests { name result valueFormatted valuePhrase }\n  }\n}`,
        variables: { id: String(scan.id) },
      },
    ],
    entity: { representation: { __typename: 'Scan', id: String(scan.id) }, fragment: '... on Scan { id processingStatus }' },
  };
}
