import type { UpstreamExamples } from '../core/upstream.js';
import type { InspectorData } from './data.js';

/** The demo's Inspector tabs: details from two regions in one query, and discovering findings (ListFindings). */
export function inspector2Examples(data: InspectorData): UpstreamExamples {
  const arns = [data.details[0]!.findingArn!, data.details.at(-1)!.findingArn!];
  return {
    tabs: [
      {
        title: 'Finding details from two regions (Inspector)\none call per region, found from each ARN',
        query: `query FindingDetails($arns: [ID!]!) {\n  findingDetails(findingArns: $arns) {\n    findingArn\n    riskScore\n    epssScore\n    cwes\n    ttps\n    cisaData { dateAdded dateDue action }\n  }\n}`,
        variables: { arns },
      },
      {
        title: 'Discover Inspector findings (ListFindings)\nfiltered, sorted; details in batches of 10',
        query: `query Inspector($region: String, $filter: InspectorFindingFilter, $after: String) {\n  inspectorFindings(region: $region, filter: $filter, sort: { field: INSPECTOR_SCORE, sortOrder: DESC }, first: 10, after: $after) {\n    nodes {\n      findingArn\n      title\n      severity\n      status\n      inspectorScore\n      resources { type id }\n      packageVulnerabilityDetails { vulnerabilityId vulnerablePackages { name version fixedInVersion } }\n      detail { riskScore epssScore cisaData { dateDue } }\n    }\n    pageInfo { hasNextPage endCursor }\n  }\n}`,
        variables: {
          region: 'us-east-1',
          filter: {
            severity: [
              { comparison: 'EQUALS', value: 'CRITICAL' },
              { comparison: 'EQUALS', value: 'HIGH' },
            ],
            findingStatus: [{ comparison: 'EQUALS', value: 'ACTIVE' }],
          },
        },
      },
    ],
    entity: {
      representation: { __typename: 'FindingDetail', findingArn: arns[0] },
      fragment: '... on FindingDetail { findingArn riskScore }',
    },
  };
}
