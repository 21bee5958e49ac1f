/** One id field of each of the four types in one operation: the query the reliability suites send. */
export const ALL_TYPES_QUERY = `query All($builds: [ID!]!, $findings: [FindingIdentifier!]!, $arns: [ID!]!, $scans: [ID!]!) {
  builds(ids: $builds) { id }
  findings(identifiers: $findings) { id }
  findingDetails(findingArns: $arns) { findingArn }
  scans(ids: $scans) { id }
}`;
