import type { Finding, FindingDetail, FindingDetailsError, ListFindingsRequest } from '@aws-sdk/client-inspector2';
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
  Finding as InspectorFinding,
  Remediation as InspectorRemediation,
  Recommendation as InspectorRecommendation,
  Resource as InspectorResource,
  ResourceDetails as InspectorResourceDetails,
  AwsEc2InstanceDetails as InspectorAwsEc2InstanceDetails,
  AwsEcrContainerImageDetails as InspectorAwsEcrContainerImageDetails,
  AwsLambdaFunctionDetails as InspectorAwsLambdaFunctionDetails,
  LambdaVpcConfig as InspectorLambdaVpcConfig,
  CodeRepositoryDetails as InspectorCodeRepositoryDetails,
  Vm as InspectorVm,
  Image as InspectorImage,
  ServerlessFunction as InspectorServerlessFunction,
  InspectorScoreDetails as InspectorInspectorScoreDetails,
  CvssScoreDetails as InspectorCvssScoreDetails,
  CvssScoreAdjustment as InspectorCvssScoreAdjustment,
  NetworkReachabilityDetails as InspectorNetworkReachabilityDetails,
  PortRange as InspectorPortRange,
  NetworkPath as InspectorNetworkPath,
  Step as InspectorStep,
  PackageVulnerabilityDetails as InspectorPackageVulnerabilityDetails,
  VulnerablePackage as InspectorVulnerablePackage,
  CvssScore as InspectorCvssScore,
  ExploitabilityDetails as InspectorExploitabilityDetails,
  CodeVulnerabilityDetails as InspectorCodeVulnerabilityDetails,
  CodeFilePath as InspectorCodeFilePath,
  EpssDetails as InspectorEpssDetails,
} from '@aws-sdk/client-inspector2';

/** A page of `inspectorFindings`, as src/discovery/connection.ts builds it (nodes may be pending). */
export interface InspectorFindingConnection {
  edges: InspectorFindingEdge[];
  nodes: Array<Finding | Promise<Finding>>;
  pageInfo: InspectorPageInfo;
}
export interface InspectorFindingEdge {
  cursor: string;
  node: Finding | Promise<Finding>;
}
export interface InspectorPageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

/** How errors, logs and metrics name Amazon Inspector: `extensions.upstream`, the metric label, the message label. */
export const INSPECTOR2 = { name: 'inspector2', label: 'Amazon Inspector' } as const satisfies UpstreamIdentity;

/** The region a finding ARN names (its fourth field); only meaningful on ARNs that passed validation. */
export const regionOf = (findingArn: string): string => findingArn.split(':')[3]!;

export interface BatchGetFindingDetailsResult {
  findingDetails: FindingDetail[];
  errors: FindingDetailsError[];
}

export interface ListFindingsResult {
  findings: Finding[];
  /** Absent on the last page. */
  nextToken?: string;
}

/** What the loader and the discovery field need from Inspector: one call in a given region. */
export interface Inspector2Api {
  /** The region `inspectorFindings` lists when it is given none: the configured AWS_REGION. */
  readonly defaultRegion: string;
  batchGetFindingDetails(region: string, findingArns: readonly string[], signal: AbortSignal): Promise<BatchGetFindingDetailsResult>;
  /** One ListFindings page (`request` already validated: maxResults, filterCriteria, sortCriteria, nextToken). */
  listFindings(region: string, request: ListFindingsRequest, signal: AbortSignal): Promise<ListFindingsResult>;
}
