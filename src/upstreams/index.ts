/**
 * The registry of upstream APIs: the one place that lists them. Adding an upstream is a new
 * folder shaped like `codebuild/` (client, loader, resolvers, emulator) plus one line in each
 * of the three lists below.
 */
import type DataLoader from 'dataloader';
import type { Logger } from 'pino';
import { createBatchLoader, type BatchOptions } from '../batching/batch-loader.js';
import type { Config } from '../config.js';
import type { Resolvers } from '../generated/resolvers-types.js';
import type { Metrics } from '../observability/metrics.js';
import { CircuitRegistry } from '../reliability/circuit-breaker.js';
import { createCodeBuildApi, type Build, type CodeBuildApi } from './codebuild/client.js';
import { buildSource } from './codebuild/loader.js';
import { codebuildResolvers } from './codebuild/resolvers.js';
import { createAdvalidationApi, type AdvalidationApi, type Scan } from './advalidation/client.js';
import { scanSource, type ScanKey } from './advalidation/loader.js';
import { advalidationResolvers } from './advalidation/resolvers.js';
import { createCodeGuruSecurityApi, type CodeGuruSecurityApi, type FindingIdentifier } from './codeguru-security/client.js';
import { findingSource, type FindingRecord } from './codeguru-security/loader.js';
import { codeguruSecurityResolvers } from './codeguru-security/resolvers.js';
import { createInspector2Api, type FindingDetail, type Inspector2Api } from './inspector2/client.js';
import { findingDetailSource } from './inspector2/loader.js';
import { inspector2Resolvers } from './inspector2/resolvers.js';

/**
 * Process-wide clients: connection pools, credentials, retry state and limiters are shared.
 * Data is not, with one deliberate exception: Advalidation scans that can no longer change,
 * and GETs in flight, keyed by endpoint and API-key fingerprint (see advalidation/client.ts).
 */
export interface Upstreams {
  codebuild: CodeBuildApi;
  codeguruSecurity: CodeGuruSecurityApi;
  inspector2: Inspector2Api;
  advalidation: AdvalidationApi;
  /** The circuit of each upstream (and Inspector region), for /health. */
  circuits?: CircuitRegistry;
}

/** Per-request loaders: their caches live and die with one GraphQL request. */
export interface Loaders {
  build: DataLoader<string, Build, string>;
  finding: DataLoader<FindingIdentifier, FindingRecord, string>;
  findingDetail: DataLoader<string, FindingDetail, string>;
  scan: DataLoader<ScanKey, Scan, string>;
}

export interface UpstreamDependencies {
  logger: Logger;
  metrics?: Metrics;
}

export function createUpstreams(config: Config, { logger, metrics }: UpstreamDependencies): Upstreams {
  const circuits = new CircuitRegistry(config.circuitBreaker, ({ api, region, state }) => {
    metrics?.setCircuitState(api, region, state);
    if (state !== 'closed') logger.warn({ upstream: api, region, circuit: state }, 'upstream circuit not closed: its calls fail fast until a probe succeeds');
  });
  // Circuits wrap whole calls (after the client's retries), outside the limiters, so an open
  // circuit answers at once instead of queueing. Inspector's are per region, in its client.
  const codebuild = createCodeBuildApi(config.aws, (seconds) => metrics?.recordLimiterWait('codebuild', seconds));
  const codebuildCircuit = circuits.circuit('codebuild');
  const codeguru = createCodeGuruSecurityApi(config.aws, (seconds) => metrics?.recordLimiterWait('codeguru-security', seconds), config.codeguruSecurity);
  const codeguruCircuit = circuits.circuit('codeguru-security');
  const advalidation = createAdvalidationApi(config.advalidation, {
    logger,
    onLimiterWait: (seconds) => metrics?.recordLimiterWait('advalidation', seconds),
    onRetry: (reason) => metrics?.recordRetry('advalidation', reason),
  });
  const advalidationCircuit = circuits.circuit('advalidation');
  return {
    codebuild: { region: codebuild.region, batchGetBuilds: (ids, signal) => codebuildCircuit.execute(() => codebuild.batchGetBuilds(ids, signal)) },
    codeguruSecurity: { disabled: codeguru.disabled, batchGetFindings: (identifiers, signal) => codeguruCircuit.execute(() => codeguru.batchGetFindings(identifiers, signal)) },
    inspector2: createInspector2Api(config.aws, (seconds) => metrics?.recordLimiterWait('inspector2', seconds), (region) => circuits.circuit('inspector2', region)),
    advalidation: {
      getScan: (id, withTests, signal) => advalidationCircuit.execute(() => advalidation.getScan(id, withTests, signal)),
      forRequest(scope) {
        const view = advalidation.forRequest(scope);
        return { getScan: (id, withTests, signal) => advalidationCircuit.execute(() => view.getScan(id, withTests, signal)) };
      },
    },
    circuits,
  };
}

export interface LoaderOptions extends BatchOptions {
  /** When the request's budget ends (ms since epoch): Advalidation answers THROTTLED at once for scans it cannot fetch before. */
  deadline?: number;
}

export function createLoaders(upstreams: Upstreams, options: LoaderOptions): Loaders {
  return {
    build: createBatchLoader(buildSource(upstreams.codebuild), options),
    finding: createBatchLoader(findingSource(upstreams.codeguruSecurity), options),
    findingDetail: createBatchLoader(findingDetailSource(upstreams.inspector2), options),
    scan: createBatchLoader(scanSource(upstreams.advalidation.forRequest({ deadline: options.deadline })), options),
  };
}

export const upstreamResolvers: Resolvers[] = [codebuildResolvers, codeguruSecurityResolvers, inspector2Resolvers, advalidationResolvers];
