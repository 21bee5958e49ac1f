/**
 * The settings every AWS client of the subgraph shares, resolved once from the environment
 * given (never from process.env behind its back): region, retries, the credential provider,
 * FIPS / dual-stack, and each service's configured endpoint by the SDK's own precedence. The
 * clients then get all of it explicitly and read no configuration of their own.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, ParsedIniData } from '@smithy/types';
import { ConfigError, flag, httpUrl, integer, oneOf, REGION, text, type Env } from './env.js';

export interface AwsConfig {
  region: string;
  /** SDK retry mode. `standard` by default: see README "Retries" for why not `adaptive`. */
  retryMode: 'standard' | 'adaptive';
  maxAttempts: number;
  /** Socket-level timeout of one HTTP attempt. */
  attemptTimeoutMs: number;
  /** Base of the retry backoff; unset keeps the SDK's (100 ms, 500 ms when throttled). */
  retryBaseDelayMs?: number;
  /**
   * Calls one AWS API may have in flight across all requests of the process: when it
   * throttles, concurrent requests queue here instead of stampeding it with retries.
   */
  maxConcurrentCalls: number;
  /** One provider for every AWS client: static keys from the environment given, else the default chain. */
  credentials: AwsCredentialIdentityProvider;
  /** AWS_USE_FIPS_ENDPOINT, else the profile's use_fips_endpoint. */
  useFipsEndpoint: boolean;
  /** AWS_USE_DUALSTACK_ENDPOINT, else the profile's use_dualstack_endpoint. */
  useDualstackEndpoint: boolean;
  /** The configured endpoint of the one service a client is for (see forService); none: the SDK's regional rules. */
  endpoint?: ConfiguredEndpoint;
}

export interface ConfiguredEndpoint {
  url: string;
  /** Where it was configured (a variable, or the shared config file's section): for the start-up log. */
  source: string;
}

/** The profile the shared config files give, for settings a module resolves itself (its endpoint). */
export interface AwsProfile {
  name: string;
  /** The profile's endpoint-related keys, the credentials file's under the config file's (the SDK's merge). */
  settings: Record<string, string | undefined>;
  /** The config file's `[services …]` sections (keys `services.<name>`), nothing else. */
  configFile: ParsedIniData;
  configPath: string;
}

/** Settings every upstream module may build on (its settings(env, shared)): the AWS ones are shared by all AWS clients. */
export interface SharedSettings {
  aws: AwsConfig;
  /** The shared config file's profile, for settings a module resolves itself (its endpoint). */
  awsProfile: AwsProfile;
}

export interface AwsSettings {
  aws: AwsConfig;
  profile: AwsProfile;
}

/** Where the SDK looks for the home directory, from the environment given. */
const homeOf = (env: Env) => text(env, 'HOME') ?? text(env, 'USERPROFILE') ?? homedir();

export async function loadAwsSettings(env: Env): Promise<AwsSettings> {
  const region = text(env, 'AWS_REGION') ?? text(env, 'AWS_DEFAULT_REGION');
  if (!region) {
    throw new ConfigError('AWS_REGION is not set: set it to the region of your CodeBuild projects (for example AWS_REGION=eu-west-1).');
  }
  if (!REGION.test(region)) {
    throw new ConfigError(`AWS_REGION "${region}" is not an AWS region name (for example eu-west-1).`);
  }
  const profile = await loadProfile(env);
  const aws: AwsConfig = {
    region,
    retryMode: oneOf(env, 'AWS_RETRY_MODE', ['standard', 'adaptive'], 'standard'),
    maxAttempts: integer(env, 'AWS_MAX_ATTEMPTS', 3, 1, 10),
    attemptTimeoutMs: integer(env, 'AWS_ATTEMPT_TIMEOUT_MS', 10_000, 100, 600_000),
    maxConcurrentCalls: integer(env, 'AWS_MAX_CONCURRENT_CALLS', 32, 1, 1024),
    ...(env.AWS_RETRY_BASE_DELAY_MS ? { retryBaseDelayMs: integer(env, 'AWS_RETRY_BASE_DELAY_MS', 100, 1, 10_000) } : {}),
    credentials: credentialsFrom(env, profile),
    useFipsEndpoint: profileFlag(env, profile, 'AWS_USE_FIPS_ENDPOINT', 'use_fips_endpoint') ?? false,
    useDualstackEndpoint: profileFlag(env, profile, 'AWS_USE_DUALSTACK_ENDPOINT', 'use_dualstack_endpoint') ?? false,
  };
  return { aws, profile };
}

/** The profile keys endpoint and FIPS / dual-stack resolution reads. */
const PROFILE_KEYS = ['services', 'endpoint_url', 'ignore_configured_endpoint_urls', 'use_fips_endpoint', 'use_dualstack_endpoint'];

async function loadProfile(env: Env): Promise<AwsProfile> {
  const home = homeOf(env);
  const configPath = text(env, 'AWS_CONFIG_FILE') ?? join(home, '.aws', 'config');
  const credentialsPath = text(env, 'AWS_SHARED_CREDENTIALS_FILE') ?? join(home, '.aws', 'credentials');
  // Missing files are empty, as for the SDK. The cache is skipped: each load reads the files as they are now.
  const { configFile, credentialsFile } = await loadSharedConfigFiles({
    configFilepath: configPath,
    filepath: credentialsPath,
    ignoreCache: true,
  });
  const name = text(env, 'AWS_PROFILE') ?? 'default';
  // The SDK's merge (config file over credentials file), kept to the keys read here: no secret
  // of the credentials file ends up in Config.
  const merged: Record<string, string | undefined> = { ...credentialsFile[name], ...configFile[name] };
  const settings = Object.fromEntries(PROFILE_KEYS.map((key) => [key, merged[key]]));
  const services = Object.fromEntries(Object.entries(configFile).filter(([section]) => section.startsWith('services.')));
  return { name, settings, configFile: services, configPath };
}

/** A boolean from its variable, else the profile's key (the SDK's environment-then-file order). */
function profileFlag(env: Env, profile: AwsProfile, variable: string, key: string): boolean | undefined {
  return flag(env[variable], variable) ?? flag(profile.settings[key], `${key} in profile "${profile.name}" of ${profile.configPath}`);
}

/**
 * Static keys from the environment given (as the SDK's fromEnv reads them), unless AWS_PROFILE
 * is set: then, as in the SDK's default chain, the profile wins. Otherwise the default chain
 * (SSO, profile, process, web identity, container, instance), with the profile and file paths
 * of the environment given. Nothing is resolved here: main.ts asks once at start.
 */
function credentialsFrom(env: Env, profile: AwsProfile): AwsCredentialIdentityProvider {
  const accessKeyId = text(env, 'AWS_ACCESS_KEY_ID');
  const secretAccessKey = text(env, 'AWS_SECRET_ACCESS_KEY');
  if (accessKeyId && secretAccessKey && !text(env, 'AWS_PROFILE')) {
    const expiration = text(env, 'AWS_CREDENTIAL_EXPIRATION');
    const identity: AwsCredentialIdentity = {
      accessKeyId,
      secretAccessKey,
      ...(text(env, 'AWS_SESSION_TOKEN') ? { sessionToken: text(env, 'AWS_SESSION_TOKEN') } : {}),
      ...(expiration ? { expiration: new Date(expiration) } : {}),
      ...(text(env, 'AWS_CREDENTIAL_SCOPE') ? { credentialScope: text(env, 'AWS_CREDENTIAL_SCOPE') } : {}),
      ...(text(env, 'AWS_ACCOUNT_ID') ? { accountId: text(env, 'AWS_ACCOUNT_ID') } : {}),
    };
    return () => Promise.resolve(identity);
  }
  const configFilepath = text(env, 'AWS_CONFIG_FILE');
  const filepath = text(env, 'AWS_SHARED_CREDENTIALS_FILE');
  return defaultProvider({
    ...(text(env, 'AWS_PROFILE') ? { profile: profile.name } : {}),
    ...(configFilepath ? { configFilepath } : {}),
    ...(filepath ? { filepath } : {}),
  });
}

/**
 * A service's configured endpoint, by the SDK's precedence (getEndpointFromConfig): unless
 * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS (else the profile's ignore_configured_endpoint_urls) is
 * true, `AWS_ENDPOINT_URL_<SERVICE ID>`, then `AWS_ENDPOINT_URL`, then the profile's `services`
 * section (`<service_id> = \n endpoint_url = …`), then the profile's own `endpoint_url`. None:
 * the SDK's endpoint rules pick the regional one. A malformed URL stops the start.
 */
export function configuredEndpoint(env: Env, profile: AwsProfile, serviceId: string): ConfiguredEndpoint | undefined {
  const endpoint = findConfiguredEndpoint(env, profile, serviceId);
  // The SDK refuses these together on every call ("FIPS and custom endpoint are not supported"): say so at start.
  for (const [variable, key] of [
    ['AWS_USE_FIPS_ENDPOINT', 'use_fips_endpoint'],
    ['AWS_USE_DUALSTACK_ENDPOINT', 'use_dualstack_endpoint'],
  ] as const) {
    if (endpoint && profileFlag(env, profile, variable, key)) {
      throw new ConfigError(`${variable}=true cannot be combined with a configured endpoint (${endpoint.source}): unset one of them.`);
    }
  }
  return endpoint;
}

function findConfiguredEndpoint(env: Env, profile: AwsProfile, serviceId: string): ConfiguredEndpoint | undefined {
  const ignore = profileFlag(env, profile, 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS', 'ignore_configured_endpoint_urls');
  if (ignore) return undefined;
  const variable = ['AWS_ENDPOINT_URL', ...serviceId.split(' ').map((word) => word.toUpperCase())].join('_');
  // Both are checked, even when the first shadows the second: a malformed setting never waits to bite.
  const found = [variable, 'AWS_ENDPOINT_URL'].flatMap((name) => {
    const value = text(env, name);
    return value ? [{ url: httpUrl(value, name), source: name }] : [];
  });
  if (found[0]) return found[0];
  const where = `profile "${profile.name}" of ${profile.configPath}`;
  const services = profile.settings.services;
  if (services) {
    const section = profile.configFile[`services.${services}`];
    if (!section) throw new ConfigError(`The services section "${services}" named by ${where} is not in that file.`);
    const key = `${serviceId
      .split(' ')
      .map((word) => word.toLowerCase())
      .join('_')}.endpoint_url`;
    const value = section[key]?.trim();
    if (value)
      return {
        url: httpUrl(value, `${key} in [services ${services}] of ${profile.configPath}`),
        source: `[services ${services}] of ${profile.configPath}`,
      };
  }
  const own = profile.settings.endpoint_url?.trim();
  return own ? { url: httpUrl(own, `endpoint_url in ${where}`), source: `endpoint_url in ${where}` } : undefined;
}

/** The shared settings, for one service's clients: with that service's configured endpoint. */
export function forService(aws: AwsConfig, env: Env, profile: AwsProfile, serviceId: string): AwsConfig {
  const endpoint = configuredEndpoint(env, profile, serviceId);
  return endpoint ? { ...aws, endpoint } : { ...aws };
}
