import type { AwsConfig } from '../../config.js';
import { processWideLimiter } from '../aws-sdk-tuning.js';
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
  batchGetFindings(identifiers: readonly FindingIdentifier[], signal: AbortSignal): Promise<BatchGetFindingsResult>;
}

/** One client per process; region, credentials and endpoint resolve as in any AWS tool. */
export function createCodeGuruSecurityApi(aws: AwsConfig, onLimiterWait?: (seconds: number) => void): CodeGuruSecurityApi {
  const client = new CodeGuruSecurityClient({
    region: aws.region,
    maxAttempts: aws.maxAttempts,
    retryBaseDelayMs: aws.retryBaseDelayMs,
    requestTimeoutMs: aws.attemptTimeoutMs,
  });
  const limited = processWideLimiter(aws.maxConcurrentCalls, onLimiterWait);
  return {
    async batchGetFindings(identifiers, signal) {
      const output = await limited(() => client.send(new BatchGetFindingsCommand({ findingIdentifiers: [...identifiers] }), { abortSignal: signal }), signal);
      return { findings: output.findings, failedFindings: output.failedFindings };
    },
  };
}
