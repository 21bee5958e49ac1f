import { setMaxListeners } from 'node:events';
import type { EmulatorData } from '../emulator/index.js';
import type { UpstreamName } from '../src/errors.js';
import type { Upstreams } from '../src/upstreams/registry.js';
import { BUILD, FINDING, FINDING_DETAIL, SCAN, type FindingKey } from './entities.js';

/** The mixed query of the benchmark: how many of each type. */
export const MIXED = { builds: 1000, findings: 250, findingDetails: 100, scans: 50 } as const;

export interface MixedKeys {
  buildIds: string[];
  findings: FindingKey[];
  arns: string[];
  scanIds: string[];
}

export function mixedQuery(data: EmulatorData) {
  // Details from two regions, as a dashboard would show.
  const arns = [...FINDING_DETAIL.keys(data, 400).slice(0, 60), ...FINDING_DETAIL.keys(data, 800).slice(400, 440)];
  const keys: MixedKeys = {
    buildIds: BUILD.keys(data, MIXED.builds),
    findings: FINDING.keys(data, MIXED.findings),
    arns,
    scanIds: SCAN.keys(data, MIXED.scans),
  };
  const body = {
    query: `query Mixed($buildIds: [ID!]!, $findings: [FindingIdentifier!]!, $arns: [ID!]!, $scanIds: [ID!]!) {
      builds(ids: $buildIds) { ${BUILD.selection} }
      findings(identifiers: $findings) { ${FINDING.selection} }
      findingDetails(findingArns: $arns) { ${FINDING_DETAIL.selection} }
      scans(ids: $scanIds) { ${SCAN.selection} }
    }`,
    variables: keys,
  };
  const minimumCalls: Partial<Record<UpstreamName, number>> = {
    codebuild: BUILD.minimumCalls(keys.buildIds),
    'codeguru-security': FINDING.minimumCalls(keys.findings),
    inspector2: FINDING_DETAIL.minimumCalls(keys.arns),
    advalidation: SCAN.minimumCalls(keys.scanIds),
  };
  return { keys, body, apis: Object.keys(minimumCalls) as UpstreamName[], minimumCalls };
}

const chunks = <T>(items: readonly T[], size: number) =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, i * size + size));

/** The batch calls the mixed query needs, made directly with the subgraph's clients under one signal. */
export function directBatchCalls(upstreams: Upstreams, keys: MixedKeys, signal: AbortSignal): Promise<unknown>[] {
  const byRegion = new Map<string, string[]>();
  for (const arn of keys.arns) byRegion.set(arn.split(':')[3]!, [...(byRegion.get(arn.split(':')[3]!) ?? []), arn]);
  return [
    ...chunks(keys.buildIds, 100).map((ids) => upstreams.codebuild.batchGetBuilds(ids, signal)),
    ...chunks(keys.findings, 25).map((identifiers) => upstreams.codeguruSecurity.batchGetFindings(identifiers, signal)),
    ...[...byRegion].flatMap(([region, arns]) =>
      chunks(arns, 10).map((batch) => upstreams.inspector2.batchGetFindingDetails(region, batch, signal)),
    ),
    ...keys.scanIds.map((id) => upstreams.advalidation.getScan(id, false, signal)),
  ];
}

/** The same batch calls with the same clients, no GraphQL: the floor the subgraph's CPU is compared with. */
export async function directBaseline(upstreams: Upstreams, keys: MixedKeys): Promise<number> {
  const signal = AbortSignal.timeout(30_000);
  // About 80 concurrent calls listen on this one signal, as on a request's (RequestDeadline lifts
  // the cap the same way); Node's default of 10 printed a MaxListenersExceededWarning per run.
  setMaxListeners(0, signal);
  const results = await Promise.all(directBatchCalls(upstreams, keys, signal));
  // A REST answer would serialize its result too.
  return JSON.stringify(results).length;
}

/**
 * The mixed query of issue #16: 1000 builds + 250 findings + 100 Inspector details, thin
 * selection, no scans (Advalidation's pacing is the service's, about 1 call/s per IP: it would
 * measure the service's limiter, not the subgraph). `naiveBody` is the part the naive subgraph
 * can answer (builds and details; it has no CodeGuru Security client).
 */
export function issueMixedQuery(data: EmulatorData) {
  const { keys, minimumCalls } = mixedQuery(data);
  const variables = { buildIds: keys.buildIds, findings: keys.findings, arns: keys.arns };
  const body = {
    query: `query Mixed($buildIds: [ID!]!, $findings: [FindingIdentifier!]!, $arns: [ID!]!) {
      builds(ids: $buildIds) { ${BUILD.selection} }
      findings(identifiers: $findings) { ${FINDING.selection} }
      findingDetails(findingArns: $arns) { ${FINDING_DETAIL.selection} }
    }`,
    variables,
  };
  const naiveBody = {
    query: `query MixedNaive($buildIds: [ID!]!, $arns: [ID!]!) {
      builds(ids: $buildIds) { ${BUILD.selection} }
      findingDetails(findingArns: $arns) { ${FINDING_DETAIL.selection} }
    }`,
    variables: { buildIds: keys.buildIds, arns: keys.arns },
  };
  const { advalidation: _scans, ...withoutScans } = minimumCalls;
  return { body, naiveBody, minimumCalls: withoutScans, entities: keys.buildIds.length + keys.findings.length + keys.arns.length };
}
