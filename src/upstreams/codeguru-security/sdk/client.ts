/**
 * Amazon CodeGuru Security's client, assembled exactly as a generated AWS SDK v3 client
 * (`Inspector2Client.js` is the template) because `@aws-sdk/client-codeguru-security` is no
 * longer published: the same Smithy `Client`, the same config resolvers and the same middleware
 * (schema serde over AwsRestJsonProtocol, user agent, retry, content length, host header,
 * logger, recursion detection, auth scheme + endpoint rule set, SigV4 signing with clock-skew
 * correction). Behaviour therefore comes from the SDK's code, not from a copy of it. Swapping in
 * a generated client is one import: the names and the call shape are the generated ones.
 */
import {
  getHostHeaderPlugin,
  getLoggerPlugin,
  getRecursionDetectionPlugin,
  getUserAgentPlugin,
  getAwsRegionExtensionConfiguration,
  resolveAwsRegionExtensionConfiguration,
  resolveHostHeaderConfig,
  resolveUserAgentConfig,
} from '@aws-sdk/core/client';
import { DefaultIdentityProviderConfig, getHttpAuthSchemeEndpointRuleSetPlugin, getHttpSigningPlugin } from '@smithy/core';
import {
  Client,
  getDefaultExtensionConfiguration,
  resolveDefaultRuntimeConfig,
  type SmithyResolvedConfiguration,
} from '@smithy/core/client';
import { resolveRegionConfig } from '@smithy/core/config';
import { resolveEndpointConfig } from '@smithy/core/endpoints';
import {
  getContentLengthPlugin,
  getHttpHandlerExtensionConfiguration,
  resolveHttpHandlerRuntimeConfig,
  type HttpHandlerUserInput,
} from '@smithy/core/protocols';
import { getRetryPlugin, resolveRetryConfig } from '@smithy/core/retry';
import { getSchemaSerdePlugin } from '@smithy/core/schema';
import type {
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
  HttpHandlerOptions,
  Logger,
  Provider,
  RetryStrategyV2,
  UserAgent,
} from '@smithy/types';
import { defaultCodeGuruSecurityHttpAuthSchemeParametersProvider, resolveHttpAuthSchemeConfig } from './auth.js';
import { resolveClientEndpointParameters, type EndpointParameters } from './endpoint/resolver.js';
import type {
  BatchGetFindingsCommandInput,
  BatchGetFindingsCommandOutput,
  GetFindingsCommandInput,
  GetFindingsCommandOutput,
  ListScansCommandInput,
  ListScansCommandOutput,
} from './model.js';
import { getRuntimeConfig } from './runtime-config.js';

export type ServiceInputTypes = BatchGetFindingsCommandInput | GetFindingsCommandInput | ListScansCommandInput;
export type ServiceOutputTypes = BatchGetFindingsCommandOutput | GetFindingsCommandOutput | ListScansCommandOutput;

/** The generated client's option names (a subset: those a caller of this subgraph sets). */
export interface CodeGuruSecurityClientConfig {
  region?: string | Provider<string>;
  /** An explicit endpoint beats every configured one (and cannot be combined with FIPS/dual-stack). */
  endpoint?: string;
  /** True: configured endpoints (AWS_ENDPOINT_URL*, the shared config file) are not read; the caller resolved them. */
  ignoreConfiguredEndpointUrls?: boolean;
  useFipsEndpoint?: boolean | Provider<boolean>;
  useDualstackEndpoint?: boolean | Provider<boolean>;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  maxAttempts?: number | Provider<number>;
  retryMode?: string | Provider<string>;
  /** Replaces the strategy `retryMode` would pick (e.g. a ConfiguredRetryStrategy). */
  retryStrategy?: RetryStrategyV2;
  /** A handler, or its options (`requestTimeout` is per attempt). */
  requestHandler?: HttpHandlerUserInput;
  /** Milliseconds the local clock is behind the service's; the signer keeps it up to date. */
  systemClockOffset?: number;
  customUserAgent?: string | UserAgent;
  userAgentAppId?: string | Provider<string | undefined>;
  profile?: string;
  logger?: Logger;
  endpointProvider?: (params: EndpointParameters, context?: { logger?: Logger }) => unknown;
}

/** The resolved configuration (what `client.config` holds), loosely typed: it is the SDK's. */
export type CodeGuruSecurityClientResolvedConfig = SmithyResolvedConfiguration<HttpHandlerOptions> &
  Record<string, unknown> & {
    systemClockOffset: number;
    region: Provider<string>;
    useFipsEndpoint: Provider<boolean>;
    useDualstackEndpoint: Provider<boolean>;
    serviceId: string;
  };

export class CodeGuruSecurityClient extends Client<
  HttpHandlerOptions,
  ServiceInputTypes,
  ServiceOutputTypes,
  CodeGuruSecurityClientResolvedConfig
> {
  override readonly config: CodeGuruSecurityClientResolvedConfig;

  constructor(...[configuration]: [CodeGuruSecurityClientConfig] | []) {
    const config0: Record<string, unknown> = getRuntimeConfig({ ...(configuration ?? {}) });
    super(config0 as never);
    this.initConfig = config0;
    // The generated order of resolvers; each adds what the next and the middleware read.
    let config: Record<string, unknown> = resolveClientEndpointParameters(config0 as never);
    config = resolveUserAgentConfig(config as never);
    config = resolveRetryConfig(config as never);
    config = resolveRegionConfig(config as never);
    config = resolveHostHeaderConfig(config as never);
    config = resolveEndpointConfig(config as never);
    config = resolveHttpAuthSchemeConfig(config);
    config = resolveRuntimeExtensions(config);
    this.config = config as CodeGuruSecurityClientResolvedConfig;
    const c = this.config as never;
    this.middlewareStack.use(getSchemaSerdePlugin(c));
    this.middlewareStack.use(getUserAgentPlugin(c));
    this.middlewareStack.use(getRetryPlugin(c));
    this.middlewareStack.use(getContentLengthPlugin(c));
    this.middlewareStack.use(getHostHeaderPlugin(c));
    this.middlewareStack.use(getLoggerPlugin(c));
    this.middlewareStack.use(getRecursionDetectionPlugin(c));
    this.middlewareStack.use(
      getHttpAuthSchemeEndpointRuleSetPlugin(c, {
        httpAuthSchemeParametersProvider: defaultCodeGuruSecurityHttpAuthSchemeParametersProvider as never,
        identityProviderConfigProvider: async (resolved: { credentials: unknown }) =>
          new DefaultIdentityProviderConfig({ 'aws.auth#sigv4': resolved.credentials as never }),
      } as never),
    );
    this.middlewareStack.use(getHttpSigningPlugin(c));
  }

  override destroy(): void {
    super.destroy();
  }
}

/** `runtimeExtensions.js`: no extensions here, but the same merge of region, handler and auth settings. */
function resolveRuntimeExtensions(runtimeConfig: Record<string, unknown>): Record<string, unknown> {
  const r = runtimeConfig as never;
  const extensionConfiguration = Object.assign(
    getAwsRegionExtensionConfiguration(r),
    getDefaultExtensionConfiguration(r),
    getHttpHandlerExtensionConfiguration(r),
  );
  return Object.assign(
    runtimeConfig,
    resolveAwsRegionExtensionConfiguration(extensionConfiguration as never),
    resolveDefaultRuntimeConfig(extensionConfiguration as never),
    resolveHttpHandlerRuntimeConfig(extensionConfiguration as never),
  );
}
