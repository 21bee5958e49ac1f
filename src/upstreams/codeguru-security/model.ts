import type { Connection, Edge, PageInfo } from '../../discovery/connection.js';
import type { SubgraphError, UpstreamIdentity } from '../../errors.js';
import type { BatchGetFindingsError, Finding as UpstreamFinding, FindingIdentifier, ScanSummary, Status } from './sdk/index.js';

export type { BatchGetFindingsError, FindingIdentifier, UpstreamFinding };
/**
 * The upstream shapes the object types of schema/codeguru-security.graphql resolve from, under their GraphQL names: the model's
 * shape name with the upstream prefix (codegen.ts maps each type to the export of the same name here).
 */
export type {
  CodeLine as CodeGuruSecurityCodeLine,
  FilePath as CodeGuruSecurityFilePath,
  Recommendation as CodeGuruSecurityRecommendation,
  Remediation as CodeGuruSecurityRemediation,
  Resource as CodeGuruSecurityResource,
  ScanSummary as CodeGuruSecurityScanSummary,
  SuggestedFix as CodeGuruSecuritySuggestedFix,
  Vulnerability as CodeGuruSecurityVulnerability,
} from './sdk/index.js';

/** A finding as the subgraph serves it: the upstream record plus the scan name it was asked under, which the record does not carry. */
export type Finding = UpstreamFinding & { scanName: string; id: string };

/** How errors, logs and metrics name Amazon CodeGuru Security: `extensions.upstream`, the metric label, the message label. */
export const CODEGURU_SECURITY = { name: 'codeguru-security', label: 'Amazon CodeGuru Security' } as const satisfies UpstreamIdentity;

export interface BatchGetFindingsResult {
  findings: UpstreamFinding[];
  failedFindings: BatchGetFindingsError[];
}

/** One page of a list operation: its items and the token of the next page (undefined on the last). */
export interface CodeGuruSecurityPage<Item> {
  items: Item[];
  nextToken?: string | undefined;
}

/** The arguments of one GetFindings call. */
export interface GetFindingsPage {
  scanName: string;
  status?: Status | undefined;
  nextToken?: string | undefined;
  maxResults: number;
}

/** What the loader and the discovery fields need from CodeGuru Security: `BatchGetFindings`, `ListScans`, `GetFindings`. */
export interface CodeGuruSecurityApi {
  /** Set when the upstream is switched off: every lookup is answered with it, and nothing is called. */
  readonly disabled?: SubgraphError;
  batchGetFindings(identifiers: readonly FindingIdentifier[], signal: AbortSignal): Promise<BatchGetFindingsResult>;
  listScans(page: { nextToken?: string | undefined; maxResults: number }, signal: AbortSignal): Promise<CodeGuruSecurityPage<ScanSummary>>;
  getFindings(page: GetFindingsPage, signal: AbortSignal): Promise<CodeGuruSecurityPage<UpstreamFinding>>;
}

/** The connection types of schema/codeguru-security.graphql, as src/discovery/connection.ts builds them (a node may still be loading). */
export type CodeGuruSecurityPageInfo = PageInfo;
export type CodeGuruSecurityScanSummaryEdge = Edge<ScanSummary>;
export type CodeGuruSecurityScanSummaryConnection = Connection<ScanSummary>;
export type CodeGuruSecurityFindingEdge = Edge<Finding>;
export type CodeGuruSecurityFindingConnection = Connection<Finding>;
