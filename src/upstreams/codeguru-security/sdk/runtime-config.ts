/**
 * The Node runtime defaults of a generated client (`runtimeConfig.js` + `runtimeConfig.shared.js`),
 * for CodeGuru Security: every setting an operator can make for any AWS client (AWS_REGION,
 * AWS_MAX_ATTEMPTS, AWS_RETRY_MODE, AWS_USE_FIPS_ENDPOINT, AWS_USE_DUALSTACK_ENDPOINT,
 * AWS_SDK_UA_APP_ID, defaults mode, the default credential chain) is read the same way here.
 */
import { createRequire } from 'node:module';
import { createDefaultUserAgentProvider, NODE_APP_ID_CONFIG_OPTIONS } from '@aws-sdk/core/client';
import { NODE_AUTH_SCHEME_PREFERENCE_OPTIONS } from '@aws-sdk/core/httpAuthSchemes';
import { AwsRestJsonProtocol } from '@aws-sdk/core/protocols';
import { defaultProvider as credentialDefaultProvider } from '@aws-sdk/credential-provider-node';
import { Sha256 } from '@smithy/core/checksum';
import { loadConfigsForDefaultMode, NoOpLogger } from '@smithy/core/client';
import {
  loadConfig,
  NODE_REGION_CONFIG_FILE_OPTIONS,
  NODE_REGION_CONFIG_OPTIONS,
  NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS,
  NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS,
  resolveDefaultsModeConfig,
} from '@smithy/core/config';
import { parseUrl } from '@smithy/core/protocols';
import { DEFAULT_RETRY_MODE, NODE_MAX_ATTEMPT_CONFIG_OPTIONS, NODE_RETRY_MODE_CONFIG_OPTIONS } from '@smithy/core/retry';
import { calculateBodyLength, fromBase64, fromUtf8, toBase64, toUtf8 } from '@smithy/core/serde';
import { NodeHttpHandler, streamCollector } from '@smithy/node-http-handler';
import { defaultCodeGuruSecurityHttpAuthSchemeProvider, defaultHttpAuthSchemes } from './auth.js';
import { defaultEndpointResolver } from './endpoint/resolver.js';
import { errorTypeRegistries, NAMESPACE } from './schemas.js';

export const SERVICE_ID = 'CodeGuru Security';
export const API_VERSION = '2018-05-10';
/**
 * The client is assembled from this SDK release's packages, so it reports that version where a
 * generated client reports its own (`aws-sdk-js/<v> … api/codeguru-security#<v>`).
 */
export const CLIENT_VERSION = (createRequire(import.meta.url)('@aws-sdk/core/package.json') as { version: string }).version;

type Config = Record<string, unknown> & { profile?: string; logger?: unknown };

export function getRuntimeConfig(config: Config) {
  const defaultsMode = resolveDefaultsModeConfig(config as never);
  const defaultConfigProvider = () => defaultsMode().then(loadConfigsForDefaultMode);
  const logger = config.logger ?? new NoOpLogger();
  const loaderConfig = { profile: config.profile, logger };
  const shared = {
    apiVersion: API_VERSION,
    base64Decoder: fromBase64,
    base64Encoder: toBase64,
    disableHostPrefix: false,
    endpointProvider: defaultEndpointResolver,
    extensions: [],
    httpAuthSchemeProvider: defaultCodeGuruSecurityHttpAuthSchemeProvider,
    httpAuthSchemes: defaultHttpAuthSchemes(),
    logger,
    protocol: AwsRestJsonProtocol,
    protocolSettings: { defaultNamespace: NAMESPACE, errorTypeRegistries, version: API_VERSION, serviceTarget: 'AwsCodeGuruSecurity' },
    serviceId: SERVICE_ID,
    sha256: Sha256,
    urlParser: parseUrl,
    utf8Decoder: fromUtf8,
    utf8Encoder: toUtf8,
  };
  return {
    ...shared,
    ...config,
    runtime: 'node',
    defaultsMode,
    authSchemePreference: config.authSchemePreference ?? loadConfig(NODE_AUTH_SCHEME_PREFERENCE_OPTIONS, loaderConfig as never),
    bodyLengthChecker: config.bodyLengthChecker ?? calculateBodyLength,
    credentialDefaultProvider: config.credentialDefaultProvider ?? credentialDefaultProvider,
    defaultUserAgentProvider:
      config.defaultUserAgentProvider ?? createDefaultUserAgentProvider({ serviceId: SERVICE_ID, clientVersion: CLIENT_VERSION }),
    maxAttempts: config.maxAttempts ?? loadConfig(NODE_MAX_ATTEMPT_CONFIG_OPTIONS, config as never),
    region: config.region ?? loadConfig(NODE_REGION_CONFIG_OPTIONS, { ...NODE_REGION_CONFIG_FILE_OPTIONS, ...loaderConfig } as never),
    requestHandler: NodeHttpHandler.create((config.requestHandler ?? defaultConfigProvider) as never),
    retryMode:
      config.retryMode ??
      loadConfig(
        { ...NODE_RETRY_MODE_CONFIG_OPTIONS, default: async () => (await defaultConfigProvider()).retryMode || DEFAULT_RETRY_MODE },
        config as never,
      ),
    streamCollector: config.streamCollector ?? streamCollector,
    useDualstackEndpoint: config.useDualstackEndpoint ?? loadConfig(NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS, loaderConfig as never),
    useFipsEndpoint: config.useFipsEndpoint ?? loadConfig(NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS, loaderConfig as never),
    userAgentAppId: config.userAgentAppId ?? loadConfig(NODE_APP_ID_CONFIG_OPTIONS, loaderConfig as never),
  };
}
