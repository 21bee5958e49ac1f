import { BatchGetFindingDetailsCommand, Inspector2Client } from '@aws-sdk/client-inspector2';
import { createBatchLoader } from '../../batching/batch-loader.js';
import { awsClientOptions, describeClientEndpoint, withEndpoint } from '../aws/client-options.js';
import { defineUpstream } from '../module.js';
import { findingArnProblem } from './keys.js';
import { createInspector2Api, type Inspector2Api } from './client.js';
import { findingDetailSource } from './loader.js';
import { INSPECTOR2 } from './model.js';
import { inspector2Resolvers, type Inspector2Loaders } from './resolvers.js';
import { inspector2Settings } from './settings.js';

export const inspector2 = defineUpstream({
  identity: INSPECTOR2,
  key: 'inspector2',
  settings: inspector2Settings,
  // Its circuits are per region (Inspector is regional), so they are made in its client.
  createApi: (settings, { shared, metrics, circuits }): Inspector2Api =>
    createInspector2Api(
      withEndpoint(shared.aws, settings.endpoint),
      (seconds) => metrics?.recordLimiterWait(INSPECTOR2.name, seconds),
      (region) => circuits.circuit(INSPECTOR2.name, region),
      { leanDeserializer: settings.leanDeserializer },
    ),
  createLoaders: (api, scope): Inspector2Loaders => ({ findingDetail: createBatchLoader(findingDetailSource(api), scope), api }),
  entities: { FindingDetail: { fields: { findingArn: 'ID' }, problem: (key) => findingArnProblem(key.findingArn) } },
  resolvers: inspector2Resolvers,
  async describe(settings, shared) {
    const aws = withEndpoint(shared.aws, settings.endpoint);
    const endpoint = await describeClientEndpoint(aws, new Inspector2Client(awsClientOptions(aws)), BatchGetFindingDetailsCommand, {
      findingArns: [],
    });
    return aws.endpoint ? endpoint : `${endpoint} (for ${aws.region}; each finding ARN's own region in its place)`;
  },
});
