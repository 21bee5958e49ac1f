/**
 * CodeBuild's discovery fields: ListProjects, ListBuildsForProject and ListBuilds as connections
 * (src/discovery/connection.ts). The lists have no page-size parameter (the model: 100 items a
 * page and a nextToken), so a connection of `first` ≤ 100 costs one list call, or two when it
 * starts late in an upstream page. Builds are looked up through the request's build loader.
 */
import type { ProjectSortByType, SortOrderType } from '@aws-sdk/client-codebuild';
import type DataLoader from 'dataloader';
import type { GraphQLResolveInfo } from 'graphql';
import type { CachePolicy } from '../../cache-hints.js';
import { listConnection, type Connection, type ConnectionArgs, type ListSource } from '../../discovery/connection.js';
import { afterListCalls } from '../../discovery/list-settling.js';
import { badUserInput, notFound, quote, toSubgraphError, type SubgraphError } from '../../errors.js';
import { failureKindOf } from '../../reliability/failure-kinds.js';
import type { BaseRequestContext } from '../../request-context.js';
import { PROJECT_NAME } from './build-arn.js';
import { CODEBUILD, type Build, type CodeBuildApi, type CodeBuildListPage, type CodeBuildProject } from './model.js';

/** The model's ProjectName: 2..150 characters, a letter or digit first, then letters, digits, `-` or `_`. */
const PROJECT = new RegExp(`^${PROJECT_NAME}$`);

/** Why `name` cannot name a CodeBuild project (answered before any call), or undefined when it can. */
export function projectNameProblem(name: string): SubgraphError | undefined {
  if (PROJECT.test(name)) return undefined;
  return badUserInput(
    `${quote(name)} is not a CodeBuild project name (2-150 letters, digits, - or _, starting with a letter or digit).`,
    CODEBUILD,
  );
}

/** A list call of one request: its continuation and its signal, nothing else (the list's arguments are bound). */
type ListCall = (nextToken: string | undefined, signal: AbortSignal) => Promise<CodeBuildListPage>;

/**
 * A list operation as a ListSource, what it throws turned into the field's error (`unknown` says what a ResourceNotFoundException was about).
 */
function source(context: BaseRequestContext, call: ListCall, unknown?: () => SubgraphError): ListSource<string> {
  return {
    async fetch(token, _limit, signal) {
      if (token !== undefined && typeof token !== 'string')
        throw badUserInput('This cursor does not belong to a CodeBuild list.', CODEBUILD);
      try {
        const page = await call(token, signal);
        return { items: page.items, next: page.nextToken };
      } catch (error) {
        if (unknown && failureKindOf(error) === 'not-found') {
          throw unknown();
        }
        throw toSubgraphError(error, CODEBUILD, 'the list', { signal });
      }
    },
  };
}

/** A completed build never changes again; a running one changes every few seconds. */
export const buildMaxAge = (policy: CachePolicy) => (build: Build) => (build.buildComplete ? policy.settledMaxAge : policy.activeMaxAge);

/** A build of a list, looked up with every other build of the request's lists (see src/discovery/list-settling.ts). */
function buildNode(context: BaseRequestContext, loader: DataLoader<string, Build, string>): (id: string) => Promise<Build> {
  return (id) => afterListCalls(context, CODEBUILD.name).then(() => loader.load(id));
}

/**
 * The order to send ListBuildsForProject. DESCENDING is CodeBuild's default, so it is sent as no order at all: the
 * model says setting a sort order on a project of more than 100 builds is an error, and the default need not be set.
 */
const projectOrder = (order: SortOrderType | null | undefined): SortOrderType | undefined =>
  order === 'ASCENDING' ? 'ASCENDING' : undefined;

export interface CodeBuildDiscovery {
  projects(
    context: BaseRequestContext,
    info: GraphQLResolveInfo,
    args: ConnectionArgs & { sortBy?: ProjectSortByType | null; sortOrder?: SortOrderType | null },
  ): Promise<Connection<CodeBuildProject>>;
  projectBuilds(
    context: BaseRequestContext,
    info: GraphQLResolveInfo,
    loader: DataLoader<string, Build, string>,
    args: ConnectionArgs & { projectName: string; sortOrder?: SortOrderType | null },
  ): Promise<Connection<Build>>;
  recentBuilds(
    context: BaseRequestContext,
    info: GraphQLResolveInfo,
    loader: DataLoader<string, Build, string>,
    args: ConnectionArgs & { sortOrder?: SortOrderType | null },
  ): Promise<Connection<Build>>;
}

export function codebuildDiscovery(api: CodeBuildApi): CodeBuildDiscovery {
  return {
    projects(context, info, { first, after, sortBy, sortOrder }) {
      const by = sortBy ?? undefined;
      const order = sortOrder ?? undefined;
      return listConnection(
        context,
        info,
        {
          scope: `codebuild.projects|${by ?? ''}|${order ?? ''}`,
          upstream: CODEBUILD,
          operation: 'ListProjects',
          source: source(context, (nextToken, signal) => api.listProjects({ sortBy: by, sortOrder: order, nextToken }, signal)),
          node: (name) => ({ name }),
        },
        { first, after },
      );
    },
    async projectBuilds(context, info, loader, { projectName, first, after, sortOrder }) {
      const problem = projectNameProblem(projectName);
      if (problem) throw problem;
      const order = projectOrder(sortOrder);
      return listConnection(
        context,
        info,
        {
          scope: `codebuild.projectBuilds|${projectName}|${order ?? ''}`,
          upstream: CODEBUILD,
          operation: 'ListBuildsForProject',
          source: source(
            context,
            (nextToken, signal) => api.listBuildsForProject({ projectName, sortOrder: order, nextToken }, signal),
            () => notFound(`CodeBuild project ${quote(projectName)}`, CODEBUILD),
          ),
          node: buildNode(context, loader),
          maxAge: buildMaxAge(context.cachePolicy),
        },
        { first, after },
      );
    },
    recentBuilds(context, info, loader, { first, after, sortOrder }) {
      const order = sortOrder ?? undefined;
      return listConnection(
        context,
        info,
        {
          scope: `codebuild.recentBuilds|${order ?? ''}`,
          upstream: CODEBUILD,
          operation: 'ListBuilds',
          source: source(context, (nextToken, signal) => api.listBuilds({ sortOrder: order, nextToken }, signal)),
          node: buildNode(context, loader),
          maxAge: buildMaxAge(context.cachePolicy),
        },
        { first, after },
      );
    },
  };
}
