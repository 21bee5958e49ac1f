import { createBatchLoader } from '../../batching/batch-loader.js';
import { defineUpstream } from '../module.js';
import { scanIdProblem } from './keys.js';
import { createAdvalidationApi, type AdvalidationApi, type AdvalidationLists, type AdvalidationScans } from './client.js';
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
    // List calls share the scans' circuit: one upstream, one health.
    const guarded = (view: AdvalidationScans & AdvalidationLists): AdvalidationScans & AdvalidationLists => ({
      getScan: (id, withTests, signal) => circuit.execute(() => view.getScan(id, withTests, signal)),
      listCampaigns: (page, signal) => circuit.execute(() => view.listCampaigns(page, signal)),
      listCreatives: (campaignId, page, signal) => circuit.execute(() => view.listCreatives(campaignId, page, signal)),
    });
    return { ...guarded(api), forRequest: (scope) => guarded(api.forRequest(scope)) };
  },
  // Each request waits in a queue of its own at the process-wide limiter, which knows its deadline:
  // its scan lookups and its list pages alike.
  createLoaders(api, scope): AdvalidationLoaders {
    const view = api.forRequest({ deadline: scope.deadline });
    return { scan: createBatchLoader(scanSource(view), scope), advalidationLists: view };
  },
  entities: { Scan: { fields: { id: 'ID' }, problem: (key) => scanIdProblem(key.id) } },
  resolvers: advalidationResolvers,
  describe: (settings) => Promise.resolve(`${settings.baseUrl}/v2 (API key set)`),
});
