import type { UpstreamExamples } from '../core/upstream.js';
import type { InspectorData } from './data.js';

/** The demo's Inspector tab: details from two regions in one query. */
export function inspector2Examples(data: InspectorData): UpstreamExamples {
  const arns = [data.details[0]!.findingArn!, data.details.at(-1)!.findingArn!];
  return {
    tabs: [
      {
        title: 'Finding details from two regions (Inspector)\none call per region, found from each ARN',
        query: `query FindingDetails($arns: [ID!]!) {\n  findingDetails(findingArns: $arns) {\n    findingArn\n    riskScore\n    epssScore\n    cwes\n    ttps\n    cisaData { dateAdded dateDue action }\n  }\n}`,
        variables: { arns },
      },
    ],
    entity: {
      representation: { __typename: 'FindingDetail', findingArn: arns[0] },
      fragment: '... on FindingDetail { findingArn riskScore }',
    },
  };
}
