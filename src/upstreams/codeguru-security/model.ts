import type { SubgraphError, UpstreamIdentity } from '../../errors.js';
import type { BatchGetFindingsError, Finding, FindingIdentifier } from './sdk/index.js';

export type { BatchGetFindingsError, Finding, FindingIdentifier };

/** How errors, logs and metrics name Amazon CodeGuru Security: `extensions.upstream`, the metric label, the message label. */
export const CODEGURU_SECURITY = { name: 'codeguru-security', label: 'Amazon CodeGuru Security' } as const satisfies UpstreamIdentity;

export interface BatchGetFindingsResult {
  findings: Finding[];
  failedFindings: BatchGetFindingsError[];
}

/** What the loader needs from CodeGuru Security: one `BatchGetFindings` call. */
export interface CodeGuruSecurityApi {
  /** Set when the upstream is switched off: every lookup is answered with it, and nothing is called. */
  readonly disabled?: SubgraphError;
  batchGetFindings(identifiers: readonly FindingIdentifier[], signal: AbortSignal): Promise<BatchGetFindingsResult>;
}
