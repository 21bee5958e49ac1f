import { configuredEndpoint, type ConfiguredEndpoint, type SharedSettings } from '../../config/aws.js';
import type { Env } from '../../config/env.js';
import { leanDeserializerSetting } from '../aws/lean-deserializer.js';

/** The SDK's service id: AWS_ENDPOINT_URL_INSPECTOR2, `inspector2 =` in a services section. */
export const INSPECTOR2_SERVICE_ID = 'Inspector2';

/** Inspector's own settings: a configured endpoint applies to every region's client. */
export interface Inspector2Settings {
  endpoint?: ConfiguredEndpoint;
  /** AWS_LEAN_DESERIALIZER: BatchGetFindingDetails answers through the lean deserializer (src/upstreams/aws/lean-deserializer.ts). */
  leanDeserializer: boolean;
}

export function inspector2Settings(env: Env, { awsProfile }: SharedSettings): Inspector2Settings {
  const endpoint = configuredEndpoint(env, awsProfile, INSPECTOR2_SERVICE_ID);
  const leanDeserializer = leanDeserializerSetting(env);
  return endpoint ? { endpoint, leanDeserializer } : { leanDeserializer };
}
