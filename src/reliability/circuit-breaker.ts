import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  IsolatedCircuitError,
  circuitBreaker,
  handleWhen,
  type CircuitBreakerPolicy,
} from 'cockatiel';
import { LRUCache } from 'lru-cache';
import type { UpstreamName } from '../errors.js';
import { failureKindOf, httpStatusOf, withFailureKind } from './failure-kinds.js';

/**
 * Circuit breaking per upstream (per region where the API is regional), on cockatiel.
 *
 * Closed: calls pass; a call that fails in a way that says the upstream is down (see
 * `upstreamIsFailing`) counts, a success resets the count, other errors do neither. After `failureThreshold`
 * such calls in a row the circuit opens: calls fail at once, without a request, with an error
 * of kind `circuit-open` (UPSTREAM_ERROR "… is unavailable …; retry later"), instead of each
 * request spending its retries and its time budget on a dead upstream. After
 * `halfOpenAfterMs` the next call is a probe (calls arriving meanwhile wait for its outcome):
 * success closes the circuit, failure opens it again for another period. No timer is needed:
 * traffic itself probes.
 */
export interface CircuitSettings {
  /** Failed calls in a row that open the circuit; 0 disables circuit breaking. */
  failureThreshold: number;
  /** How long an open circuit refuses calls before it lets one probe through. */
  halfOpenAfterMs: number;
}

export type CircuitStateName = 'closed' | 'half-open' | 'open';

/** Which errors count against an upstream. */
export type FailureClassifier = (error: unknown) => boolean;

/**
 * The default classifier: the upstream could not be reached, did not answer within the attempt
 * timeout, or answered 5xx (all after the client's retries), whatever else it said. Not counted:
 * throttling (the gates handle it), 4xx (the caller's input), the request's own budget running
 * out (a short router deadline says nothing about the upstream), calls never sent.
 */
export function upstreamIsFailing(error: unknown): boolean {
  const kind = failureKindOf(error);
  if (kind === 'unreachable' || kind === 'attempt-timeout') return true;
  if (kind === 'budget-expired' || kind === 'circuit-open' || kind === 'rate-deferred') return false;
  const status = httpStatusOf(error);
  return status !== undefined && status >= 500;
}

const STATE_NAMES: Record<CircuitState, CircuitStateName> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Open]: 'open',
  [CircuitState.Isolated]: 'open',
};

export interface CircuitEvent {
  api: UpstreamName;
  region: string;
  state: CircuitStateName;
}

/** One upstream's (or one region's) circuit. */
export class UpstreamCircuit {
  private readonly policy: CircuitBreakerPolicy | undefined;
  private changedAt = Date.now();

  constructor(
    readonly api: UpstreamName,
    readonly region: string,
    settings: CircuitSettings,
    classifier: FailureClassifier = upstreamIsFailing,
    onStateChange?: (event: CircuitEvent) => void,
  ) {
    if (settings.failureThreshold <= 0) return;
    this.policy = circuitBreaker(handleWhen(classifier), {
      halfOpenAfter: settings.halfOpenAfterMs,
      breaker: new ConsecutiveBreaker(settings.failureThreshold),
    });
    this.policy.onStateChange((state) => {
      this.changedAt = Date.now();
      onStateChange?.({ api, region, state: STATE_NAMES[state] });
    });
  }

  get state(): CircuitStateName {
    return this.policy ? STATE_NAMES[this.policy.state] : 'closed';
  }

  /** When the state last changed (ms since epoch). */
  get since(): number {
    return this.changedAt;
  }

  /** Runs one upstream call through the circuit; an open circuit answers at once with a `circuit-open` error. */
  async execute<T>(call: () => Promise<T>): Promise<T> {
    if (!this.policy) return call();
    try {
      return await this.policy.execute(() => call());
    } catch (error) {
      if (error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError) {
        throw withFailureKind(Object.assign(new Error(`The ${this.api} circuit is open.`), { name: 'CircuitOpenError' }), 'circuit-open');
      }
      throw error;
    }
  }
}

export interface DegradedUpstream {
  api: UpstreamName;
  region: string;
  state: Exclude<CircuitStateName, 'closed'>;
  /** When it entered that state, ISO-8601. */
  since: string;
}

/**
 * Circuits the process keeps. Inspector regions come from caller-supplied ARNs (any
 * `xx-yyy-9` passes the pattern), so the set is bounded like the region clients are; real
 * traffic (4 upstreams, a few dozen regions) never evicts.
 */
export const MAX_CIRCUITS = 256;

/**
 * Every circuit of the process, created on first use. Reports state changes for the metrics gauge.
 */
export class CircuitRegistry {
  private readonly circuits = new LRUCache<string, UpstreamCircuit>({ max: MAX_CIRCUITS });

  constructor(
    private readonly settings: CircuitSettings,
    private readonly onStateChange?: (event: CircuitEvent) => void,
  ) {}

  circuit(api: UpstreamName, region = 'default', classifier: FailureClassifier = upstreamIsFailing): UpstreamCircuit {
    const id = `${api}|${region}`;
    let circuit = this.circuits.get(id);
    if (!circuit) {
      circuit = new UpstreamCircuit(api, region, this.settings, classifier, this.onStateChange);
      this.circuits.set(id, circuit);
      this.onStateChange?.({ api, region, state: 'closed' });
    }
    return circuit;
  }

  /** Circuits that are not closed, for /health. */
  degraded(): DegradedUpstream[] {
    const out: DegradedUpstream[] = [];
    for (const circuit of this.circuits.values()) {
      const state = circuit.state;
      if (state !== 'closed') out.push({ api: circuit.api, region: circuit.region, state, since: new Date(circuit.since).toISOString() });
    }
    return out;
  }
}
