import type DataLoader from 'dataloader';
import type { Resolvers } from '../../generated/resolvers-types.js';
import type { UpstreamContext } from '../../request-context.js';
import { entityResolvers } from '../entity-resolvers.js';
import { findingConnection, scanConnection, type CodeGuruSecurityLists } from './discovery.js';
import type { Finding, FindingIdentifier } from './model.js';

/** This upstream's per-request loaders (created by its index.ts): what its resolvers read. */
export interface CodeGuruSecurityLoaders {
  finding: DataLoader<FindingIdentifier, Finding, string>;
  /** The discovery fields' api and the request's listed findings. */
  codeguruSecurityLists: CodeGuruSecurityLists;
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
    codeGuruSecurityScans: (_root, args, context, info) => scanConnection(context, info, args),
    codeGuruSecurityScanFindings: (_root, args, context, info) => findingConnection(context, info, args),
  },
  CodeGuruSecurityScanSummary: {
    findings: (scan, args, context, info) => findingConnection(context, info, { ...args, scanName: scan.scanName }),
  },
  Finding: {
    __resolveReference: findings.reference(({ scanName, id }: { scanName: string; id: string }) => ({ scanName, findingId: id })),
  },
  // Wire values are mixed case; GraphQL enum values are upper case.
  CodeGuruSecuritySeverity: { CRITICAL: 'Critical', HIGH: 'High', MEDIUM: 'Medium', LOW: 'Low', INFO: 'Info' },
  CodeGuruSecurityStatus: { CLOSED: 'Closed', OPEN: 'Open', ALL: 'All' },
  CodeGuruSecurityScanState: { IN_PROGRESS: 'InProgress', SUCCESSFUL: 'Successful', FAILED: 'Failed' },
};
