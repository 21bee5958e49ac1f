import { setTimeout as sleep } from 'node:timers/promises';
import type { UpstreamName } from '../../src/errors.js';
import { mulberry32 } from './random.js';
import type { EmulatorRequest, EmulatorResponse, EmulatorRoute } from './route.js';

/** Misbehaviour to inject into one API's answers. Rates are probabilities in [0, 1]. */
export interface FaultSettings {
  /** Added to every answer, to model network and service time. */
  latencyMs?: number;
  /** Share of calls answered with the API's own throttling error. */
  throttleRate?: number;
  /** Share of calls answered with the API's own internal (5xx) error. */
  errorRate?: number;
  /** Every call fails with the API's internal error. */
  down?: boolean;
  /** Every call hangs this long before it is answered (a stalled upstream). */
  stallMs?: number;
  /** Only the first N calls from now are affected (e.g. "throttle once, then succeed"). */
  times?: number;
  /** Only calls this predicate accepts are affected (e.g. those asking for one id). Not settable over HTTP. */
  when?: (request: EmulatorRequest) => boolean;
}

/** Deterministic per-API fault injection (a seeded PRNG makes a failing run reproducible). */
export class Faults {
  private readonly settings = new Map<UpstreamName, FaultSettings>();
  private random = mulberry32(0x5eed);

  set(api: UpstreamName, settings: FaultSettings): void {
    this.settings.set(api, { ...settings });
  }

  clear(api?: UpstreamName): void {
    if (api) this.settings.delete(api);
    else this.settings.clear();
    this.random = mulberry32(0x5eed);
  }

  /** A fault response to send instead of the real answer, or undefined to answer normally. */
  async apply(api: UpstreamName, route: EmulatorRoute, request: EmulatorRequest): Promise<EmulatorResponse | undefined> {
    const settings = this.settings.get(api);
    if (!settings) return undefined;
    if (settings.when && !settings.when(request)) return undefined;
    if (settings.times !== undefined) {
      if (settings.times <= 0) return undefined;
      settings.times -= 1;
    }
    if (settings.latencyMs) await sleep(settings.latencyMs);
    if (settings.stallMs) await sleep(settings.stallMs);
    if (settings.down) return route.internalError();
    const roll = this.random();
    if (roll < (settings.throttleRate ?? 0)) return route.throttled();
    if (roll < (settings.throttleRate ?? 0) + (settings.errorRate ?? 0)) return route.internalError();
    return undefined;
  }
}

const NUMERIC_FAULTS = ['latencyMs', 'stallMs', 'times'] as const;
const RATE_FAULTS = ['throttleRate', 'errorRate'] as const;

/**
 * Why a body for `POST /__emulator/faults` ({ "<api>": FaultSettings, … }) cannot be applied,
 * or undefined: a control call that silently ignored a typo would make a test prove nothing.
 */
export function faultsProblem(body: unknown, apis: readonly string[]): string | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return `expected an object keyed by API (${apis.join(', ')})`;
  for (const [api, settings] of Object.entries(body)) {
    if (!apis.includes(api)) return `unknown API "${api.slice(0, 40)}" (one of ${apis.join(', ')})`;
    if (settings === null || typeof settings !== 'object' || Array.isArray(settings)) return `${api}: expected an object of fault settings`;
    for (const [name, value] of Object.entries(settings as Record<string, unknown>)) {
      if ((NUMERIC_FAULTS as readonly string[]).includes(name)) {
        if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return `${api}.${name} must be a number >= 0`;
      } else if ((RATE_FAULTS as readonly string[]).includes(name)) {
        if (typeof value !== 'number' || value < 0 || value > 1) return `${api}.${name} must be a probability in [0, 1]`;
      } else if (name === 'down') {
        if (typeof value !== 'boolean') return `${api}.down must be true or false`;
      } else {
        return `${api}: unknown fault "${name.slice(0, 40)}" (latencyMs, stallMs, times, throttleRate, errorRate, down)`;
      }
    }
  }
  return undefined;
}
