import type { UpstreamExamples } from '../core/upstream.js';
import type { SeededFinding } from './data.js';

/** The demo's CodeGuru Security tab: two findings by their compound key. */
export function codeguruSecurityExamples(findings: readonly SeededFinding[]): UpstreamExamples {
  const [a, b] = findings;
  return {
    tabs: [
      {
        title: 'Findings (CodeGuru Security BatchGetFindings)\nthe key is scanName + id',
        query: `query Findings($identifiers: [FindingIdentifier!]!) {\n  findings(identifiers: $identifiers) {\n    scanName\n    id\n    title\n    severity\n    status\n    vulnerability { filePath { path startLine codeSnippet { number content } } }\n    remediation { recommendation { text url } suggestedFixes { code } }\n  }\n}`,
        variables: { identifiers: [a, b].map((seeded) => ({ scanName: seeded!.scanName, findingId: seeded!.finding.id })) },
      },
    ],
    entity: {
      representation: { __typename: 'Finding', scanName: a!.scanName, id: a!.finding.id },
      fragment: '... on Finding { scanName id severity }',
    },
  };
}
