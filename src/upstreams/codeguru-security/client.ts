import type { AwsConfig } from '../../config.js';
import { processWideLimiter, sdkClientOptions, withoutSdkResponseLogging } from '../aws-sdk-tuning.js';
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
  // The same options as the official clients (retry mode or strategy, per-attempt timeout).
  const client = new CodeGuruSecurityClient(sdkClientOptions(aws));
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
