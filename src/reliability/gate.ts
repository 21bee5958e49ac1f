import { abortReason, onAbort } from './abort.js';
import { withFailure } from './failure-kinds.js';
import { isLive, RequestQueue, Ticket, type GateJob } from './gate-tickets.js';

export { RequestQueue, Ticket };

/**
 * A rate a gate paces by, besides its concurrency cap (e.g. Advalidation's AllowanceModel,
 * learnt from the service's headers). Without one, a gate only caps concurrency.
 */
export interface Pace {
  /** Whether the pace is known rather than assumed: nobody is deferred on a guess. */
  readonly hasObserved: boolean;
  /** Calls that may be in flight now, given the gate's cap. */
  window(cap: number, now: number): number;
  /** Calls that may start now. */
  available(now: number): number;
  /** Milliseconds until `count` calls may start (0 when they may). */
  msUntil(count: number, now: number): number;
  /** A call started. */
  take(now: number): void;
}

const UNPACED: Pace = {
  hasObserved: true,
  window: (cap) => cap,
  available: () => Number.POSITIVE_INFINITY,
  msUntil: () => 0,
  take: () => undefined,
};

export interface GateOptions {
  /** Calls in flight at most, however plentiful the pace. */
  maxConcurrency: number;
  pace?: Pace;
  /** The error a request released for lack of room within its deadline gets. */
  deferral?: (retryAfterSeconds: number) => Error;
  /** Told how long each call waited for its turn, for metrics. */
  onWait?: (seconds: number) => void;
  now?: () => number;
}

/** What a call is expected to take before its first answer has been timed. */
const INITIAL_LATENCY_MS = 100;
/** Longest call duration that counts towards the latency estimate (a stall says nothing about the pace). */
const MAX_LATENCY_SAMPLE_MS = 10_000;
/** Time kept back before a request's deadline to build and send its response. */
const DEADLINE_MARGIN_MS = 50;

export const retryAfterSeconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));

function rateDeferral(retryAfter: number): Error {
  const error = new Error(`The rate limit leaves no room within the request's time budget; retry in about ${retryAfter} s.`);
  error.name = 'RateLimitDeferral';
  return withFailure(error, { kind: 'rate-deferred', retryAfterSeconds: retryAfter });
}

/**
 * The one gate in front of an upstream, shared by every request of the process:
 *
 * - Capped: at most `maxConcurrency` calls in flight (fewer when the pace says so).
 * - Paced (optional): a call starts when the pace has room for it; `changed(holdOffMs)` after
 *   the pace learns something (and to make everyone hold off briefly).
 * - Fair: each request's calls wait in its own queue, and queues are served round-robin, so a
 *   request asking for one thing waits behind a few calls at most, not behind every call of a
 *   request asking for two thousand. Calls sharing one queue are served in order.
 * - Deadline-aware: on every change the gate estimates when each waiting call would start (its
 *   round-robin position against pace, pause and free slots) and releases, with a deferral,
 *   every request that would not get its answer before its deadline. A call that can start now
 *   is never released: a slow upstream is the request budget's business, not the gate's.
 *
 * Every wait honours the caller's signal: a call whose signal aborts while queued is never made
 * and takes no share of the pace.
 */
export class Gate {
  private readonly now: () => number;
  private readonly pace: Pace;
  private readonly deferral: (retryAfterSeconds: number) => Error;
  private ring: RequestQueue[] = [];
  private cursor = 0;
  private running = 0;
  private pausedUntil = 0;
  private latencyMs = INITIAL_LATENCY_MS;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private pumping = false;
  private again = false;
  private judgeQueued = false;

  constructor(private readonly options: GateOptions) {
    this.now = options.now ?? Date.now;
    this.pace = options.pace ?? UNPACED;
    this.deferral = options.deferral ?? rateDeferral;
  }

  /** Calls in flight now. */
  get inFlight(): number {
    return this.running;
  }

  /**
   * Runs `call` on the first turn of any of the ticket's queues when a slot (and the pace) allows.
   * Without a signal the wait cannot be given up (a request's own cap, whose chunks must start).
   */
  run<T>(ticket: Ticket, call: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    return new Promise<T>((resolve, reject) => {
      const queued = this.now();
      const job: GateJob = {
        ticket,
        state: 'waiting',
        start: () => {
          job.state = 'running';
          ticket.onJoin = undefined;
          unsubscribe();
          this.running += 1;
          const started = this.now();
          this.pace.take(started);
          this.options.onWait?.((started - queued) / 1000);
          let pending: Promise<T>;
          try {
            pending = call();
          } catch (error) {
            pending = Promise.reject(error);
          }
          void pending.then(resolve, reject).finally(() => {
            job.state = 'done';
            this.running -= 1;
            this.latencyMs += (Math.min(MAX_LATENCY_SAMPLE_MS, this.now() - started) - this.latencyMs) * 0.2;
            this.pump();
          });
        },
      };
      const unsubscribe = signal
        ? onAbort(signal, () => {
            if (job.state !== 'waiting') return;
            job.state = 'done';
            ticket.onJoin = undefined;
            reject(abortReason(signal));
            this.pump();
          })
        : () => undefined;
      ticket.onJoin = (owner) => {
        this.enqueue(owner, job);
        this.pump();
      };
      for (const owner of ticket.queues()) this.enqueue(owner, job);
      this.pump();
    });
  }

  /** The pace learnt something: waiting calls are judged again. `holdOffMs`: everyone waits that long first. */
  changed(holdOffMs = 0): void {
    if (holdOffMs > 0) this.pausedUntil = Math.max(this.pausedUntil, this.now() + holdOffMs);
    this.pump();
  }

  /**
   * Before a retry sleeps `delayMs`: releases, with `errorFor(retryAfterSeconds)` (by default
   * the gate's deferral), the owners whose deadline the retry would miss, so they are answered
   * now rather than at their budget.
   */
  releaseLate(ticket: Ticket, delayMs: number, errorFor: (retryAfterSeconds: number) => Error = this.deferral): void {
    const finish = this.now() + delayMs + this.latencyMs + DEADLINE_MARGIN_MS;
    for (const owner of ticket.queues()) {
      if (finish > owner.deadline) ticket.release(owner, errorFor(retryAfterSeconds(delayMs + this.latencyMs)));
    }
  }

  private enqueue(owner: RequestQueue, job: GateJob): void {
    owner.jobs.push(job);
    if (owner.inRing) return;
    owner.inRing = true;
    // A request with nothing waiting takes the next turn: those already waiting lose one call.
    this.ring.splice(Math.min(this.cursor, this.ring.length), 0, owner);
  }

  private next(): GateJob | undefined {
    while (this.ring.length > 0) {
      if (this.cursor >= this.ring.length) this.cursor = 0;
      const queue = this.ring[this.cursor]!;
      let job: GateJob | undefined;
      while ((job = queue.jobs.shift()) !== undefined && !isLive(job, queue));
      if (job) {
        this.cursor += 1;
        return job;
      }
      this.ring.splice(this.cursor, 1);
      queue.inRing = false;
    }
    return undefined;
  }

  /** Starts what may start now, then has the waiting calls judged (once per turn, see judge). */
  private pump(): void {
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.again = false;
        this.startReady(this.now());
      } while (this.again);
    } finally {
      this.pumping = false;
    }
    this.scheduleJudge();
  }

  private startReady(now: number): void {
    while (now >= this.pausedUntil && this.running < this.pace.window(this.options.maxConcurrency, now) && this.pace.available(now) >= 1) {
      const job = this.next();
      if (!job) break;
      job.start();
    }
  }

  /**
   * Judging walks every waiting call, so it runs once per turn of the event loop rather than
   * after each change: a request that asks 2,000 scans at once (or whose 2,000 waiting calls
   * abort together) would otherwise cost O(n²), a second of CPU at 2,000. A call that can start
   * starts at once all the same (pump); only the release of late ones waits for the microtask.
   */
  private scheduleJudge(): void {
    if (this.judgeQueued) return;
    this.judgeQueued = true;
    queueMicrotask(() => {
      this.judgeQueued = false;
      const now = this.now();
      this.release(now);
      this.pumping = true;
      try {
        this.startReady(now);
      } finally {
        this.pumping = false;
      }
      // The same instant as the judgement's: judged later, the pace could have refilled in between and no wake be set.
      this.scheduleWake(now);
    });
  }

  /**
   * Walks the waiting calls in the order they would go out (round-robin from the cursor),
   * estimates when each would start, and releases the owners who would not be answered before
   * their deadline. Nothing to judge when no waiting request has a deadline.
   */
  private release(now: number): void {
    if (!this.ring.some((queue) => Number.isFinite(queue.deadline))) return;
    const window = this.pace.window(this.options.maxConcurrency, now);
    const free = Math.max(0, window - this.running);
    const paused = Math.max(0, this.pausedUntil - now);
    // Before the pace is known it is a guess: nobody is turned away on it, only when their
    // deadline is about to pass (a positive wait then releases at the last chance).
    const judging = this.pace.hasObserved;
    // The ring in turn order from the cursor, without queues that have nothing left waiting.
    const queues: RequestQueue[] = [];
    for (let i = 0; i < this.ring.length; i += 1) {
      const queue = this.ring[(this.cursor + i) % this.ring.length]!;
      queue.jobs = queue.jobs.filter((job) => isLive(job, queue));
      if (queue.jobs.length > 0) queues.push(queue);
      else queue.inRing = false;
    }
    this.ring = queues;
    this.cursor = 0;
    const longest = queues.reduce((most, queue) => Math.max(most, queue.jobs.length), 0);
    const waits = new Map<GateJob, number>();
    const counted = new Set<GateJob>();
    let position = 0;
    for (let level = 0; level < longest; level += 1) {
      for (const queue of queues) {
        const job = queue.jobs[level];
        if (!job || !isLive(job, queue)) continue;
        let wait = waits.get(job);
        if (wait === undefined) {
          const slots = position < free ? 0 : (Math.floor((position - free) / window) + 1) * this.latencyMs;
          wait = judging
            ? Math.max(paused, this.pace.msUntil(position + 1, now), slots)
            : paused > 0 || position >= free
              ? Number.EPSILON
              : 0;
          waits.set(job, wait);
        }
        if (wait > 0 && now + wait + this.latencyMs + DEADLINE_MARGIN_MS > queue.deadline) {
          job.ticket.release(queue, this.deferral(retryAfterSeconds(wait + this.latencyMs)));
        } else if (!counted.has(job)) {
          counted.add(job);
          position += 1;
        }
      }
    }
  }

  /** Wakes the pump when time alone changes something: a pause ends, the pace refills, a deadline nears. */
  private scheduleWake(now: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.ring.length === 0) return;
    let at = Number.POSITIVE_INFINITY;
    if (this.pausedUntil > now) at = this.pausedUntil;
    // Up to a quarter later, at random: replicas that saw the same answers would otherwise all
    // wake for the same refilled token, and all but one be refused. A late wake loses nothing
    // a token bucket keeps: the next headers report the surplus.
    else if (this.pace.available(now) < 1) at = now + this.pace.msUntil(1, now) * (1 + Math.random() / 4);
    for (const queue of this.ring) at = Math.min(at, queue.deadline - this.latencyMs - DEADLINE_MARGIN_MS);
    if (!Number.isFinite(at)) return;
    this.timer = setTimeout(() => this.pump(), Math.max(1, Math.ceil(at - now)));
    this.timer.unref?.();
  }
}
