import { setMaxListeners } from 'node:events';

/**
 * The request's time budget: the configured default, shortened (never lengthened) by the
 * router's remaining budget when it sends one in milliseconds.
 */
export function timeBudgetMs(defaultMs: number, header: string | undefined): number {
  const offered = header === undefined ? Number.NaN : Number(header);
  if (!Number.isFinite(offered) || offered <= 0) return defaultMs;
  return Math.max(1, Math.min(defaultMs, Math.floor(offered)));
}

/**
 * Upstream calls are aborted this much before the budget ends, so loaders settle with
 * UPSTREAM_TIMEOUT and execution still has time to answer with the data it has: 20% of the
 * budget, between 50 ms and 2 s (completing a request whose keys all failed costs CPU: about
 * 45 ms for 300 keys on a small machine, and concurrent requests queue behind each other).
 */
export function upstreamMarginMs(budgetMs: number): number {
  return Math.min(2_000, Math.max(50, Math.floor(budgetMs * 0.2)));
}

/**
 * One request's deadline, counted from when the request arrived (so a slow body spends the
 * same budget). `signal` is what upstream calls listen on; `cutoff` resolves when the whole
 * budget is spent, for the hard cutoff of a response that is still not ready.
 */
export class RequestDeadline {
  readonly signal: AbortSignal;
  readonly cutoff: Promise<void>;
  private readonly controller = new AbortController();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly endsAt: number;

  constructor(
    readonly budgetMs: number,
    startedAt: number = performance.now(),
  ) {
    this.endsAt = startedAt + budgetMs;
    this.signal = this.controller.signal;
    // Every concurrent upstream call of the request listens on it; that is expected, not a leak.
    setMaxListeners(0, this.signal);
    const upstreamIn = Math.max(0, this.remainingMs() - upstreamMarginMs(budgetMs));
    this.timers.push(setTimeout(() => this.abort(timeoutError(budgetMs)), upstreamIn));
    this.cutoff = new Promise<void>((resolve) => this.timers.push(setTimeout(resolve, this.remainingMs())));
  }

  remainingMs(): number {
    return Math.max(0, this.endsAt - performance.now());
  }

  /** Aborts upstream work early (the client went away, or the response was cut off). */
  abort(reason: unknown = timeoutError(this.budgetMs)): void {
    if (!this.controller.signal.aborted) this.controller.abort(reason);
  }

  /** Clears the timers once the request is answered; the cutoff then never resolves. */
  dispose(): void {
    for (const timer of this.timers) clearTimeout(timer);
  }
}

function timeoutError(budgetMs: number): Error {
  const error = new Error(`The request's ${budgetMs} ms time budget ran out.`);
  error.name = 'TimeoutError';
  return error;
}
