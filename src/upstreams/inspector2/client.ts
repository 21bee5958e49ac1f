import { BatchGetFindingDetailsCommand, Inspector2Client, type FindingDetail, type FindingDetailsError } from '@aws-sdk/client-inspector2';
import type { AwsConfig } from '../../config.js';
import { processWideLimiter, sdkClientOptions, withoutSdkResponseLogging } from '../aws-sdk-tuning.js';

export type { FindingDetail, FindingDetailsError };

export interface BatchGetFindingDetailsResult {
  findingDetails: FindingDetail[];
  errors: FindingDetailsError[];
}

/** What the loader needs from Inspector: one `BatchGetFindingDetails` call in a given region. */
export interface Inspector2Api {
  batchGetFindingDetails(region: string, findingArns: readonly string[], signal: AbortSignal): Promise<BatchGetFindingDetailsResult>;
}

/**
 * One official SDK client per region, created on first use and kept for the process: a
 * finding ARN names its region, and each region's calls must be signed for it. Endpoint
 * overrides (`AWS_ENDPOINT_URL_INSPECTOR2`, `AWS_ENDPOINT_URL`) apply to every region's client.
 */
export function createInspector2Api(aws: AwsConfig, onLimiterWait?: (seconds: number) => void): Inspector2Api {
  const clients = new Map<string, Inspector2Client>();
  // Inspector throttles per region: one process-wide cap per region.
  const limiters = new Map<string, ReturnType<typeof processWideLimiter>>();
  const clientFor = (region: string) => {
    let client = clients.get(region);
    if (!client) {
      client = new Inspector2Client(sdkClientOptions(aws, region));
      withoutSdkResponseLogging(client);
      clients.set(region, client);
    }
    return client;
  };
  return {
    async batchGetFindingDetails(region, findingArns, signal) {
      let limited = limiters.get(region);
      if (!limited) limiters.set(region, (limited = processWideLimiter(aws.maxConcurrentCalls, onLimiterWait)));
      const client = clientFor(region);
      const output = await limited(() => client.send(new BatchGetFindingDetailsCommand({ findingArns: [...findingArns] }), { abortSignal: signal }), signal);
      return { findingDetails: output.findingDetails ?? [], errors: output.errors ?? [] };
    },
  };
}
