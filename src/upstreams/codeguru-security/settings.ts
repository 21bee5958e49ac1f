import { configuredEndpoint, type ConfiguredEndpoint, type SharedSettings } from '../../config/aws.js';
import { ConfigError, oneOf, REGION, text, type Env } from '../../config/env.js';
import { leanDeserializerSetting } from '../aws/lean-deserializer.js';
import { CODEGURU_SECURITY_REGIONS } from './regions.js';

/** The SDK's service id: AWS_ENDPOINT_URL_CODEGURU_SECURITY, `codeguru_security =` in a services section. */
export const CODEGURU_SECURITY_SERVICE_ID = 'CodeGuru Security';

/** CodeGuru Security has a region (and a life) of its own: see regions.ts. */
export interface CodeGuruSecurityConfig {
  /** `CODEGURU_SECURITY=off`: its fields answer with one error and no call. */
  enabled: boolean;
  /** `CODEGURU_SECURITY_REGION`, else AWS_REGION. */
  region: string;
  endpoint?: ConfiguredEndpoint;
  /** AWS_LEAN_DESERIALIZER: BatchGetFindings answers through the lean deserializer (src/upstreams/aws/lean-deserializer.ts). */
  leanDeserializer: boolean;
}

/**
 * Its switch and region. The region is checked against where the service existed, unless an
 * endpoint is configured for it (then the region only scopes the signature): a region outside
 * them would send every call to a host that does not exist.
 */
export function codeguruSecuritySettings(env: Env, { aws, awsProfile }: SharedSettings): CodeGuruSecurityConfig {
  const enabled = oneOf(env, 'CODEGURU_SECURITY', ['on', 'off'], 'on') === 'on';
  const own = text(env, 'CODEGURU_SECURITY_REGION');
  if (own && !REGION.test(own))
    throw new ConfigError(`CODEGURU_SECURITY_REGION "${own}" is not an AWS region name (for example eu-west-1).`);
  const region = own ?? aws.region;
  const endpoint = configuredEndpoint(env, awsProfile, CODEGURU_SECURITY_SERVICE_ID);
  if (enabled && !endpoint && !(CODEGURU_SECURITY_REGIONS as readonly string[]).includes(region)) {
    const variable = own ? 'CODEGURU_SECURITY_REGION' : 'AWS_REGION (CODEGURU_SECURITY_REGION is not set)';
    throw new ConfigError(
      `${variable} "${region}" is not a region where Amazon CodeGuru Security existed (${CODEGURU_SECURITY_REGIONS.join(', ')}): set CODEGURU_SECURITY_REGION to one of them, or CODEGURU_SECURITY=off.`,
    );
  }
  const leanDeserializer = leanDeserializerSetting(env);
  return endpoint ? { enabled, region, endpoint, leanDeserializer } : { enabled, region, leanDeserializer };
}
