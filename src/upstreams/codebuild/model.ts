import type { Build } from '@aws-sdk/client-codebuild';
import type { UpstreamIdentity } from '../../errors.js';

/**
 * The upstream shapes the object types of schema/codebuild.graphql resolve from, under their GraphQL names: the SDK's shape name
 * with the upstream prefix (codegen.ts maps each type to the export of the same name here).
 */
export type {
  BuildPhase as CodeBuildBuildPhase,
  PhaseContext as CodeBuildPhaseContext,
  ProjectSource as CodeBuildProjectSource,
  GitSubmodulesConfig as CodeBuildGitSubmodulesConfig,
  SourceAuth as CodeBuildSourceAuth,
  BuildStatusConfig as CodeBuildBuildStatusConfig,
  ProjectSourceVersion as CodeBuildProjectSourceVersion,
  BuildArtifacts as CodeBuildBuildArtifacts,
  ProjectCache as CodeBuildProjectCache,
  ProjectEnvironment as CodeBuildProjectEnvironment,
  ComputeConfiguration as CodeBuildComputeConfiguration,
  ProjectFleet as CodeBuildProjectFleet,
  EnvironmentVariable as CodeBuildEnvironmentVariable,
  RegistryCredential as CodeBuildRegistryCredential,
  DockerServer as CodeBuildDockerServer,
  DockerServerStatus as CodeBuildDockerServerStatus,
  LogsLocation as CodeBuildLogsLocation,
  CloudWatchLogsConfig as CodeBuildCloudWatchLogsConfig,
  S3LogsConfig as CodeBuildS3LogsConfig,
  VpcConfig as CodeBuildVpcConfig,
  NetworkInterface as CodeBuildNetworkInterface,
  ExportedEnvironmentVariable as CodeBuildExportedEnvironmentVariable,
  ProjectFileSystemLocation as CodeBuildProjectFileSystemLocation,
  DebugSession as CodeBuildDebugSession,
  AutoRetryConfig as CodeBuildAutoRetryConfig,
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
