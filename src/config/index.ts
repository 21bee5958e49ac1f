/**
 * Reads and validates the configuration once, at start-up, from the environment it is given
 * (main.ts passes process.env; tests pass a plain object): the subgraph's own settings, the
 * shared AWS settings, and each registered upstream's section. Anything missing or malformed
 * stops the process with one line naming the variable, before a port is opened. Nothing else
 * in src/ reads the environment.
 */
import { UPSTREAMS, type SettingsOf, type UpstreamModules } from '../upstreams/registry.js';
import { loadAwsSettings, type AwsConfig, type AwsProfile } from './aws.js';
import { loadCoreConfig, type CoreConfig } from './core.js';
import type { Env } from './env.js';
import { loadTelemetryConfig, type TelemetryConfig } from './telemetry.js';

export { ConfigError, type Env } from './env.js';
export type { AwsConfig } from './aws.js';
export type { CoreConfig, SensitiveFieldsPolicy } from './core.js';
export type { TelemetryConfig, TracingConfig } from './telemetry.js';

export type Config<M extends UpstreamModules = typeof UPSTREAMS> = CoreConfig & {
  aws: AwsConfig;
  /** The shared config file's profile (endpoint-related keys only), for the modules' settings. */
  awsProfile: AwsProfile;
  /** OpenTelemetry tracing (the OTEL_* variables); off unless an exporter or OTLP endpoint is set. */
  telemetry: TelemetryConfig;
} & SettingsOf<M>;

export async function loadConfig<M extends UpstreamModules = typeof UPSTREAMS>(
  env: Env,
  modules: M = UPSTREAMS as unknown as M,
): Promise<Config<M>> {
  const { aws, profile } = await loadAwsSettings(env);
  const shared = { aws, awsProfile: profile };
  const sections = Object.fromEntries(modules.map((module) => [module.key, module.settings(env, shared)]));
  return { ...loadCoreConfig(env), aws, awsProfile: profile, telemetry: loadTelemetryConfig(env), ...sections } as Config<M>;
}
