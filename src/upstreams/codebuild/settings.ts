import { configuredEndpoint, type ConfiguredEndpoint, type SharedSettings } from '../../config/aws.js';
import type { Env } from '../../config/env.js';
import { leanDeserializerSetting } from '../aws/lean-deserializer.js';

/** The SDK's service id: AWS_ENDPOINT_URL_CODEBUILD, `codebuild =` in a services section. */
export const CODEBUILD_SERVICE_ID = 'CodeBuild';

/** CodeBuild's own settings; region, retries and credentials are the shared AWS ones. */
export interface CodeBuildSettings {
  endpoint?: ConfiguredEndpoint;
  /** AWS_LEAN_DESERIALIZER: BatchGetBuilds answers through the lean deserializer (src/upstreams/aws/lean-deserializer.ts). */
  leanDeserializer: boolean;
}

export function codebuildSettings(env: Env, { awsProfile }: SharedSettings): CodeBuildSettings {
  const endpoint = configuredEndpoint(env, awsProfile, CODEBUILD_SERVICE_ID);
  const leanDeserializer = leanDeserializerSetting(env);
  return endpoint ? { endpoint, leanDeserializer } : { leanDeserializer };
}
