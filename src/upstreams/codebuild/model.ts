import type { Build } from '@aws-sdk/client-codebuild';
import type { UpstreamIdentity } from '../../errors.js';

export type { Build };

/** How errors, logs and metrics name AWS CodeBuild: `extensions.upstream`, the metric label, the message label. */
export const CODEBUILD = { name: 'codebuild', label: 'AWS CodeBuild' } as const satisfies UpstreamIdentity;

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
