import type { BatchSource } from '../../batching/batch-loader.js';
import { badUserInput, notFound, quote } from '../../errors.js';
import { buildIdProblem } from './keys.js';
import { buildIdOf, buildKeyProblem, looksLikeArn } from './build-arn.js';
import { failureKindOf } from '../../reliability/failure-kinds.js';
import { CODEBUILD, type Build, type CodeBuildApi } from './model.js';

/** CodeBuild's documented maximum of ids per `BatchGetBuilds` call. */
export const BATCH_GET_BUILDS_LIMIT = 100;

/**
 * How `Build` lookups become `BatchGetBuilds` calls. A key is a build id or a build ARN: both
 * are keyed by the id, so a build asked both ways is one cache entry and one id in one call.
 * ARNs are checked strictly before any call; CodeBuild rejects a whole call with
 * InvalidInputException for one id it cannot parse, so such a call is bisected until that id
 * stands alone and its neighbours are served.
 */
export function buildSource(api: CodeBuildApi): BatchSource<string, Build> {
  return {
    upstream: CODEBUILD,
    // The same process-wide client for every request: concurrent requests may share its calls.
    shareable: true,
    maxBatchSize: BATCH_GET_BUILDS_LIMIT,
    // Only a valid ARN shares its id's entry: a refused one must not take a good id's answer with it.
    cacheKey: (key) => (looksLikeArn(key) && buildKeyProblem(key, api.region) ? key : buildIdOf(key)),
    validate(key) {
      // Shape and length first (any JSON value may arrive here), then what an ARN must name.
      const shape = buildIdProblem(key);
      if (shape) return shape;
      const problem = buildKeyProblem(key, api.region);
      return problem ? badUserInput(problem, CODEBUILD) : undefined;
    },
    async fetch(keys, _group, signal) {
      const { builds } = await api.batchGetBuilds(keys.map(buildIdOf), signal);
      const byId = new Map<string, Build>();
      for (const build of builds) if (build.id !== undefined) byId.set(build.id, build);
      // Ids listed in buildsNotFound are simply absent from the map: the mechanism answers NOT_FOUND.
      return byId;
    },
    notFound: (key) => notFound(`Build ${quote(key)}`, CODEBUILD),
    describe: (key) => `build id ${quote(key)}`,
    shouldSplit: (error) => failureKindOf(error) === 'bad-input',
  };
}
