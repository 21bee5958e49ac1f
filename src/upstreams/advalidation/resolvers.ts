import type DataLoader from 'dataloader';
import {
  getDirectiveValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type FragmentSpreadNode,
  type GraphQLResolveInfo,
  type InlineFragmentNode,
  type SelectionSetNode,
} from 'graphql';
import type { CachePolicy } from '../../cache-hints.js';
import type { Resolvers } from '../../generated/resolvers-types.js';
import type { UpstreamContext } from '../../request-context.js';
import { entityResolvers } from '../entity-resolvers.js';
import { isTerminal, type Scan } from './client.js';
import type { ScanKey } from './loader.js';

/** This upstream's per-request loaders (created by its index.ts): what its resolvers read. */
export interface AdvalidationLoaders {
  scan: DataLoader<ScanKey, Scan, string>;
}

type AdvalidationContext = UpstreamContext<AdvalidationLoaders>;

/** A finished, failed or cancelled scan never changes; a queued or running one does. */
const maxAge = (policy: CachePolicy) => (scan: Scan) => (isTerminal(scan) ? policy.settledMaxAge : policy.activeMaxAge);

/**
 * Whether the query selects `tests` on a Scan under this field (directly, through inline
 * fragments on Scan, or named fragments, honouring @skip and @include): only then is the
 * heavier include_checks call made.
 */
export function selectsTests(info: GraphQLResolveInfo): boolean {
  const included = (node: FieldNode | InlineFragmentNode | FragmentSpreadNode) =>
    getDirectiveValues(GraphQLSkipDirective, node, info.variableValues)?.if !== true &&
    getDirectiveValues(GraphQLIncludeDirective, node, info.variableValues)?.if !== false;
  const visit = (set: SelectionSetNode | undefined, seen: Set<string>): boolean =>
    (set?.selections ?? []).some((selection) => {
      if (!included(selection)) return false;
      if (selection.kind === Kind.FIELD) return selection.name.value === 'tests';
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition?.name.value;
        return (on === undefined || on === 'Scan') && visit(selection.selectionSet, seen);
      }
      if (seen.has(selection.name.value)) return false;
      seen.add(selection.name.value);
      const fragment: FragmentDefinitionNode | undefined = info.fragments[selection.name.value];
      return fragment !== undefined && fragment.typeCondition.name.value === 'Scan' && visit(fragment.selectionSet, seen);
    });
  return info.fieldNodes.some((node) => visit(node.selectionSet, new Set()));
}

const scans = entityResolvers({ loader: (context: AdvalidationContext) => context.loaders.scan, maxAge });

export const advalidationResolvers: Resolvers<AdvalidationContext> = {
  Query: {
    scan: scans.one(({ id }: { id: string }, info) => ({ id, withTests: selectsTests(info) })),
    scans: scans.many(({ ids }: { ids: readonly string[] }, info) => {
      const withTests = selectsTests(info);
      return ids.map((id) => ({ id, withTests }));
    }),
  },
  Scan: {
    __resolveReference: scans.reference(({ id }: { id: unknown }, info) => ({ id: String(id), withTests: selectsTests(info) })),
  },
};
