import type DataLoader from 'dataloader';
import { notFound } from '../../errors.js';
import type { Resolvers } from '../../generated/resolvers-types.js';
import type { UpstreamContext } from '../../request-context.js';
import { entityResolvers } from '../entity-resolvers.js';
import { looksLikeArn } from './build-arn.js';
import type { Build } from './client.js';
import { CODEBUILD } from './model.js';
import { buildMaxAge, type CodeBuildDiscovery } from './discovery.js';

/** This upstream's per-request loaders (created by its index.ts): what its resolvers read. */
export interface CodeBuildLoaders {
  build: DataLoader<string, Build, string>;
  /** The list operations, bound to the process-wide client (pages are memoized per request by src/discovery). */
  codebuildLists: CodeBuildDiscovery;
}

type CodeBuildContext = UpstreamContext<CodeBuildLoaders>;

const builds = entityResolvers({
  loader: (context: CodeBuildContext) => context.loaders.build,
  maxAge: buildMaxAge,
  // The loader keys an ARN by the build id inside it, so a build asked by ARN must still be the
  // one that ARN names: an ARN of another account (or partition) with the same id is not it.
  check: (key: string, build) =>
    !looksLikeArn(key) || build.arn === undefined || build.arn === key ? undefined : notFound(`Build "${key}"`, CODEBUILD),
});

export const codebuildResolvers: Resolvers<CodeBuildContext> = {
  Query: {
    build: builds.one(({ id }: { id: string }) => id),
    builds: builds.many(({ ids }: { ids: readonly string[] }) => ids),
    codeBuildProjects: (_root, args, context, info) => context.loaders.codebuildLists.projects(context, info, args),
    projectBuilds: (_root, args, context, info) => context.loaders.codebuildLists.projectBuilds(context, info, context.loaders.build, args),
    recentBuilds: (_root, args, context, info) => context.loaders.codebuildLists.recentBuilds(context, info, context.loaders.build, args),
  },
  CodeBuildProject: {
    builds: (project, args, context, info) =>
      context.loaders.codebuildLists.projectBuilds(context, info, context.loaders.build, { ...args, projectName: project.name }),
  },
  Build: {
    __resolveReference: builds.reference((reference: { id: string }) => reference.id),
  },
  // A build named by another build's field: absent (or empty) means none, not an error.
  CodeBuildAutoRetryConfig: {
    nextAutoRetryBuild: (config, _args, context, info) => (config.nextAutoRetry ? builds.load(context, config.nextAutoRetry, info) : null),
    previousAutoRetryBuild: (config, _args, context, info) =>
      config.previousAutoRetry ? builds.load(context, config.previousAutoRetry, info) : null,
  },
};
