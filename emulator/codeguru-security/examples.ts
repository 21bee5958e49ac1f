import type { UpstreamExamples } from '../core/upstream.js';
import type { SeededFinding } from './data.js';

/** The demo's CodeGuru Security tabs: two findings by their compound key, and discovery (scans, then each scan's findings). */
export function codeguruSecurityExamples(findings: readonly SeededFinding[]): UpstreamExamples {
  const [a, b] = findings;
  return {
    tabs: [
      {
        title: 'Findings (CodeGuru Security BatchGetFindings)\nthe key is scanName + id',
        query: `query Findings($identifiers: [FindingIdentifier!]!) {\n  findings(identifiers: $identifiers) {\n    scanName\n    id\n    title\n    severity\n    status\n    vulnerability { filePath { path startLine codeSnippet { number content } } }\n    remediation { recommendation { text url } suggestedFixes { code } }\n  }\n}`,
        variables: { identifiers: [a, b].map((seeded) => ({ scanName: seeded!.scanName, findingId: seeded!.finding.id })) },
      },
      {
        title: 'Discover scans and findings\n1 ListScans + 1 GetFindings a scan',
        query: `query Scans($first: Int, $after: String) {\n  codeGuruSecurityScans(first: $first, after: $after) {\n    nodes {\n      scanName\n      scanState\n      createdAt\n      runId\n      openFindings: findings(status: OPEN, first: 3) {\n        nodes { id title severity }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n    pageInfo { hasNextPage endCursor }\n  }\n}`,
        variables: { first: 3, after: null },
      },
    ],
    entity: {
      representation: { __typename: 'Finding', scanName: a!.scanName, id: a!.finding.id },
      fragment: '... on Finding { scanName id severity }',
    },
  };
}
