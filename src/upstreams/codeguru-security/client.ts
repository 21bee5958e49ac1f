import { AwsRestJsonProtocol } from '@aws-sdk/core/protocols';
import type { AwsConfig } from '../../config/aws.js';
import { withAwsSpan } from '../../observability/tracing-upstream.js';
import type { CodeGuruSecurityConfig } from './settings.js';
import { awsClientOptions } from '../aws/client-options.js';
import { withLeanDeserializer } from '../aws/lean-deserializer.js';
import { awsCallGate, withoutSdkResponseLogging } from '../aws/sdk-tuning.js';
import { disabledCodeGuruSecurityApi } from './disabled.js';
import type { CodeGuruSecurityApi } from './model.js';
import {
  BatchGetFindingsCommand,
  BatchGetFindingsResponse$,
  CodeGuruSecurityClient,
  GetFindingsCommand,
  ListScansCommand,
} from './sdk/index.js';

export type { BatchGetFindingsError, BatchGetFindingsResult, CodeGuruSecurityApi, Finding, FindingIdentifier } from './model.js';

/** The client's own protocol (restJson1), with BatchGetFindings answers read by the lean deserializer. */
export const LEAN_CODEGURU_SECURITY_PROTOCOL = withLeanDeserializer(AwsRestJsonProtocol, [BatchGetFindingsResponse$]);

/**
 * One client per process; credentials and endpoint come from src/config (resolved once, as the SDK would), the region is
 * CodeGuru Security's own (CODEGURU_SECURITY_REGION, else AWS_REGION).
 */
export function createCodeGuruSecurityApi(
  aws: AwsConfig,
  onLimiterWait?: (seconds: number) => void,
  settings: CodeGuruSecurityConfig = { enabled: true, region: aws.region, leanDeserializer: true },
): CodeGuruSecurityApi {
  if (!settings.enabled) return disabledCodeGuruSecurityApi();
  // The same options as the official clients (retry mode or strategy, per-attempt timeout).
  const client = new CodeGuruSecurityClient({
    ...awsClientOptions(aws, settings.region),
    ...(settings.leanDeserializer ? { protocol: LEAN_CODEGURU_SECURITY_PROTOCOL } : {}),
  });
  // A generated client's middleware stack now, so the same response-copying logger goes.
  withoutSdkResponseLogging(client);
  const gated = awsCallGate(aws.maxConcurrentCalls, onLimiterWait);
  return {
    async batchGetFindings(identifiers, signal) {
      const output = await gated(
        () =>
          withAwsSpan('CodeGuruSecurity', 'BatchGetFindings', settings.region, () =>
            client.send(new BatchGetFindingsCommand({ findingIdentifiers: [...identifiers] }), { abortSignal: signal }),
          ),
        signal,
      );
      return { findings: output.findings, failedFindings: output.failedFindings };
    },
    // The list calls share the batch call's gate and span naming: one budget of calls in flight per API.
    async listScans({ nextToken, maxResults }, signal) {
      const output = await gated(
        () =>
          withAwsSpan('CodeGuruSecurity', 'ListScans', settings.region, () =>
            client.send(new ListScansCommand({ nextToken, maxResults }), { abortSignal: signal }),
          ),
        signal,
      );
      return { items: output.summaries ?? [], nextToken: output.nextToken };
    },
    async getFindings({ scanName, status, nextToken, maxResults }, signal) {
      const output = await gated(
        () =>
          withAwsSpan('CodeGuruSecurity', 'GetFindings', settings.region, () =>
            client.send(new GetFindingsCommand({ scanName, status, nextToken, maxResults }), { abortSignal: signal }),
          ),
        signal,
      );
      return { items: output.findings ?? [], nextToken: output.nextToken };
    },
  };
}
