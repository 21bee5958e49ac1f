import { BatchGetBuildsCommand, CodeBuildClient } from '@aws-sdk/client-codebuild';
import { createBatchLoader } from '../../batching/batch-loader.js';
import { awsClientOptions, describeClientEndpoint, withEndpoint } from '../aws/client-options.js';
import { defineUpstream } from '../module.js';
import { buildIdProblem } from './keys.js';
import { createCodeBuildApi, type CodeBuildApi } from './client.js';
import { buildSource } from './loader.js';
import { CODEBUILD } from './model.js';
import { codebuildResolvers, type CodeBuildLoaders } from './resolvers.js';
import { codebuildSettings } from './settings.js';
import { codebuildDiscovery } from './discovery.js';

export const codebuild = defineUpstream({
  identity: CODEBUILD,
  key: 'codebuild',
  settings: codebuildSettings,
  createApi(settings, { shared, metrics, circuits }): CodeBuildApi {
    const api = createCodeBuildApi(
      withEndpoint(shared.aws, settings.endpoint),
      (seconds) => metrics?.recordLimiterWait(CODEBUILD.name, seconds),
      { leanDeserializer: settings.leanDeserializer },
    );
    const circuit = circuits.circuit(CODEBUILD.name);
    return {
      region: api.region,
      batchGetBuilds: (ids, signal) => circuit.execute(() => api.batchGetBuilds(ids, signal)),
      listProjects: (input, signal) => circuit.execute(() => api.listProjects(input, signal)),
      listBuildsForProject: (input, signal) => circuit.execute(() => api.listBuildsForProject(input, signal)),
      listBuilds: (input, signal) => circuit.execute(() => api.listBuilds(input, signal)),
    };
  },
  createLoaders: (api, scope): CodeBuildLoaders => ({
    build: createBatchLoader(buildSource(api), scope),
    codebuildLists: codebuildDiscovery(api),
  }),
  entities: { Build: { fields: { id: 'ID' }, problem: (key) => buildIdProblem(key.id) } },
  resolvers: codebuildResolvers,
  describe(settings, shared) {
    const aws = withEndpoint(shared.aws, settings.endpoint);
    return describeClientEndpoint(aws, new CodeBuildClient(awsClientOptions(aws)), BatchGetBuildsCommand, { ids: [] });
  },
});
