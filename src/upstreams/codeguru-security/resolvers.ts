import type DataLoader from 'dataloader';
import type { Resolvers } from '../../generated/resolvers-types.js';
import type { UpstreamContext } from '../../request-context.js';
import { entityResolvers } from '../entity-resolvers.js';
import type { Finding, FindingIdentifier } from './model.js';

/** This upstream's per-request loaders (created by its index.ts): what its resolvers read. */
export interface CodeGuruSecurityLoaders {
  finding: DataLoader<FindingIdentifier, Finding, string>;
}

type CodeGuruSecurityContext = UpstreamContext<CodeGuruSecurityLoaders>;

const findings = entityResolvers({
  loader: (context: CodeGuruSecurityContext) => context.loaders.finding,
  maxAge: (policy) => () => policy.findingMaxAge,
});

export const codeguruSecurityResolvers: Resolvers<CodeGuruSecurityContext> = {
  Query: {
    finding: findings.one(({ scanName, id }: { scanName: string; id: string }) => ({ scanName, findingId: id })),
    findings: findings.many(({ identifiers }: { identifiers: readonly FindingIdentifier[] }) => identifiers),
  },
  Finding: {
    __resolveReference: findings.reference(({ scanName, id }: { scanName: string; id: string }) => ({ scanName, findingId: id })),
  },
  // Wire values are mixed case; GraphQL enum values are upper case.
  CodeGuruSecuritySeverity: { CRITICAL: 'Critical', HIGH: 'High', MEDIUM: 'Medium', LOW: 'Low', INFO: 'Info' },
  CodeGuruSecurityStatus: { CLOSED: 'Closed', OPEN: 'Open', ALL: 'All' },
};
