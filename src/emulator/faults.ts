import { setTimeout as sleep } from 'node:timers/promises';
import type { UpstreamName } from '../errors.js';
import { mulberry32 } from './random.js';
import type { EmulatorRequest, EmulatorResponse, EmulatorRoute } from './server.js';

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

