import { createBatchLoader } from '../../batching/batch-loader.js';
import { defineUpstream } from '../module.js';
import { scanIdProblem } from './keys.js';
import { createAdvalidationApi, type AdvalidationApi } from './client.js';
import { scanSource } from './loader.js';
import { ADVALIDATION } from './model.js';
import { advalidationResolvers, type AdvalidationLoaders } from './resolvers.js';
import { advalidationSettings } from './settings.js';

export const advalidation = defineUpstream({
  identity: ADVALIDATION,
  key: 'advalidation',
  settings: advalidationSettings,
  createApi(settings, { logger, metrics, circuits }): AdvalidationApi {
    const api = createAdvalidationApi(settings, {
      logger,
      onLimiterWait: (seconds) => metrics?.recordLimiterWait(ADVALIDATION.name, seconds),
      onRetry: (reason) => metrics?.recordRetry(ADVALIDATION.name, reason),
    });
    const circuit = circuits.circuit(ADVALIDATION.name);
    return {
      getScan: (id, withTests, signal) => circuit.execute(() => api.getScan(id, withTests, signal)),
      forRequest(scope) {
        const view = api.forRequest(scope);
        return { getScan: (id, withTests, signal) => circuit.execute(() => view.getScan(id, withTests, signal)) };
      },
    };
  },
  // Each request waits in a queue of its own at the process-wide limiter, which knows its deadline.
  createLoaders: (api, scope): AdvalidationLoaders => ({
    scan: createBatchLoader(scanSource(api.forRequest({ deadline: scope.deadline })), scope),
  }),
  entities: { Scan: { fields: { id: 'ID' }, problem: (key) => scanIdProblem(key.id) } },
  resolvers: advalidationResolvers,
  describe: (settings) => Promise.resolve(`${settings.baseUrl}/v2 (API key set)`),
});
