import type { EmulatorData } from '../emulator/index.js';
import type { UpstreamName } from '../src/errors.js';

/** One entity type as the benchmark drives it: keys, queries and the minimum calls they cost. */
export interface EntitySpec<K = unknown> {
  type: string;
  api: UpstreamName;
  /** The API's documented ids per call. */
  limit: number;
  /** `n` distinct, existing keys from the seeded data. */
  keys(data: EmulatorData, n: number): K[];
  rootQuery(keys: K[]): { query: string; variables: Record<string, unknown> };
  representation(key: K): Record<string, unknown>;
  /** Selection used for this type in every query. */
  selection: string;
  /** ceil(n / limit) per group (region for regional APIs); distinct ids for a per-id API. */
  minimumCalls(keys: K[]): number;
}

const perGroup = (keys: readonly unknown[], groupOf: (key: never) => string, limit: number) => {
  const groups = new Map<string, number>();
  for (const key of keys) groups.set(groupOf(key as never), (groups.get(groupOf(key as never)) ?? 0) + 1);
  let calls = 0;
  for (const count of groups.values()) calls += Math.ceil(count / limit);
  return calls;
};

export const BUILD: EntitySpec<string> = {
  type: 'Build',
  api: 'codebuild',
  limit: 100,
  keys: (data, n) =>
    take(
      data.builds.map((build) => build.id!),
      n,
      'builds',
    ),
  rootQuery: (ids) => ({ query: `query($ids: [ID!]!) { builds(ids: $ids) { ${BUILD.selection} } }`, variables: { ids } }),
  representation: (id) => ({ __typename: 'Build', id }),
  selection: 'id buildNumber buildStatus projectName startTime endTime currentPhase sourceVersion',
  minimumCalls: (ids) => perGroup(ids, () => '', 100),
};

export interface FindingKey {
  scanName: string;
  findingId: string;
}

export const FINDING: EntitySpec<FindingKey> = {
  type: 'Finding',
  api: 'codeguru-security',
  limit: 25,
  keys: (data, n) =>
    take(
      data.findings.map(({ scanName, finding }) => ({ scanName, findingId: finding.id! })),
      n,
      'findings',
    ),
  rootQuery: (identifiers) => ({
    query: `query($identifiers: [FindingIdentifier!]!) { findings(identifiers: $identifiers) { ${FINDING.selection} } }`,
    variables: { identifiers },
  }),
  representation: (key) => ({ __typename: 'Finding', scanName: key.scanName, id: key.findingId }),
  selection: 'scanName id title severity status createdAt',
  minimumCalls: (keys) => perGroup(keys, () => '', 25),
};

export const FINDING_DETAIL: EntitySpec<string> = {
  type: 'FindingDetail',
  api: 'inspector2',
  limit: 10,
  keys: (data, n) =>
    take(
      data.inspector.details.map((detail) => detail.findingArn!),
      n,
      'finding details',
    ),
  rootQuery: (arns) => ({
    query: `query($arns: [ID!]!) { findingDetails(findingArns: $arns) { ${FINDING_DETAIL.selection} } }`,
    variables: { arns },
  }),
  representation: (findingArn) => ({ __typename: 'FindingDetail', findingArn }),
  selection: 'findingArn riskScore epssScore cwes',
  // Per region: every ARN names the region its call must be signed for.
  minimumCalls: (arns) => perGroup(arns, (arn: string) => arn.split(':')[3]!, 10),
};

export const SCAN: EntitySpec<string> = {
  type: 'Scan',
  api: 'advalidation',
  limit: 1,
  keys: (data, n) =>
    take(
      data.scans.map((scan) => String(scan.id)),
      n,
      'scans',
    ),
  rootQuery: (ids) => ({ query: `query($ids: [ID!]!) { scans(ids: $ids) { ${SCAN.selection} } }`, variables: { ids } }),
  representation: (id) => ({ __typename: 'Scan', id }),
  selection: 'id processingStatus nbIssues createdAt',
  // No batch endpoint: one call per distinct id.
  minimumCalls: (ids) => new Set(ids).size,
};

export const ENTITIES: EntitySpec[] = [BUILD, FINDING, FINDING_DETAIL, SCAN] as EntitySpec[];

function take<T>(items: readonly T[], n: number, what: string): T[] {
  if (items.length < n) throw new Error(`the emulator seeds ${items.length} ${what}; the benchmark needs ${n}`);
  return items.slice(0, n);
}

export { perGroup };
