/**
 * The parsers every setting goes through, and the error that stops the process. A leaf: the
 * core settings, the shared AWS settings and each upstream's settings.ts import it, nothing
 * here imports them.
 */

/** The environment a configuration is read from: `process.env` in production, a plain object in tests. */
export type Env = Readonly<Record<string, string | undefined>>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** A variable's value, trimmed; blank counts as unset. */
export function text(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw ? raw : undefined;
}

/** A numeric setting within [min, max], or the fallback when unset. */
function numeric(kind: 'integer' | 'number', env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  // Decimal notation only: Number() would also take 0x3, 1e3 and 0b11, which nobody means here.
  const decimal = kind === 'integer' ? /^-?\d+$/ : /^-?\d+(\.\d+)?$/;
  const value = decimal.test(raw.trim()) ? Number(raw) : Number.NaN;
  const ok = kind === 'integer' ? Number.isInteger(value) : Number.isFinite(value);
  if (!ok || value < min || value > max) {
    throw new ConfigError(`${name} must be ${kind === 'integer' ? 'an integer' : 'a number'} between ${min} and ${max}, got "${raw}".`);
  }
  return value;
}

export const integer = (env: Env, name: string, fallback: number, min: number, max: number) =>
  numeric('integer', env, name, fallback, min, max);
export const number = (env: Env, name: string, fallback: number, min: number, max: number) =>
  numeric('number', env, name, fallback, min, max);

export function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}".`);
  }
  return raw as T;
}

/**
 * `true` or `false` (any case), else undefined when unset. `where` names the setting in the
 * message (a variable, or a key of the shared config file).
 */
export function flag(value: string | undefined, where: string): boolean | undefined {
  const raw = value?.trim().toLowerCase();
  if (!raw) return undefined;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new ConfigError(`${where} must be true or false, got "${value}".`);
}

/**
 * An http(s) URL, or a ConfigError naming where it came from. Endpoints are logged, so a URL
 * carrying credentials (`user:password@`) is refused without being quoted: a secret in a URL
 * would reach the start-up log (and fetch refuses such URLs on every call anyway). The example
 * defaults to the emulator's address (the AWS/Advalidation endpoints); a caller may give its own.
 */
export function httpUrl(value: string, where: string, example = 'http://127.0.0.1:4010'): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    if (value.includes('@')) throw new ConfigError(`${where} is not a URL (the value is not shown: it holds "@").`);
    throw new ConfigError(`${where} "${value}" is not a URL (for example ${example}).`);
  }
  if (url.username || url.password) {
    throw new ConfigError(`${where} must not carry credentials (user:password@…; the value is not shown): give the host only.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(`${where} "${value}" is not an http(s) URL.`);
  return value;
}

export const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
