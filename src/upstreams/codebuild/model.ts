import type { Build, ProjectSortByType, SortOrderType } from '@aws-sdk/client-codebuild';
import type { Connection, Edge, PageInfo } from '../../discovery/connection.js';
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

/** One page of a CodeBuild list operation (100 names or ids at most; the model has no page-size parameter). */
export interface CodeBuildListPage {
  items: string[];
  /** Absent on the last page. */
  nextToken?: string | undefined;
}

export interface ListProjectsInput {
  sortBy?: ProjectSortByType | undefined;
  sortOrder?: SortOrderType | undefined;
  nextToken?: string | undefined;
}

export interface ListBuildsForProjectInput {
  projectName: string;
  sortOrder?: SortOrderType | undefined;
  nextToken?: string | undefined;
}

export interface ListBuildsInput {
  sortOrder?: SortOrderType | undefined;
  nextToken?: string | undefined;
}

/** What the loader and the discovery fields need from CodeBuild: `BatchGetBuilds` and the three list operations. */
export interface CodeBuildApi {
  /** The region the client reads: a build ARN naming another one cannot be answered. */
  readonly region: string;
  batchGetBuilds(ids: readonly string[], signal: AbortSignal): Promise<BatchGetBuildsResult>;
  listProjects(input: ListProjectsInput, signal: AbortSignal): Promise<CodeBuildListPage>;
  listBuildsForProject(input: ListBuildsForProjectInput, signal: AbortSignal): Promise<CodeBuildListPage>;
  listBuilds(input: ListBuildsInput, signal: AbortSignal): Promise<CodeBuildListPage>;
}

/** `CodeBuildProject`: a project ListProjects named; its builds are listed when asked for. */
export interface CodeBuildProject {
  name: string;
}

/** The connections of schema/codebuild.graphql, as src/discovery builds them. */
export type CodeBuildProjectConnection = Connection<CodeBuildProject>;
export type CodeBuildProjectEdge = Edge<CodeBuildProject>;
export type CodeBuildBuildConnection = Connection<Build>;
export type CodeBuildBuildEdge = Edge<Build>;
export type CodeBuildPageInfo = PageInfo;
