import type { EmulatorData } from '../emulator/index.js';

export interface GraphQLBody {
  query: string;
  variables?: Record<string, unknown>;
}

/** A realistic mix of frontend and router queries over the seeded data of all four types. */
export function mixedRequests(data: EmulatorData): GraphQLBody[] {
  const buildIds = data.builds.map((build) => build.id!);
  const findings = data.findings.map(({ scanName, finding }) => ({ scanName, findingId: finding.id! }));
  const arns = data.inspector.details.map((detail) => detail.findingArn!);
  const scanIds = data.scans.map((scan) => String(scan.id));
  const bodies: GraphQLBody[] = [];
  for (let i = 0; i < 20; i += 1) {
    bodies.push({
      query: 'query One($id: ID!) { build(id: $id) { id buildStatus projectName startTime endTime } }',
      variables: { id: buildIds[i]! },
    });
    bodies.push({
      query:
        'query Dashboard($ids: [ID!]!) { builds(ids: $ids) { id buildStatus currentPhase phases { phaseType phaseStatus durationInSeconds } } }',
      variables: { ids: buildIds.slice(i * 10, i * 10 + 25) },
    });
    bodies.push({
      query:
        'query Findings($keys: [FindingIdentifier!]!) { findings(identifiers: $keys) { scanName id title severity vulnerability { filePath { path startLine } } } }',
      variables: { keys: findings.slice(i * 7, i * 7 + 30) },
    });
    bodies.push({
      query: 'query Details($arns: [ID!]!) { findingDetails(findingArns: $arns) { findingArn riskScore epssScore cisaData { dateDue } } }',
      // Every 37th ARN: a spread across the three regions.
      variables: { arns: arns.filter((_, j) => j % 37 === i % 37).slice(0, 20) },
    });
    bodies.push({
      query: 'query Scan($id: ID!) { scan(id: $id) { id processingStatus nbIssues tests { name result } } }',
      variables: { id: scanIds[i]! },
    });
    bodies.push({
      query:
        'query Entities($r: [_Any!]!) { _entities(representations: $r) { ... on Build { id buildStatus environment { image computeType } } ... on Finding { scanName id severity } ... on FindingDetail { findingArn riskScore } } }',
      variables: {
        r: [
          ...buildIds.slice(i * 5, i * 5 + 30).map((id) => ({ __typename: 'Build', id })),
          ...findings.slice(i * 3, i * 3 + 10).map(({ scanName, findingId }) => ({ __typename: 'Finding', scanName, id: findingId })),
          ...arns.slice(i * 4, i * 4 + 10).map((findingArn) => ({ __typename: 'FindingDetail', findingArn })),
        ],
      },
    });
  }
  return bodies;
}
