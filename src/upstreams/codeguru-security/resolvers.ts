import type DataLoader from 'dataloader';
import type { Resolvers } from '../../generated/resolvers-types.js';
import type { UpstreamContext } from '../../request-context.js';
import { entityResolvers } from '../entity-resolvers.js';
import { findingConnection, scanConnection, type CodeGuruSecurityLists } from './discovery.js';
import type { Finding, FindingIdentifier } from './model.js';
import type { Status } from './sdk/index.js';

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

/**
 * An enum argument arrives as its internal value (the enum resolvers below map OPEN to `Open`);
 * the generated types name the GraphQL values, so the wire value is asserted here, once.
 */
const wireStatus = (status: unknown): Status | undefined => (status ?? undefined) as Status | undefined;

export const codeguruSecurityResolvers: Resolvers<CodeGuruSecurityContext> = {
  Query: {
    finding: findings.one(({ scanName, id }: { scanName: string; id: string }) => ({ scanName, findingId: id })),
    findings: findings.many(({ identifiers }: { identifiers: readonly FindingIdentifier[] }) => identifiers),
    codeGuruSecurityScans: (_root, args, context, info) => scanConnection(context, info, args),
    codeGuruSecurityScanFindings: (_root, { status, ...args }, context, info) =>
      findingConnection(context, info, { ...args, status: wireStatus(status) }),
  },
  CodeGuruSecurityScanSummary: {
    findings: (scan, { status, ...args }, context, info) =>
      findingConnection(context, info, { ...args, status: wireStatus(status), scanName: scan.scanName }),
  },
  Finding: {
    __resolveReference: findings.reference(({ scanName, id }: { scanName: string; id: string }) => ({ scanName, findingId: id })),
  },
  // Wire values are mixed case; GraphQL enum values are upper case.
  CodeGuruSecuritySeverity: { CRITICAL: 'Critical', HIGH: 'High', MEDIUM: 'Medium', LOW: 'Low', INFO: 'Info' },
  CodeGuruSecurityStatus: { CLOSED: 'Closed', OPEN: 'Open', ALL: 'All' },
  CodeGuruSecurityScanState: { IN_PROGRESS: 'InProgress', SUCCESSFUL: 'Successful', FAILED: 'Failed' },
};
