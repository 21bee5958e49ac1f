import { BatchGetBuildsCommand, CodeBuildClient, type Build } from '@aws-sdk/client-codebuild';
import type { AwsConfig } from '../../config/aws.js';
import { awsClientOptions } from '../aws-clients.js';
import { processWideLimiter, withoutSdkResponseLogging } from '../aws-sdk-tuning.js';

export type { Build };

export interface BatchGetBuildsResult {
  builds: Build[];
  buildsNotFound: string[];
}

/** What the loader needs from CodeBuild: one `BatchGetBuilds` call. */
export interface CodeBuildApi {
  /** The region the client reads: a build ARN naming another one cannot be answered. */
  readonly region: string;
  batchGetBuilds(ids: readonly string[], signal: AbortSignal): Promise<BatchGetBuildsResult>;
}

/**
 * The official SDK client, created once per process. Region, credentials (default provider
 * chain) and endpoint (`AWS_ENDPOINT_URL_CODEBUILD`, `AWS_ENDPOINT_URL`, shared config) are
 * resolved by the SDK exactly as in any AWS tool, which is also how the emulator is reached.
 */
export function createCodeBuildApi(aws: AwsConfig, onLimiterWait?: (seconds: number) => void): CodeBuildApi {
  const client = new CodeBuildClient(awsClientOptions(aws));
  withoutSdkResponseLogging(client);
  const limited = processWideLimiter(aws.maxConcurrentCalls, onLimiterWait);
  return {
    region: aws.region,
    async batchGetBuilds(ids, signal) {
      const output = await limited(() => client.send(new BatchGetBuildsCommand({ ids: [...ids] }), { abortSignal: signal }), signal);
      return { builds: output.builds ?? [], buildsNotFound: output.buildsNotFound ?? [] };
    },
  };
}
