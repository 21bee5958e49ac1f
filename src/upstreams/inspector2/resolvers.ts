import type DataLoader from 'dataloader';
import { listConnection } from '../../discovery/connection.js';
import type { Resolvers } from '../../generated/resolvers-types.js';
import type { UpstreamContext } from '../../request-context.js';
import { entityResolvers } from '../entity-resolvers.js';
import type { FindingDetail, Inspector2Api } from './client.js';
import { listFindingsQuery } from './finding-filter.js';
import { listFindingsScope, listFindingsSource } from './list-findings.js';
import { INSPECTOR2 } from './model.js';

/** This upstream's per-request loaders (created by its index.ts): what its resolvers read. */
export interface Inspector2Loaders {
  findingDetail: DataLoader<string, FindingDetail, string>;
  /** The process-wide API, for the list field (its calls share the lookups' gate and circuits). */
  api: Inspector2Api;
}

type Inspector2Context = UpstreamContext<Inspector2Loaders>;

const findingDetails = entityResolvers({
  loader: (context: Inspector2Context) => context.loaders.findingDetail,
  maxAge: (policy) => () => policy.findingMaxAge,
});

/** Resource types whose wire value is no GraphQL name (`Microsoft.Web/sites`): served under the enum's name for it. */
const RESOURCE_TYPE_NAMES: Readonly<Record<string, string>> = {
  'Microsoft.Compute/virtualMachines': 'MICROSOFT_COMPUTE_VIRTUALMACHINES',
  'Microsoft.ContainerRegistry/registry/containerImage': 'MICROSOFT_CONTAINERREGISTRY_REGISTRY_CONTAINERIMAGE',
  'Microsoft.Web/sites': 'MICROSOFT_WEB_SITES',
};

export const inspector2Resolvers: Resolvers<Inspector2Context> = {
  Query: {
    findingDetail: findingDetails.one(({ findingArn }: { findingArn: string }) => findingArn),
    findingDetails: findingDetails.many(({ findingArns }: { findingArns: readonly string[] }) => findingArns),
    async inspectorFindings(_root, args, context, info) {
      const api = context.loaders.api;
      // Region, filter and sort are checked before any call (and before the cursor is read).
      const query = listFindingsQuery(args, api.defaultRegion);
      if (query instanceof Error) throw query;
      return listConnection(
        context,
        info,
        {
          scope: listFindingsScope(query),
          upstream: INSPECTOR2,
          operation: 'ListFindings',
          source: listFindingsSource(api, query),
          // Each node is the listed finding itself; its `detail` goes through the FindingDetail loader.
          node: (finding) => finding,
        },
        args,
      );
    },
  },
  FindingDetail: {
    __resolveReference: findingDetails.reference(({ findingArn }: { findingArn: string }) => findingArn),
  },
  InspectorFinding: {
    // All nodes of a page (and of sibling pages) join one batch: 50 findings cost 5 BatchGetFindingDetails calls.
    detail: (finding, _args, context, info) => findingDetails.load(context, finding.findingArn!, info),
  },
  InspectorResource: {
    type: (resource) => (resource.type === undefined ? null : (RESOURCE_TYPE_NAMES[resource.type] ?? resource.type)) as never,
  },
};
