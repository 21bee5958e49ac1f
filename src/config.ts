/**
 * Reads and validates the environment once, at start-up. Anything missing or malformed stops the
 * process with one line naming the variable, before a port is opened.
 */
import type { CachePolicy } from './cache-hints.js';
import { CODEGURU_SECURITY_REGIONS } from './upstreams/codeguru-security/regions.js';
import type { SensitiveFieldsPolicy } from './sensitive-fields.js';

export interface Config {
  port: number;
  host: string;
  /** The Prometheus listener, apart from the public port (as Apollo Router does). */
  metricsPort: number;
  metricsHost: string;
  /** Connections the public listener accepts at once (server.maxConnections). */
  maxConnections: number;
  /** How long an idle keep-alive connection is kept open. */
  keepAliveTimeoutMs: number;
  logLevel: string;
  /** Each GraphQL request's time budget; upstream calls and their retries never outlive it. */
  requestTimeoutMs: number;
  /** Whether the SDL keeps its federation authorization directives (see SchemaOptions). */
  authorizationDirectives: 'keep' | 'strip';
  /** When set, /graphql answers only requests whose `router-authorization` header equals it. */
  routerSecret: string | undefined;
  /** `deny` (default): @requiresScopes fields only for requests carrying ROUTER_SECRET; `allow`: to anyone. */
  sensitiveFields: SensitiveFieldsPolicy;
  /** A header (lower case) in which a router may send its remaining budget in ms; it can only shorten ours. */
  deadlineHeader: string;
  aws: AwsConfig;
  codeguruSecurity: CodeGuruSecurityConfig;
  advalidation: AdvalidationConfig;
  /** Circuit breaking per upstream (and Inspector region); see src/reliability/circuit-breaker.ts. */
  circuitBreaker: { failureThreshold: number; halfOpenAfterMs: number };
  batching: {
    /** How many upstream calls one loader may run at once within one request. */
    concurrency: number;
  };
  /** Cache hints by entity state (seconds). */
  cache: CachePolicy;
  limits: {
    /** Keys one list argument (ids, identifiers, findingArns, _entities representations) may carry. */
    maxKeysPerList: number;
    /** Keys all root fields of one operation may carry together. */
    maxKeysPerRequest: number;
    /** Deepest selection allowed. */
    maxDepth: number;
    /** Most aliases in one operation. */
    maxAliases: number;
    /** Highest estimated cost (src/query-cost.ts) an operation may have; refused before it runs. */
    maxQueryCost: number;
    /** Largest JSON answer sent; a bigger one is replaced by an error. */
    maxResponseBytes: number;
  };
}

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
}

/** CodeGuru Security has a region (and a life) of its own: see upstreams/codeguru-security/regions.ts. */
export interface CodeGuruSecurityConfig {
  /** `CODEGURU_SECURITY=off`: its fields answer with one error and no call. */
  enabled: boolean;
  /** `CODEGURU_SECURITY_REGION`, else AWS_REGION. */
  region: string;
}

export interface AdvalidationConfig {
  /** Without `/v2`, which the client appends (the vendor SDK's convention). */
  baseUrl: string;
  /** Sent as X-API-Key; never logged, never echoed in an error. */
  apiKey: string;
  /**
   * The process-wide limiter. Advalidation limits per source IP (a bucket of about 15 that
   * refills about 1 request/s, per its SDK), shared by every replica behind one egress IP, and
   * says what is left in its headers, which then set the pace: rate and burst are only the
   * assumption before its first answer. The cap bounds calls in flight when the allowance is
   * plentiful (8: one request's whole per-loader fan-out, BATCH_CONCURRENCY).
   */
  maxConcurrency: number;
  ratePerSecond: number;
  burst: number;
  maxAttempts: number;
  attemptTimeoutMs: number;
  retryBaseDelayMs: number;
  /** Finished, failed and cancelled scans never change: kept process-wide for this long. */
  settledCacheTtlMs: number;
  settledCacheSize: number;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** A numeric setting within [min, max], or the fallback when unset. */
function numeric(kind: 'integer' | 'number', env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  const ok = kind === 'integer' ? Number.isInteger(value) : Number.isFinite(value);
  if (!ok || value < min || value > max) {
    throw new ConfigError(`${name} must be ${kind === 'integer' ? 'an integer' : 'a number'} between ${min} and ${max}, got "${raw}".`);
  }
  return value;
}

const integer = (env: Env, name: string, fallback: number, min: number, max: number) => numeric('integer', env, name, fallback, min, max);
const number = (env: Env, name: string, fallback: number, min: number, max: number) => numeric('number', env, name, fallback, min, max);

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}".`);
  }
  return raw as T;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

export function loadConfig(env: Env = process.env): Config {
  const region = env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim();
  if (!region) {
    throw new ConfigError('AWS_REGION is not set: set it to the region of your CodeBuild projects (for example AWS_REGION=eu-west-1).');
  }
  if (!REGION.test(region)) {
    throw new ConfigError(`AWS_REGION "${region}" is not an AWS region name (for example eu-west-1).`);
  }
  const apiKey = env.ADVALIDATION_API_KEY?.trim();
  if (!apiKey) {
    throw new ConfigError('ADVALIDATION_API_KEY is not set: set it to the API key your Advalidation account manager issued.');
  }
  // Checked here, without quoting it: fetch would reject it later with a message that quotes it.
  if (!/^[\x21-\x7e]+$/.test(apiKey)) {
    throw new ConfigError('ADVALIDATION_API_KEY contains spaces or characters an HTTP header cannot carry (the key is not shown).');
  }
  const baseUrl = (env.ADVALIDATION_BASE_URL?.trim() || 'https://app.advalidation.io').replace(/\/+$/, '');
  if (!/^https?:\/\/[^\s]+$/.test(baseUrl)) throw new ConfigError(`ADVALIDATION_BASE_URL "${baseUrl}" is not an http(s) URL.`);
  return {
    port: integer(env, 'PORT', 4001, 0, 65535),
    host: env.HOST?.trim() || '0.0.0.0',
    metricsPort: integer(env, 'METRICS_PORT', 9090, 0, 65535),
    metricsHost: env.METRICS_HOST?.trim() || '127.0.0.1',
    maxConnections: integer(env, 'MAX_CONNECTIONS', 1024, 1, 1_000_000),
    keepAliveTimeoutMs: integer(env, 'KEEP_ALIVE_TIMEOUT_MS', 5_000, 100, 600_000),
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
    requestTimeoutMs: integer(env, 'REQUEST_TIMEOUT_MS', 25_000, 100, 600_000),
    routerSecret: env.ROUTER_SECRET ? env.ROUTER_SECRET : undefined,
    authorizationDirectives: oneOf(env, 'AUTHORIZATION_DIRECTIVES', ['keep', 'strip'], 'keep'),
    sensitiveFields: oneOf(env, 'SENSITIVE_FIELDS', ['allow', 'deny'], 'deny'),
    deadlineHeader: (env.DEADLINE_HEADER?.trim() || 'x-request-timeout-ms').toLowerCase(),
    aws: {
      region,
      retryMode: oneOf(env, 'AWS_RETRY_MODE', ['standard', 'adaptive'], 'standard'),
      maxAttempts: integer(env, 'AWS_MAX_ATTEMPTS', 3, 1, 10),
      attemptTimeoutMs: integer(env, 'AWS_ATTEMPT_TIMEOUT_MS', 10_000, 100, 600_000),
      maxConcurrentCalls: integer(env, 'AWS_MAX_CONCURRENT_CALLS', 32, 1, 1024),
      ...(env.AWS_RETRY_BASE_DELAY_MS ? { retryBaseDelayMs: integer(env, 'AWS_RETRY_BASE_DELAY_MS', 100, 1, 10_000) } : {}),
    },
    codeguruSecurity: codeguruSecurityConfig(env, region),
    advalidation: {
      baseUrl: baseUrl.replace(/\/v2$/, ''),
      apiKey,
      maxConcurrency: integer(env, 'ADVALIDATION_MAX_CONCURRENCY', 8, 1, 64),
      ratePerSecond: number(env, 'ADVALIDATION_RATE_PER_SECOND', 1, 0.01, 1000),
      burst: integer(env, 'ADVALIDATION_BURST', 15, 1, 10_000),
      maxAttempts: integer(env, 'ADVALIDATION_MAX_ATTEMPTS', 5, 1, 10),
      attemptTimeoutMs: integer(env, 'ADVALIDATION_ATTEMPT_TIMEOUT_MS', 10_000, 100, 600_000),
      retryBaseDelayMs: integer(env, 'ADVALIDATION_RETRY_BASE_DELAY_MS', 500, 1, 60_000),
      settledCacheTtlMs: integer(env, 'ADVALIDATION_SETTLED_CACHE_TTL_MS', 600_000, 0, 86_400_000),
      settledCacheSize: integer(env, 'ADVALIDATION_SETTLED_CACHE_SIZE', 5_000, 0, 1_000_000),
    },
    circuitBreaker: {
      failureThreshold: integer(env, 'CIRCUIT_BREAKER_FAILURES', 5, 0, 1000),
      halfOpenAfterMs: integer(env, 'CIRCUIT_BREAKER_HALF_OPEN_MS', 10_000, 50, 3_600_000),
    },
    batching: {
      concurrency: integer(env, 'BATCH_CONCURRENCY', 8, 1, 256),
    },
    cache: {
      settledMaxAge: integer(env, 'CACHE_MAX_AGE_SETTLED', 86_400, 0, 31_536_000),
      activeMaxAge: integer(env, 'CACHE_MAX_AGE_ACTIVE', 5, 0, 86_400),
      findingMaxAge: integer(env, 'CACHE_MAX_AGE_FINDINGS', 300, 0, 86_400),
    },
    limits: {
      maxKeysPerList: integer(env, 'MAX_KEYS_PER_LIST', 1000, 1, 100_000),
      maxKeysPerRequest: integer(env, 'MAX_KEYS_PER_REQUEST', 2000, 1, 1_000_000),
      maxDepth: integer(env, 'MAX_QUERY_DEPTH', 12, 2, 100),
      maxAliases: integer(env, 'MAX_ALIASES', 30, 0, 1000),
      // 1000 builds with every field cost 555,000 (about 7.8 MB of JSON): the largest answer one
      // list may carry. 750,000 admits it with room for a smaller list beside it (1000 full scans
      // cost 145,000) and refuses two of it (1,110,000). See src/query-cost.ts for the weights.
      maxQueryCost: integer(env, 'MAX_QUERY_COST', 750_000, 1, 1_000_000_000),
      // 32 MiB: four times the 7.8 MB of 1000 full builds; the cost limit refuses most bigger answers first.
      maxResponseBytes: integer(env, 'MAX_RESPONSE_BYTES', 32 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    },
  };
}

/**
 * CodeGuru Security's own switch and region. The region is checked against where the service
 * existed, unless an endpoint is configured for it (then the region only scopes the signature):
 * a region outside them would send every call to a host that does not exist.
 */
function codeguruSecurityConfig(env: Env, awsRegion: string): CodeGuruSecurityConfig {
  const enabled = oneOf(env, 'CODEGURU_SECURITY', ['on', 'off'], 'on') === 'on';
  const own = env.CODEGURU_SECURITY_REGION?.trim();
  if (own && !REGION.test(own)) throw new ConfigError(`CODEGURU_SECURITY_REGION "${own}" is not an AWS region name (for example eu-west-1).`);
  const region = own || awsRegion;
  const ignore = env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.toLowerCase() === 'true';
  const configuredEndpoint = !ignore && Boolean(env.AWS_ENDPOINT_URL_CODEGURU_SECURITY || env.AWS_ENDPOINT_URL);
  if (enabled && !configuredEndpoint && !(CODEGURU_SECURITY_REGIONS as readonly string[]).includes(region)) {
    const variable = own ? 'CODEGURU_SECURITY_REGION' : 'AWS_REGION (CODEGURU_SECURITY_REGION is not set)';
    throw new ConfigError(
      `${variable} "${region}" is not a region where Amazon CodeGuru Security existed (${CODEGURU_SECURITY_REGIONS.join(', ')}): set CODEGURU_SECURITY_REGION to one of them, or CODEGURU_SECURITY=off.`,
    );
  }
  return { enabled, region };
}

/**
 * The endpoint an AWS SDK client will use, by the SDK's own precedence for environment
 * settings (service-specific variable, then AWS_ENDPOINT_URL, then the regional default).
 * Used to tell the operator where each upstream is; the clients resolve it themselves.
 */
export function describeAwsEndpoint(env: Env, serviceId: string, hostPrefix: string, region: string): string {
  const ignore = env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.toLowerCase() === 'true';
  const specific = `AWS_ENDPOINT_URL_${serviceId.toUpperCase().split(' ').join('_')}`;
  if (!ignore && env[specific]) return `${env[specific]} (${specific})`;
  if (!ignore && env.AWS_ENDPOINT_URL) return `${env.AWS_ENDPOINT_URL} (AWS_ENDPOINT_URL)`;
  return `https://${hostPrefix}.${region}.amazonaws.com`;
}
