import type { AwsConfig } from '../../config/aws.js';
import type { CodeGuruSecurityConfig } from './settings.js';
import type { SubgraphError } from '../../errors.js';
import { awsClientOptions } from '../aws-clients.js';
import { processWideLimiter, withoutSdkResponseLogging } from '../aws-sdk-tuning.js';
import { disabledCodeGuruSecurityApi } from './disabled.js';
import {
  BatchGetFindingsCommand,
  CodeGuruSecurityClient,
  type BatchGetFindingsError,
  type Finding,
  type FindingIdentifier,
} from './sdk/index.js';

export type { BatchGetFindingsError, Finding, FindingIdentifier };

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

/**
 * One client per process; credentials and endpoint resolve as in any AWS tool, the region is
 * CodeGuru Security's own (CODEGURU_SECURITY_REGION, else AWS_REGION).
 */
export function createCodeGuruSecurityApi(
  aws: AwsConfig,
  onLimiterWait?: (seconds: number) => void,
  settings: CodeGuruSecurityConfig = { enabled: true, region: aws.region },
): CodeGuruSecurityApi {
  if (!settings.enabled) return disabledCodeGuruSecurityApi();
  // The same options as the official clients (retry mode or strategy, per-attempt timeout).
  const client = new CodeGuruSecurityClient(awsClientOptions(aws, settings.region));
  // A generated client's middleware stack now, so the same response-copying logger goes.
  withoutSdkResponseLogging(client);
  const limited = processWideLimiter(aws.maxConcurrentCalls, onLimiterWait);
  return {
    async batchGetFindings(identifiers, signal) {
      const output = await limited(() => client.send(new BatchGetFindingsCommand({ findingIdentifiers: [...identifiers] }), { abortSignal: signal }), signal);
      return { findings: output.findings, failedFindings: output.failedFindings };
    },
  };
}
