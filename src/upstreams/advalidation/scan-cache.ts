import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { abortReason, raceAbort } from '../../reliability/abort.js';
import { RequestQueue, Ticket } from '../../reliability/gate.js';
import { isTerminal, type Scan } from './model.js';

export interface ScanCacheOptions {
  /** Whose data it is: scans fetched from one endpoint with one key are never served for another. */
  baseUrl: string;
  apiKey: string;
  /** Terminal scans kept (0 keeps none), and for how long. */
  settledCacheSize: number;
  settledCacheTtlMs: number;
  /** The GET itself, its attempts queued at the gate in every queue of `ticket`. */
  fetch(id: string, withTests: boolean, ticket: Ticket, signal: AbortSignal): Promise<Scan>;
}

/** One GET shared by every request waiting for the same answer. */
interface InFlight {
  promise: Promise<Scan>;
  controller: AbortController;
  /** The requests waiting for it: the gate queues its attempts in each of their queues. */
  ticket: Ticket;
  settled: boolean;
}

/** The shared GET's reason to stop: nobody waits for it any more. */
function abandoned(): Error {
  const error = new Error('No request waits for this scan any more.');
  error.name = 'AbortError';
  return error;
}

/**
 * Two process-wide savings, both keyed by endpoint, API-key fingerprint, id and shape (so no
 * data fetched with one key is ever served under another): a GET already in flight is joined by
 * concurrent requests for the same scan instead of repeated, and terminal scans are kept in a
 * small LRU. A scan with checks also answers a request without them.
 */
export function createScanCache(options: ScanCacheOptions) {
  const keyFingerprint = createHash('sha256').update(options.apiKey).digest('hex').slice(0, 16);
  const terminal =
    options.settledCacheSize > 0 && options.settledCacheTtlMs > 0
      ? new LRUCache<string, Scan>({ max: options.settledCacheSize, ttl: options.settledCacheTtlMs })
      : undefined;
  const inFlight = new Map<string, InFlight>();
  const identity = (id: string, withTests: boolean) => `${options.baseUrl}|${keyFingerprint}|${id}|${withTests ? 'tests' : 'summary'}`;

  async function fetchAndKeep(id: string, withTests: boolean, ticket: Ticket, signal: AbortSignal): Promise<Scan> {
    const scan = await options.fetch(id, withTests, ticket, signal);
    if (terminal && isTerminal(scan)) terminal.set(identity(id, withTests), scan);
    return scan;
  }

  /**
   * Joins the GET in flight for this scan (one with checks serves a request without them), or
   * starts one. The shared GET runs under its own signal, aborted only when every request
   * waiting for it has given up, so one request's budget never fails another's lookup.
   */
  function joinOrStart(id: string, withTests: boolean): InFlight {
    const existing = inFlight.get(identity(id, true)) ?? (withTests ? undefined : inFlight.get(identity(id, false)));
    if (existing) return existing;
    const key = identity(id, withTests);
    const controller = new AbortController();
    const ticket = new Ticket();
    const entry: InFlight = { promise: fetchAndKeep(id, withTests, ticket, controller.signal), controller, ticket, settled: false };
    inFlight.set(key, entry);
    const forget = () => {
      entry.settled = true;
      if (inFlight.get(key) === entry) inFlight.delete(key);
    };
    entry.promise.then(forget, forget);
    controller.signal.addEventListener('abort', forget, { once: true });
    return entry;
  }

  /** Waits for the scan on behalf of one request (its queue), until the answer, its signal, or the gate releases it. */
  async function getScan(queue: RequestQueue, id: string, withTests: boolean, signal: AbortSignal): Promise<Scan> {
    if (signal.aborted) throw abortReason(signal);
    const cached = terminal?.get(identity(id, true)) ?? (withTests ? undefined : terminal?.get(identity(id, false)));
    if (cached) return cached;
    const entry = joinOrStart(id, withTests);
    let release!: (error: Error) => void;
    const released = new Promise<never>((_resolve, reject) => (release = reject));
    entry.ticket.join(queue, release);
    try {
      return await raceAbort(Promise.race([entry.promise, released]), signal);
    } finally {
      entry.ticket.leave(queue, release);
      // The last request to give up cancels the shared GET (a waiting call is never made).
      if (entry.ticket.size === 0 && !entry.settled) entry.controller.abort(abandoned());
    }
  }

  return { getScan };
}
