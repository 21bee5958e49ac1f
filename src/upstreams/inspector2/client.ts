import {
  BatchGetFindingDetailsCommand,
  BatchGetFindingDetailsResponse$,
  Inspector2Client,
  ListFindingsCommand,
} from '@aws-sdk/client-inspector2';
import { AwsRestJsonProtocol } from '@aws-sdk/core/protocols';
import { LRUCache } from 'lru-cache';
import type { AwsConfig } from '../../config/aws.js';
import { withAwsSpan } from '../../observability/tracing-upstream.js';
import type { UpstreamCircuit } from '../../reliability/circuit-breaker.js';
import { awsClientOptions } from '../aws/client-options.js';
import { withLeanDeserializer } from '../aws/lean-deserializer.js';
import { awsCallGate, withoutSdkResponseLogging } from '../aws/sdk-tuning.js';
import type { Inspector2Api } from './model.js';

export type { BatchGetFindingDetailsResult, FindingDetail, FindingDetailsError, Inspector2Api } from './model.js';

/**
 * Regions the process keeps a client for. Far more than AWS has, so real traffic never evicts;
 * the bound exists because the region comes from caller-supplied ARNs, and ARNs naming
 * made-up regions (any `xx-yyy-9` passes the model's pattern) must not grow the process forever.
 */
export const MAX_REGION_CLIENTS = 64;

/** The client's own protocol (restJson1), with BatchGetFindingDetails answers read by the lean deserializer. */
export const LEAN_INSPECTOR2_PROTOCOL = withLeanDeserializer(AwsRestJsonProtocol, [BatchGetFindingDetailsResponse$]);

/**
 * One official SDK client per region, created on first use and kept for the process: a
 * finding ARN names its region, and each region's calls must be signed for it. A configured
 * endpoint (resolved once in src/config: `AWS_ENDPOINT_URL_INSPECTOR2`, …) applies to every region's client.
 */
export function createInspector2Api(
  aws: AwsConfig,
  onLimiterWait?: (seconds: number) => void,
  circuitFor?: (region: string) => UpstreamCircuit,
  { leanDeserializer = true }: { leanDeserializer?: boolean } = {},
): Inspector2Api {
  // An evicted client is not destroyed: a request may still be using it. Once its idle
  // keep-alive sockets close, the garbage collector has it.
  const regions = new LRUCache<string, Inspector2Client>({ max: MAX_REGION_CLIENTS });
  const clientFor = (region: string): Inspector2Client => {
    let client = regions.get(region);
    if (!client) {
      client = new Inspector2Client({
        ...awsClientOptions(aws, region),
        ...(leanDeserializer ? { protocol: LEAN_INSPECTOR2_PROTOCOL } : {}),
      });
      withoutSdkResponseLogging(client);
      regions.set(region, client);
    }
    return client;
  };
  // One cap on calls in flight across all regions: AWS_MAX_CONCURRENT_CALLS bounds the process's
  // Inspector traffic as a whole, however many regions the ARNs of concurrent requests name.
  const gated = awsCallGate(aws.maxConcurrentCalls, onLimiterWait);
  return {
    defaultRegion: aws.region,
    async batchGetFindingDetails(region, findingArns, signal) {
      const client = clientFor(region);
      // The SDK races its retry waits (including a Retry-After wait) against this signal, so
      // no attempt starts after the request's budget is spent.
      const call = () =>
        gated(
          () =>
            withAwsSpan('Inspector2', 'BatchGetFindingDetails', region, () =>
              client.send(new BatchGetFindingDetailsCommand({ findingArns: [...findingArns] }), { abortSignal: signal }),
            ),
          signal,
        );
      // One region down opens that region's circuit only (Inspector is regional).
      const output = await (circuitFor ? circuitFor(region).execute(call) : call());
      return { findingDetails: output.findingDetails ?? [], errors: output.errors ?? [] };
    },
    // The same gate, circuit, span and signal as the lookups: a list call is just another Inspector call of its region.
    async listFindings(region, request, signal) {
      const client = clientFor(region);
      const call = () =>
        gated(
          () =>
            withAwsSpan('Inspector2', 'ListFindings', region, () => client.send(new ListFindingsCommand(request), { abortSignal: signal })),
          signal,
        );
      const output = await (circuitFor ? circuitFor(region).execute(call) : call());
      return { findings: output.findings ?? [], ...(output.nextToken ? { nextToken: output.nextToken } : {}) };
    },
  };
}
