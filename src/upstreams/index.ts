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
  return {
    codebuild: createCodeBuildApi(config.aws, (seconds) => metrics?.recordLimiterWait('codebuild', seconds)),
    codeguruSecurity: createCodeGuruSecurityApi(config.aws, (seconds) => metrics?.recordLimiterWait('codeguru-security', seconds)),
    inspector2: createInspector2Api(config.aws, (seconds) => metrics?.recordLimiterWait('inspector2', seconds)),
    advalidation: createAdvalidationApi(config.advalidation, {
      logger,
      onLimiterWait: (seconds) => metrics?.recordLimiterWait('advalidation', seconds),
      onRetry: (reason) => metrics?.recordRetry('advalidation', reason),
    }),
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
