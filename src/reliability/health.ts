import type { CircuitRegistry, DegradedUpstream } from './circuit-breaker.js';

/** What GET /health answers. */
export interface HealthPayload {
  status: 'ok' | 'stopping';
  /** Upstreams (per region where regional) whose circuit is open or probing; empty when all are closed. */
  degraded: DegradedUpstream[];
}

/**
 * The health payload. An open circuit is listed but does not fail the check: the subgraph still
 * serves the other upstreams (and answers this one's items with errors at once), so a load
 * balancer must not take it out of service for an upstream's outage.
 */
export function healthPayload(serving: boolean, circuits: CircuitRegistry | undefined): HealthPayload {
  return { status: serving ? 'ok' : 'stopping', degraded: circuits?.degraded() ?? [] };
}
