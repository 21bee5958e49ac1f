import { getEndpointFromInstructions } from '@smithy/core/endpoints';
import type { AwsConfig } from '../../config/aws.js';
import { sdkClientOptions } from './sdk-tuning.js';

/**
 * The options every AWS SDK client is created with: the tuning (retries, per-attempt timeout)
 * and the configuration resolved once in src/config: credential provider, FIPS / dual-stack,
 * endpoint. Without a configured endpoint the client is told to ignore configured ones, so it
 * never reads AWS_ENDPOINT_URL* or the shared config file itself.
 */
export function awsClientOptions(aws: AwsConfig, region = aws.region) {
  return {
    ...sdkClientOptions(aws, region),
    credentials: aws.credentials,
    useFipsEndpoint: aws.useFipsEndpoint,
    useDualstackEndpoint: aws.useDualstackEndpoint,
    ...(aws.endpoint ? { endpoint: aws.endpoint.url } : { ignoreConfiguredEndpointUrls: true }),
  };
}

interface SdkClient {
  config: object;
  destroy(): void;
}

/**
 * Where an AWS client's calls go, asked of the client itself (the endpoint middleware's own
 * function: its configured endpoint, else its rule set for its region, FIPS and dual-stack),
 * for the start-up log. The client is a throwaway made with the real client's options.
 */
export async function describeClientEndpoint(aws: AwsConfig, client: SdkClient, command: unknown, input: object): Promise<string> {
  try {
    const endpoint = await getEndpointFromInstructions(input as never, command as never, client.config as never);
    const url = endpoint.url.href;
    return aws.endpoint ? `${url} (${aws.endpoint.source})` : `regional default ${url}`;
  } finally {
    client.destroy();
  }
}

/** The shared AWS settings for one service's clients: with that service's configured endpoint, if any. */
export function withEndpoint(aws: AwsConfig, endpoint: AwsConfig['endpoint']): AwsConfig {
  return endpoint ? { ...aws, endpoint } : aws;
}
