import type { FindingDetail, FindingDetailsError } from '@aws-sdk/client-inspector2';
import type { UpstreamIdentity } from '../../errors.js';

export type { FindingDetail, FindingDetailsError };
/**
 * The upstream shapes the object types of schema/inspector2.graphql resolve from, under their GraphQL names: the SDK's shape name
 * with the upstream prefix (codegen.ts maps each type to the export of the same name here).
 */
export type {
  CisaData as InspectorCisaData,
  Evidence as InspectorEvidence,
  ExploitObserved as InspectorExploitObserved,
} from '@aws-sdk/client-inspector2';

/** How errors, logs and metrics name Amazon Inspector: `extensions.upstream`, the metric label, the message label. */
export const INSPECTOR2 = { name: 'inspector2', label: 'Amazon Inspector' } as const satisfies UpstreamIdentity;

/** The region a finding ARN names (its fourth field); only meaningful on ARNs that passed validation. */
export const regionOf = (findingArn: string): string => findingArn.split(':')[3]!;

export interface BatchGetFindingDetailsResult {
  findingDetails: FindingDetail[];
  errors: FindingDetailsError[];
}

/** What the loader needs from Inspector: one `BatchGetFindingDetails` call in a given region. */
export interface Inspector2Api {
  batchGetFindingDetails(region: string, findingArns: readonly string[], signal: AbortSignal): Promise<BatchGetFindingDetailsResult>;
}
