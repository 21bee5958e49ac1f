import type { Build } from '@aws-sdk/client-codebuild';
import type { UpstreamExamples } from '../core/upstream.js';

/** The demo's CodeBuild tabs: a batch of builds, partial results (one good id, one unknown, one blank), and discovery. */
export function codebuildExamples(builds: readonly Build[]): UpstreamExamples {
  const buildIds = builds.slice(0, 3).map((build) => build.id!);
  return {
    tabs: [
      {
        title: 'Builds by id (CodeBuild BatchGetBuilds)\nup to 100 ids per call',
        query: `query Builds($ids: [ID!]!) {\n  builds(ids: $ids) {\n    id\n    projectName\n    buildNumber\n    buildStatus\n    currentPhase\n    startTime\n    endTime\n    phases { phaseType phaseStatus durationInSeconds }\n    environment { image computeType }\n  }\n}`,
        variables: { ids: buildIds },
      },
      {
        title: 'Partial results: good, unknown and blank ids\ndata for the good one, an error at each other',
        query: `query PartialBuilds($ids: [ID!]!) {\n  builds(ids: $ids) {\n    id\n    buildStatus\n  }\n}`,
        variables: { ids: [buildIds[0], 'no-such-project:00000000-0000-0000-0000-000000000000', ''] },
      },
      {
        title: 'Discover builds: projects, each with its latest\n1 list call a project, 1 BatchGetBuilds for all',
        query: `query Projects($after: String) {\n  codeBuildProjects(first: 5, after: $after) {\n    nodes {\n      name\n      builds(first: 3) {\n        nodes { id buildNumber buildStatus startTime }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n    pageInfo { hasNextPage endCursor }\n  }\n  recentBuilds(first: 5) {\n    edges { cursor node { id projectName buildStatus } }\n  }\n}`,
      },
    ],
    entity: { representation: { __typename: 'Build', id: buildIds[0] }, fragment: '... on Build { id buildStatus }' },
  };
}
