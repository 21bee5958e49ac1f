import type { BatchSource } from '../../batching/batch-loader.js';
import { notFound, quote } from '../../errors.js';
import { buildIdProblem } from '../../input/keys.js';
import type { Build, CodeBuildApi } from './client.js';

/** CodeBuild's documented maximum of ids per `BatchGetBuilds` call. */
export const BATCH_GET_BUILDS_LIMIT = 100;

/** How `Build` lookups become `BatchGetBuilds` calls. */
export function buildSource(api: CodeBuildApi): BatchSource<string, Build> {
  return {
    upstream: 'codebuild',
    maxBatchSize: BATCH_GET_BUILDS_LIMIT,
    cacheKey: (id) => id,
    validate: buildIdProblem,
    async fetch(ids, _group, signal) {
      const { builds } = await api.batchGetBuilds(ids, signal);
      const byId = new Map<string, Build>();
      for (const build of builds) if (build.id !== undefined) byId.set(build.id, build);
      // Ids listed in buildsNotFound are simply absent from the map: the mechanism answers NOT_FOUND.
      return byId;
    },
    notFound: (id) => notFound(`Build ${quote(id)}`, 'codebuild'),
  };
}
