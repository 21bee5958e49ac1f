/**
 * The discovery fields: the account's scans (ListScans) and a scan's findings (GetFindings),
 * as connections (src/discovery/connection.ts). Everything checkable is checked before any
 * call: the off switch, `first`/`after` (by listConnection), the scan name against the model's
 * pattern. A finding of a page is the `Finding` entity, answered from the page itself and
 * kept for the request's later lookups (listed-findings.ts): a page of 50 findings costs one
 * GetFindings and no BatchGetFindings.
 */
import type DataLoader from 'dataloader';
import type { GraphQLResolveInfo } from 'graphql';
import { listConnection, type Connection, type ConnectionArgs, type ListSource } from '../../discovery/connection.js';
import { notFound, quote, toSubgraphError, type SubgraphError } from '../../errors.js';
import { failureKindOf } from '../../reliability/failure-kinds.js';
import type { UpstreamContext } from '../../request-context.js';
import { scanNameProblem } from './keys.js';
import type { ListedFindings } from './listed-findings.js';
import {
  CODEGURU_SECURITY,
  type CodeGuruSecurityApi,
  type CodeGuruSecurityScanSummary,
  type Finding,
  type FindingIdentifier,
} from './model.js';
import type { Status } from './sdk/index.js';

/** ListScans' maxResults range is 1..100 (model). */
export const LIST_SCANS_MAX_RESULTS = 100;
/** GetFindings' maxResults range is 1..1000 (model). */
export const GET_FINDINGS_MAX_RESULTS = 1000;

/** What the discovery fields need per request: the process-wide api, and the request's listed findings. */
export interface CodeGuruSecurityLists {
  api: CodeGuruSecurityApi;
  listed: ListedFindings;
}

/** The loaders the discovery fields read (a subset of CodeGuruSecurityLoaders, named here to keep resolvers.ts the only importer). */
type ListContext = UpstreamContext<{
  codeguruSecurityLists: CodeGuruSecurityLists;
  finding: DataLoader<FindingIdentifier, Finding, string>;
}>;

/** An upstream failure of a list call, as the field's error: the SubgraphError the loader would give. */
function listFailure(error: unknown, subject: string, signal: AbortSignal): SubgraphError {
  return toSubgraphError(error, CODEGURU_SECURITY, subject, { signal });
}

/** `Query.codeGuruSecurityScans`. */
export function scanConnection(
  context: ListContext,
  info: GraphQLResolveInfo,
  args: ConnectionArgs,
): Promise<Connection<CodeGuruSecurityScanSummary>> {
  const { api } = context.loaders.codeguruSecurityLists;
  if (api.disabled) return Promise.reject(api.disabled.forKey());
  const source: ListSource<CodeGuruSecurityScanSummary> = {
    maxResults: LIST_SCANS_MAX_RESULTS,
    async fetch(token, limit, signal) {
      try {
        const page = await api.listScans({ nextToken: token as string | undefined, maxResults: limit }, signal);
        return { items: page.items, next: page.nextToken };
      } catch (error) {
        throw listFailure(error, 'the list of scans', signal);
      }
    },
  };
  return listConnection(
    context,
    info,
    { scope: 'codeguru-security.scans', upstream: CODEGURU_SECURITY, operation: 'ListScans', source, node: (scan) => scan },
    args,
  );
}

export interface ScanFindingsArgs extends ConnectionArgs {
  scanName: string;
  status?: Status | null;
}

/** `CodeGuruSecurityScanSummary.findings` and `Query.codeGuruSecurityScanFindings`: one list, one cursor scope. */
export function findingConnection(
  context: ListContext,
  info: GraphQLResolveInfo,
  { scanName, status, ...args }: ScanFindingsArgs,
): Promise<Connection<Finding>> {
  const { api, listed } = context.loaders.codeguruSecurityLists;
  if (api.disabled) return Promise.reject(api.disabled.forKey());
  const badScan = scanNameProblem(scanName);
  if (badScan) return Promise.reject(badScan);
  const source: ListSource<Finding> = {
    maxResults: GET_FINDINGS_MAX_RESULTS,
    fetch(token, limit, signal) {
      return listed.track(
        (async () => {
          try {
            const page = await api.getFindings(
              { scanName, status: status ?? undefined, nextToken: token as string | undefined, maxResults: limit },
              signal,
            );
            // The page's findings under the scan they were listed for (the record does not carry it).
            const findings = page.items.flatMap((finding) => (finding.id === undefined ? [] : [{ ...finding, scanName, id: finding.id }]));
            listed.add(findings);
            return { items: findings, next: page.nextToken };
          } catch (error) {
            if (failureKindOf(error) === 'not-found') throw notFound(`Scan ${quote(scanName)}`, CODEGURU_SECURITY);
            throw listFailure(error, `the findings of scan ${quote(scanName)}`, signal);
          }
        })(),
      );
    },
  };
  return listConnection(
    context,
    info,
    {
      // The list is shaped by its scan and status: a cursor of one is refused on another.
      scope: `codeguru-security.scanFindings|${scanName}|${status ?? ''}`,
      upstream: CODEGURU_SECURITY,
      operation: 'GetFindings',
      source,
      // Answered from the page (primed above): the entity's loader, so a failure stays at its path.
      node: (finding) => context.loaders.finding.load({ scanName, findingId: finding.id }),
      maxAge: () => context.cachePolicy.findingMaxAge,
    },
    args,
  );
}
