import {
  BatchGetBuildsCommand,
  BatchGetBuildsOutput$,
  CodeBuildClient,
  ListBuildsCommand,
  ListBuildsForProjectCommand,
  ListProjectsCommand,
} from '@aws-sdk/client-codebuild';
import { AwsJson1_1Protocol } from '@aws-sdk/core/protocols';
import type { AwsConfig } from '../../config/aws.js';
import { withAwsSpan } from '../../observability/tracing-upstream.js';
import { awsClientOptions } from '../aws/client-options.js';
import { withLeanDeserializer } from '../aws/lean-deserializer.js';
import { awsCallGate, withoutSdkResponseLogging } from '../aws/sdk-tuning.js';
import type { CodeBuildApi } from './model.js';

export type { BatchGetBuildsResult, Build, CodeBuildApi, CodeBuildListPage } from './model.js';

/** The client's own protocol (awsJson1_1), with BatchGetBuilds answers read by the lean deserializer. */
export const LEAN_CODEBUILD_PROTOCOL = withLeanDeserializer(AwsJson1_1Protocol, [BatchGetBuildsOutput$]);

/**
 * The official SDK client, created once per process. Region, credentials and endpoint come from
 * src/config, resolved once with the SDK's own precedence (`AWS_ENDPOINT_URL_CODEBUILD`,
 * `AWS_ENDPOINT_URL`, shared config), which is also how the emulator is reached.
 */
export function createCodeBuildApi(
  aws: AwsConfig,
  onLimiterWait?: (seconds: number) => void,
  { leanDeserializer = true }: { leanDeserializer?: boolean } = {},
): CodeBuildApi {
  const client = new CodeBuildClient({ ...awsClientOptions(aws), ...(leanDeserializer ? { protocol: LEAN_CODEBUILD_PROTOCOL } : {}) });
  withoutSdkResponseLogging(client);
  const gated = awsCallGate(aws.maxConcurrentCalls, onLimiterWait);
  // The list calls take the same gate, span and signal as BatchGetBuilds: one client, one allowance of calls in flight.
  const send = <Output>(operation: string, call: () => Promise<Output>, signal: AbortSignal): Promise<Output> =>
    gated(() => withAwsSpan('CodeBuild', operation, aws.region, call), signal);
  return {
    region: aws.region,
    async batchGetBuilds(ids, signal) {
      const output = await gated(
        () =>
          withAwsSpan('CodeBuild', 'BatchGetBuilds', aws.region, () =>
            client.send(new BatchGetBuildsCommand({ ids: [...ids] }), { abortSignal: signal }),
          ),
        signal,
      );
      return { builds: output.builds ?? [], buildsNotFound: output.buildsNotFound ?? [] };
    },
    async listProjects({ sortBy, sortOrder, nextToken }, signal) {
      const output = await send(
        'ListProjects',
        () => client.send(new ListProjectsCommand({ sortBy, sortOrder, nextToken }), { abortSignal: signal }),
        signal,
      );
      return { items: output.projects ?? [], nextToken: output.nextToken || undefined };
    },
    async listBuildsForProject({ projectName, sortOrder, nextToken }, signal) {
      const output = await send(
        'ListBuildsForProject',
        () => client.send(new ListBuildsForProjectCommand({ projectName, sortOrder, nextToken }), { abortSignal: signal }),
        signal,
      );
      return { items: output.ids ?? [], nextToken: output.nextToken || undefined };
    },
    async listBuilds({ sortOrder, nextToken }, signal) {
      const output = await send(
        'ListBuilds',
        () => client.send(new ListBuildsCommand({ sortOrder, nextToken }), { abortSignal: signal }),
        signal,
      );
      return { items: output.ids ?? [], nextToken: output.nextToken || undefined };
    },
  };
}
