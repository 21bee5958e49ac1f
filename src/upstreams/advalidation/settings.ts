import { ConfigError, httpUrl, integer, number, type Env } from '../../config/env.js';

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
   * plentiful (8 scans in flight, all requests together).
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

export function advalidationSettings(env: Env): AdvalidationConfig {
  const apiKey = env.ADVALIDATION_API_KEY?.trim();
  if (!apiKey) {
    throw new ConfigError('ADVALIDATION_API_KEY is not set: set it to the API key your Advalidation account manager issued.');
  }
  // Checked here, without quoting it: fetch would reject it later with a message that quotes it.
  if (!/^[\x21-\x7e]+$/.test(apiKey)) {
    throw new ConfigError('ADVALIDATION_API_KEY contains spaces or characters an HTTP header cannot carry (the key is not shown).');
  }
  const baseUrl = (env.ADVALIDATION_BASE_URL?.trim() || 'https://app.advalidation.io').replace(/\/+$/, '');
  // The shared URL check: http(s) only, and never a URL carrying credentials (it would be logged, and fetch refuses it).
  httpUrl(baseUrl, 'ADVALIDATION_BASE_URL');
  return {
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
  };
}
