import { createBatchLoader } from '../../batching/batch-loader.js';
import { awsClientOptions, withEndpoint } from '../aws/client-options.js';
import { defineUpstream } from '../module.js';
import { findingKeyProblem } from './keys.js';
import { createCodeGuruSecurityApi, type CodeGuruSecurityApi } from './client.js';
import { ListedFindings } from './listed-findings.js';
import { findingSource } from './loader.js';
import { CODEGURU_SECURITY } from './model.js';
import { codeguruSecurityResolvers, type CodeGuruSecurityLoaders } from './resolvers.js';
import { resolveCodeGuruSecurityEndpoint } from './sdk/index.js';
import { codeguruSecuritySettings } from './settings.js';

export const codeguruSecurity = defineUpstream({
  identity: CODEGURU_SECURITY,
  key: 'codeguruSecurity',
  settings: codeguruSecuritySettings,
  createApi(settings, { shared, metrics, circuits }): CodeGuruSecurityApi {
    const api = createCodeGuruSecurityApi(
      withEndpoint(shared.aws, settings.endpoint),
      (seconds) => metrics?.recordLimiterWait(CODEGURU_SECURITY.name, seconds),
      settings,
    );
    const circuit = circuits.circuit(CODEGURU_SECURITY.name);
    return {
      disabled: api.disabled,
      batchGetFindings: (identifiers, signal) => circuit.execute(() => api.batchGetFindings(identifiers, signal)),
      listScans: (page, signal) => circuit.execute(() => api.listScans(page, signal)),
      getFindings: (page, signal) => circuit.execute(() => api.getFindings(page, signal)),
    };
  },
  createLoaders(api, scope): CodeGuruSecurityLoaders {
    // Findings a list call returns answer this request's later lookups of them (listed-findings.ts).
    const listed = new ListedFindings();
    return { finding: listed.loader(createBatchLoader(findingSource(api), scope)), codeguruSecurityLists: { api, listed } };
  },
  entities: { Finding: { fields: { scanName: 'String', id: 'ID' }, problem: (key) => findingKeyProblem(key.scanName, key.id) } },
  resolvers: codeguruSecurityResolvers,
  async describe(settings, shared) {
    if (!settings.enabled) return 'off (CODEGURU_SECURITY=off)';
    const aws = withEndpoint(shared.aws, settings.endpoint);
    const url = (await resolveCodeGuruSecurityEndpoint(awsClientOptions(aws, settings.region))).href;
    return aws.endpoint ? `${url} (${aws.endpoint.source})` : `regional default ${url}`;
  },
});
