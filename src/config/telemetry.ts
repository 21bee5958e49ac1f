/**
 * OpenTelemetry tracing settings, from the standard `OTEL_*` variables of the environment given
 * (the SDK packages are handed these values explicitly; see src/observability/tracing-sdk.ts).
 *
 * Off unless asked for: with neither OTEL_TRACES_EXPORTER nor an OTLP endpoint variable set, no
 * SDK is created. The spec's default exporter is `otlp`, but a subgraph that starts sending spans
 * to localhost:4318 because nobody said otherwise would only log export failures.
 */
import { ConfigError, flag, httpUrl, integer, number, oneOf, text, type Env } from './env.js';

/** The package name: what OTEL_SERVICE_NAME defaults to (and what the logs call the service). */
export const DEFAULT_SERVICE_NAME = 'appsec-ci-subgraph';

export type TraceExporterKind = 'otlp' | 'console';

export const SAMPLERS = [
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
  'always_on',
  'always_off',
  'traceidratio',
] as const;
export type SamplerKind = (typeof SAMPLERS)[number];

export interface OtlpTraceSettings {
  /** The full traces URL (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as given, or OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces). */
  url: string;
  /** Secret (API keys, bearer tokens): never logged, never in an error message. */
  headers: Readonly<Record<string, string>>;
  timeoutMs: number;
  compression: 'gzip' | 'none';
}

export interface TracingConfig {
  /** At least one; `none` alone means tracing is off (no TracingConfig at all). */
  exporters: readonly TraceExporterKind[];
  /** Set when `exporters` has `otlp`. */
  otlp: OtlpTraceSettings | undefined;
  serviceName: string;
  /** OTEL_RESOURCE_ATTRIBUTES, without service.name (OTEL_SERVICE_NAME, or its default, wins). */
  resourceAttributes: Readonly<Record<string, string>>;
  sampler: SamplerKind;
  /** For the ratio samplers: the share of new traces kept, 0..1. */
  samplerRatio: number;
}

export interface TelemetryConfig {
  /** Undefined: tracing off, no SDK, nothing recorded. */
  tracing: TracingConfig | undefined;
}

const ENDPOINT = 'OTEL_EXPORTER_OTLP_ENDPOINT';
const TRACES_ENDPOINT = 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT';

export function loadTelemetryConfig(env: Env): TelemetryConfig {
  if (flag(env.OTEL_SDK_DISABLED, 'OTEL_SDK_DISABLED')) return { tracing: undefined };
  const exporters = tracesExporters(env);
  if (exporters.length === 0) return { tracing: undefined };
  const resource = keyValueList(env, 'OTEL_RESOURCE_ATTRIBUTES', { secret: false });
  const serviceName = text(env, 'OTEL_SERVICE_NAME') ?? resource['service.name'] ?? DEFAULT_SERVICE_NAME;
  delete resource['service.name'];
  const sampler = oneOf(env, 'OTEL_TRACES_SAMPLER', SAMPLERS, 'parentbased_always_on');
  return {
    tracing: {
      exporters,
      otlp: exporters.includes('otlp') ? otlpSettings(env) : undefined,
      serviceName,
      resourceAttributes: resource,
      sampler,
      // The spec reads the argument for the ratio samplers only; a stray one elsewhere is not an error.
      samplerRatio: sampler.endsWith('traceidratio') ? number(env, 'OTEL_TRACES_SAMPLER_ARG', 1, 0, 1) : 1,
    },
  };
}

/** OTEL_TRACES_EXPORTER (a comma-separated list), or `otlp` when only an endpoint variable is set, or none. */
function tracesExporters(env: Env): TraceExporterKind[] {
  const raw = text(env, 'OTEL_TRACES_EXPORTER');
  if (raw === undefined) return text(env, ENDPOINT) || text(env, TRACES_ENDPOINT) ? ['otlp'] : [];
  const names = raw.split(',').map((name) => name.trim());
  for (const name of names) {
    if (name !== 'otlp' && name !== 'console' && name !== 'none') {
      throw new ConfigError(`OTEL_TRACES_EXPORTER must be otlp, console or none (or a comma-separated list of them), got "${raw}".`);
    }
  }
  if (names.includes('none')) {
    if (names.length > 1) throw new ConfigError(`OTEL_TRACES_EXPORTER "none" cannot be combined with other exporters, got "${raw}".`);
    return [];
  }
  return [...new Set(names as TraceExporterKind[])];
}

function otlpSettings(env: Env): OtlpTraceSettings {
  // The signal's own variable wins over the general one (the OTel spec's precedence), and the
  // error names the variable whose value is used.
  const protocolVariable =
    text(env, 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') !== undefined ? 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL' : 'OTEL_EXPORTER_OTLP_PROTOCOL';
  const protocol = text(env, protocolVariable);
  // The exporter speaks OTLP/HTTP with JSON bodies; every OTLP/HTTP receiver (port 4318) takes them
  // as well as protobuf ones, so http/protobuf (the spec's default) is served by the same exporter.
  if (protocol !== undefined && protocol !== 'http/json' && protocol !== 'http/protobuf') {
    throw new ConfigError(`${protocolVariable} must be http/protobuf or http/json (OTLP over HTTP), got "${protocol}".`);
  }
  const headers = {
    ...keyValueList(env, 'OTEL_EXPORTER_OTLP_HEADERS', { secret: true }),
    ...keyValueList(env, 'OTEL_EXPORTER_OTLP_TRACES_HEADERS', { secret: true }),
  };
  const timeoutMs = integer(
    env,
    'OTEL_EXPORTER_OTLP_TRACES_TIMEOUT',
    integer(env, 'OTEL_EXPORTER_OTLP_TIMEOUT', 10_000, 1, 600_000),
    1,
    600_000,
  );
  const compression =
    text(env, 'OTEL_EXPORTER_OTLP_TRACES_COMPRESSION') !== undefined
      ? oneOf(env, 'OTEL_EXPORTER_OTLP_TRACES_COMPRESSION', ['gzip', 'none'], 'none')
      : oneOf(env, 'OTEL_EXPORTER_OTLP_COMPRESSION', ['gzip', 'none'], 'none');
  return { url: tracesUrl(env), headers, timeoutMs, compression };
}

/** The spec's default collector address (OTLP/HTTP), also the example a malformed endpoint's error shows. */
const COLLECTOR_EXAMPLE = 'http://localhost:4318';

/** The signal-specific variable is the URL as it is; the general one is a base the signal's path goes under (as the spec says). */
function tracesUrl(env: Env): string {
  const specific = text(env, TRACES_ENDPOINT);
  if (specific !== undefined) return httpUrl(specific, TRACES_ENDPOINT, `${COLLECTOR_EXAMPLE}/v1/traces`);
  const base = text(env, ENDPOINT);
  if (base === undefined) return `${COLLECTOR_EXAMPLE}/v1/traces`;
  httpUrl(base, ENDPOINT, COLLECTOR_EXAMPLE);
  return `${base.replace(/\/+$/, '')}/v1/traces`;
}

/**
 * The spec's `key1=value1,key2=value2` list (values percent-encoded), as OTEL_EXPORTER_OTLP_HEADERS
 * and OTEL_RESOURCE_ATTRIBUTES take it. A malformed entry stops the start rather than being
 * dropped: a missing auth header would only show as a collector refusing every export. Header
 * values are secrets: a message names the variable and the entry's position, never its text.
 */
function keyValueList(env: Env, name: string, { secret }: { secret: boolean }): Record<string, string> {
  const raw = text(env, name);
  const result: Record<string, string> = {};
  if (raw === undefined) return result;
  const entries = raw.split(',');
  entries.forEach((entry, index) => {
    if (entry.trim() === '') return;
    const bad = (why: string) =>
      new ConfigError(
        `${name}: entry ${index + 1} ${why}; the variable takes key1=value1,key2=value2 (values percent-encoded)` +
          (secret ? ' (the value is not shown).' : `, got "${entry.trim()}".`),
      );
    const equals = entry.indexOf('=');
    if (equals <= 0) throw bad('has no key=value');
    const key = entry.slice(0, equals).trim();
    if (key === '' || /[\s"]/.test(key)) throw bad('has no valid key');
    let value: string;
    try {
      value = decodeURIComponent(entry.slice(equals + 1).trim());
    } catch {
      throw bad('has a malformed percent-encoding');
    }
    // A header value with a line break would be refused by Node at the first export; say so now.
    if (secret && /[\r\n\0]/.test(value)) throw bad('has a control character in its value');
    result[secret ? key.toLowerCase() : key] = value;
  });
  return result;
}
