import type { EmulatorData } from './emulator/index.js';
import type { ExampleQuery } from './graphiql/landing-page.js';

/** GraphiQL's opening tabs in the demo: one per entity type, with ids the emulator knows. */
export function demoExamples(data: EmulatorData): ExampleQuery[] {
  const buildIds = data.builds.slice(0, 3).map((build) => build.id!);
  const [a, b] = data.findings;
  const arns = [data.inspector.details[0]!.findingArn!, data.inspector.details.at(-1)!.findingArn!];
  const scan = data.scans.find((candidate) => candidate.processingStatus === 'finished')!;
  return [
    {
      title: 'Builds (CodeBuild BatchGetBuilds: up to 100 ids per call)',
      query: `query Builds($ids: [ID!]!) {\n  builds(ids: $ids) {\n    id\n    projectName\n    buildNumber\n    buildStatus\n    currentPhase\n    startTime\n    endTime\n    phases { phaseType phaseStatus durationInSeconds }\n    environment { image computeType }\n  }\n}`,
      variables: { ids: buildIds },
    },
    {
      title: 'Partial results: one good id, one unknown, one blank -> data for the good one, an error at each other index',
      query: `query Partial($ids: [ID!]!) {\n  builds(ids: $ids) {\n    id\n    buildStatus\n  }\n}`,
      variables: { ids: [buildIds[0], 'no-such-project:00000000-0000-0000-0000-000000000000', ''] },
    },
    {
      title: 'Findings (CodeGuru Security BatchGetFindings: key is scanName + id)',
      query: `query Findings($identifiers: [FindingIdentifier!]!) {\n  findings(identifiers: $identifiers) {\n    scanName\n    id\n    title\n    severity\n    status\n    vulnerability { filePath { path startLine codeSnippet { number content } } }\n    remediation { recommendation { text url } suggestedFixes { code } }\n  }\n}`,
      variables: { identifiers: [a, b].map((seeded) => ({ scanName: seeded!.scanName, findingId: seeded!.finding.id })) },
    },
    {
      title: 'Finding details from two regions (Inspector BatchGetFindingDetails, grouped by the region in each ARN)',
      query: `query Details($arns: [ID!]!) {\n  findingDetails(findingArns: $arns) {\n    findingArn\n    riskScore\n    epssScore\n    cwes\n    ttps\n    cisaData { dateAdded dateDue action }\n  }\n}`,
      variables: { arns },
    },
    {
      title: 'A scan with its checks (Advalidation; tests are fetched only when selected)',
      query: `query Scan($id: ID!) {\n  scan(id: $id) {\n    id\n    processingStatus\n    sequenceType\n    nbIssues\n    finishedAt\n    tests { name result valueFormatted valuePhrase }\n  }\n}`,
      variables: { id: String(scan.id) },
    },
    {
      title: 'What the router sends: _entities with representations of all four types',
      query: `query Entities($representations: [_Any!]!) {\n  _entities(representations: $representations) {\n    __typename\n    ... on Build { id buildStatus }\n    ... on Finding { scanName id severity }\n    ... on FindingDetail { findingArn riskScore }\n    ... on Scan { id processingStatus }\n  }\n}`,
      variables: {
        representations: [
          { __typename: 'Build', id: buildIds[0] },
          { __typename: 'Finding', scanName: a!.scanName, id: a!.finding.id },
          { __typename: 'FindingDetail', findingArn: arns[0] },
          { __typename: 'Scan', id: String(scan.id) },
        ],
      },
    },
  ];
}
