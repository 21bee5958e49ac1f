import { loadEach } from '../../batching/batch-loader.js';
import { withCacheHint, withCacheHints } from '../../cache-hints.js';
import type { Resolvers } from '../../generated/resolvers-types.js';

export const codeguruSecurityResolvers: Resolvers = {
  Query: {
    finding: (_root, { scanName, id }, { loaders, cachePolicy }, info) =>
      withCacheHint(info, loaders.finding.load({ scanName, findingId: id }), () => cachePolicy.findingMaxAge),
    findings: (_root, { identifiers }, { loaders, cachePolicy }, info) =>
      withCacheHints(info, loadEach(loaders.finding, identifiers), () => cachePolicy.findingMaxAge),
  },
  Finding: {
    __resolveReference: ({ scanName, id }, { loaders, cachePolicy }, info) =>
      withCacheHint(info, loaders.finding.load({ scanName, findingId: id }), () => cachePolicy.findingMaxAge),
  },
  // Wire values are mixed case; GraphQL enum values are upper case.
  Severity: { CRITICAL: 'Critical', HIGH: 'High', MEDIUM: 'Medium', LOW: 'Low', INFO: 'Info' },
  Status: { CLOSED: 'Closed', OPEN: 'Open', ALL: 'All' },
};
