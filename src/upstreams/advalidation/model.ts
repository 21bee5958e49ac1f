import type { UpstreamIdentity } from '../../errors.js';

/** How errors, logs and metrics name Advalidation: `extensions.upstream`, the metric label, the message label. */
export const ADVALIDATION = { name: 'advalidation', label: 'Advalidation' } as const satisfies UpstreamIdentity;

// Scan, AdvalidationCheckResult and AdvalidationCheckResultAttribute are also what the object types
// of schema/advalidation.graphql resolve from (codegen.ts maps each type to the export of its name):
// the vendor's names with the upstream prefix, as the GraphQL types take them.

/** One attribute of a check (the vendor SDK's types). */
export interface AdvalidationCheckResultAttribute {
  name?: string | null;
  description?: string | null;
  value?: string | null;
}

/** One check of a scan (the vendor SDK's ApiCheckResult; the docs do not publish it). */
export interface AdvalidationCheckResult {
  name?: string | null;
  /** Raw as sent: strings, numbers, booleans or null occur. */
  value?: unknown;
  valueFormatted?: string | null;
  valuePhrase?: string | null;
  result?: string | null;
  attributes?: AdvalidationCheckResultAttribute[] | null;
  extended?: unknown;
}

/** Advalidation's Scan, as `GET /v2/scans/{id}` returns it in `data`. */
export interface Scan {
  id: number | string;
  createdAt?: string | null;
  updatedAt?: string | null;
  finishedAt?: string | null;
  sequenceType?: string | null;
  nbIssues?: number | null;
  processingStatus?: string | null;
  tests?: AdvalidationCheckResult[] | null;
  /** Only in the vendor SDK's types, not in the docs (UNCONFIRMED). */
  isInconclusive?: boolean | null;
  inconclusiveReason?: string | null;
}

/** Statuses after which a scan never changes again (documented set; finished-is-final is UNCONFIRMED). */
const TERMINAL = new Set(['finished', 'failed', 'cancelled']);

/** Whether a scan can no longer change: what cache hints and the shared cache rely on. */
export const isTerminal = (scan: Scan): boolean => TERMINAL.has(String(scan.processingStatus));

/** What the loader needs from Advalidation: one scan by id. */
export interface AdvalidationScans {
  getScan(id: string, withTests: boolean, signal: AbortSignal): Promise<Scan>;
}

/** One GraphQL request, as the gate sees it. */
export interface AdvalidationRequestScope {
  /** When the request's time budget ends (ms since epoch); unknown means no deadline-awareness. */
  deadline?: number | undefined;
}

/**
 * The process-wide client. `forRequest` gives one GraphQL request its own view, whose calls wait
 * in a queue of their own at the shared gate (served round-robin with other requests') and
 * know the request's deadline. `getScan` on the client itself gives each call a queue of its own.
 */
export interface AdvalidationApi extends AdvalidationScans {
  forRequest(scope: AdvalidationRequestScope): AdvalidationScans;
}
