import type { Build } from '@aws-sdk/client-codebuild';
import type { UpstreamIdentity } from '../../errors.js';

/** The upstream shapes the object types of schema/codebuild.graphql resolve from, under their GraphQL names (codegen.ts maps each type to the export of the same name here). */
export type {
  BuildPhase,
  PhaseContext,
  ProjectSource,
  GitSubmodulesConfig,
  SourceAuth,
  BuildStatusConfig,
  ProjectSourceVersion,
  BuildArtifacts,
  ProjectCache,
  ProjectEnvironment,
  ComputeConfiguration,
  ProjectFleet,
  EnvironmentVariable,
  RegistryCredential,
  DockerServer,
  DockerServerStatus,
  LogsLocation,
  CloudWatchLogsConfig,
  S3LogsConfig,
  VpcConfig,
  NetworkInterface,
  ExportedEnvironmentVariable,
  ProjectFileSystemLocation,
  DebugSession,
  AutoRetryConfig,
} from '@aws-sdk/client-codebuild';
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
