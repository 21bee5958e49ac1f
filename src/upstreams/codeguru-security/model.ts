import type { SubgraphError, UpstreamIdentity } from '../../errors.js';
import type { BatchGetFindingsError, Finding as UpstreamFinding, FindingIdentifier } from './sdk/index.js';

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

/** What the loader needs from CodeGuru Security: one `BatchGetFindings` call. */
export interface CodeGuruSecurityApi {
  /** Set when the upstream is switched off: every lookup is answered with it, and nothing is called. */
  readonly disabled?: SubgraphError;
  batchGetFindings(identifiers: readonly FindingIdentifier[], signal: AbortSignal): Promise<BatchGetFindingsResult>;
}
