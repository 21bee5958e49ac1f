import { abortReason } from '../../abort.js';
import { AllowanceModel } from './allowance.js';

export interface RateLimiterOptions {
  /** Calls in flight at most, however plentiful the allowance. */
  maxConcurrency: number;
  /** The assumptions before Advalidation's first answer (see AllowanceModel). */
  ratePerSecond: number;
  burst: number;
  /** How long everyone holds off after a 429 while the headers still report allowance. */
  throttlePauseMs: number;
  /** Told how long each call waited, for metrics. */
  onWait?: (seconds: number) => void;
  now?: () => number;
}

/** What a call is expected to take before its first answer has been timed. */
const INITIAL_LATENCY_MS = 100;
/** Longest call duration that counts towards the latency estimate (a stall says nothing about the pace). */
const MAX_LATENCY_SAMPLE_MS = 10_000;
/** Time kept back before a request's deadline to build and send its response. */
const DEADLINE_MARGIN_MS = 50;

/**
 * One GraphQL request's place at the limiter: its calls wait here, and the limiter serves the
 * queues in turn (round-robin), so a request asking for one scan waits behind a few calls at
 * most, not behind every call of a request asking for two thousand.
 */
export class RequestQueue {
  /** Calls waiting, in order. Calls no longer waiting, or no longer this queue's, are skipped lazily. */
  jobs: Job[] = [];
  inRing = false;
  /** When the request's time budget ends (ms since epoch); Infinity when it has none. */
  constructor(readonly deadline: number = Number.POSITIVE_INFINITY) {}
}

/**
 * A call that cannot start within its request's remaining budget at the observed pace: the
 * request is answered at once (THROTTLED) rather than left to expire in the queue.
 */
export class RateLimitDeferral extends Error {
  override readonly name = 'RateLimitDeferral';
  constructor(readonly retryAfterSeconds: number) {
    super(`Advalidation's rate limit leaves no room within the request's time budget; retry in about ${retryAfterSeconds} s.`);
  }
}

type Release = (error: Error) => void;

/**
 * The requests waiting for one upstream call: several when they share a GET in flight. The call
 * waits in every owner's queue and goes out on the first owner's turn; an owner that cannot be
 * served in time is released (answered without the call) and the others keep their places.
 */
export class Ticket {
  private readonly owners = new Map<RequestQueue, Release[]>();
  /** Set by the limiter while a call of this ticket waits: a request that joins late queues it too. */
  onJoin: ((owner: RequestQueue) => void) | undefined;

  join(owner: RequestQueue, release: Release): void {
    const releases = this.owners.get(owner);
    if (releases) releases.push(release);
    else {
      this.owners.set(owner, [release]);
      this.onJoin?.(owner);
    }
  }

  leave(owner: RequestQueue, release: Release): void {
    const releases = this.owners.get(owner)?.filter((candidate) => candidate !== release);
    if (releases && releases.length > 0) this.owners.set(owner, releases);
    else this.owners.delete(owner);
  }

  has(owner: RequestQueue): boolean {
    return this.owners.has(owner);
  }

  get size(): number {
    return this.owners.size;
  }

  queues(): RequestQueue[] {
    return [...this.owners.keys()];
  }

  /** Answers `owner`'s waiters now with `error`, without this call. */
  release(owner: RequestQueue, error: Error): void {
    const releases = this.owners.get(owner) ?? [];
    this.owners.delete(owner);
    for (const release of releases) release(error);
  }
}

interface Job {
  readonly ticket: Ticket;
  state: 'waiting' | 'running' | 'done';
  start(): void;
}

const isLive = (job: Job, queue: RequestQueue) => job.state === 'waiting' && job.ticket.has(queue);

/**
 * The process-wide gate in front of Advalidation, which limits per source IP rather than per
 * request. Three rules:
 *
 * - Paced by the service's own word: `AllowanceModel` reads X-RateLimit-IPLimit and
 *   X-RateLimit-IPRemaining from every answer. While the allowance is plentiful calls go out
 *   at the concurrency cap with no wait; as it runs low they converge on the refill rate seen
 *   in successive headers. A 429 while the headers still report allowance (a sporadic one)
 *   holds everyone off briefly; the retry's own full-jitter backoff does the rest; the pace is
 *   not ratcheted down, because the headers, not the 429, say what is left.
 * - Fair: each request's calls wait in its own queue, and queues are served round-robin.
 * - Deadline-aware: on every change the limiter estimates when each waiting call would start
 *   (its round-robin position against tokens, pause and free slots) and releases, with a
 *   RateLimitDeferral, every request that would not get its answer before its deadline.
 *
 * Every wait honours the caller's signal: a call whose signal aborts while queued is never made
 * and takes no token.
 */
export class AdvalidationRateLimiter {
  readonly allowance: AllowanceModel;
  private readonly now: () => number;
  private ring: RequestQueue[] = [];
  private cursor = 0;
  private inFlight = 0;
  private pausedUntil = 0;
  private latencyMs = INITIAL_LATENCY_MS;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private pumping = false;
  private again = false;

  constructor(private readonly options: RateLimiterOptions) {
    this.now = options.now ?? Date.now;
    this.allowance = new AllowanceModel({ burst: options.burst, ratePerSecond: options.ratePerSecond, now: this.now });
  }

  /** Runs `call` on the first turn of any of the ticket's queues when a slot and a token are free. */
  run<T>(ticket: Ticket, call: () => Promise<T>, signal: AbortSignal): Promise<T> {
    if (signal.aborted) return Promise.reject(abortReason(signal));
    return new Promise<T>((resolve, reject) => {
      const queued = this.now();
      const job: Job = {
        ticket,
        state: 'waiting',
        start: () => {
          job.state = 'running';
          ticket.onJoin = undefined;
          signal.removeEventListener('abort', onAbort);
          this.inFlight += 1;
          const started = this.now();
          this.allowance.take(started);
          this.options.onWait?.((started - queued) / 1000);
          let pending: Promise<T>;
          try {
            pending = call();
          } catch (error) {
            pending = Promise.reject(error);
          }
          void pending.then(resolve, reject).finally(() => {
            job.state = 'done';
            this.inFlight -= 1;
            this.latencyMs += (Math.min(MAX_LATENCY_SAMPLE_MS, this.now() - started) - this.latencyMs) * 0.2;
            this.pump();
          });
        },
      };
      const onAbort = () => {
        if (job.state !== 'waiting') return;
        job.state = 'done';
        ticket.onJoin = undefined;
        reject(abortReason(signal));
        this.pump();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      ticket.onJoin = (owner) => {
        this.enqueue(owner, job);
        this.pump();
      };
      for (const owner of ticket.queues()) this.enqueue(owner, job);
      this.pump();
    });
  }

  /**
   * The rate-limit headers of an answer (taken while its call still counts as in flight).
   * A 429 whose headers still report allowance, or that has none, is sporadic: everyone holds
   * off briefly. A 429 reporting nothing left needs no special case: the allowance says so.
   */
  observe(limit: string | null, remaining: string | null, status: number): void {
    this.allowance.observe(limit, remaining, Math.max(0, this.inFlight - 1), status !== 429);
    if (status === 429 && !(remaining !== null && /^\s*0+\s*$/.test(remaining))) {
      this.pausedUntil = Math.max(this.pausedUntil, this.now() + this.options.throttlePauseMs);
    }
    this.pump();
  }

  /**
   * Before a retry sleeps `delayMs`: releases, with `errorFor(retryAfterSeconds)`, the owners
   * whose deadline the retry would miss, so they are answered now rather than at their budget.
   */
  releaseLate(ticket: Ticket, delayMs: number, errorFor: (retryAfterSeconds: number) => Error): void {
    const finish = this.now() + delayMs + this.latencyMs + DEADLINE_MARGIN_MS;
    for (const owner of ticket.queues()) {
      if (finish > owner.deadline) ticket.release(owner, errorFor(retryAfter(delayMs + this.latencyMs)));
    }
  }

  private enqueue(owner: RequestQueue, job: Job): void {
    owner.jobs.push(job);
    if (owner.inRing) return;
    owner.inRing = true;
    // A request with nothing waiting takes the next turn: those already waiting lose one call.
    this.ring.splice(Math.min(this.cursor, this.ring.length), 0, owner);
  }

  private next(): Job | undefined {
    while (this.ring.length > 0) {
      if (this.cursor >= this.ring.length) this.cursor = 0;
      const queue = this.ring[this.cursor]!;
      let job: Job | undefined;
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

  private pump(): void {
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    let now: number;
    try {
      do {
        this.again = false;
        now = this.now();
        this.release(now);
        while (now >= this.pausedUntil && this.inFlight < this.allowance.window(this.options.maxConcurrency, now) && this.allowance.available(now) >= 1) {
          const job = this.next();
          if (!job) break;
          job.start();
        }
      } while (this.again);
      // The same instant as the loop's: judged later, a token could have refilled in between and no wake be set.
      this.scheduleWake(now);
    } finally {
      this.pumping = false;
    }
  }

  /**
   * Walks the waiting calls in the order they would go out (round-robin from the cursor),
   * estimates when each would start, and releases the owners who would not be answered before
   * their deadline. A call that can start now is never released: a slow upstream is the
   * request budget's business, not the limiter's.
   */
  private release(now: number): void {
    const cap = this.options.maxConcurrency;
    const window = this.allowance.window(cap, now);
    const free = Math.max(0, window - this.inFlight);
    const paused = Math.max(0, this.pausedUntil - now);
    // Before the first answer the pace is a guess: nobody is turned away on it, only when
    // their deadline is about to pass (a positive wait then releases at the last chance).
    const judging = this.allowance.hasObserved;
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
    const waits = new Map<Job, number>();
    const counted = new Set<Job>();
    let position = 0;
    for (let level = 0; level < longest; level += 1) {
      for (const queue of queues) {
        const job = queue.jobs[level];
        if (!job || !isLive(job, queue)) continue;
        let wait = waits.get(job);
        if (wait === undefined) {
          const slots = position < free ? 0 : (Math.floor((position - free) / window) + 1) * this.latencyMs;
          wait = judging ? Math.max(paused, this.allowance.msUntil(position + 1, now), slots) : paused > 0 || position >= free ? Number.EPSILON : 0;
          waits.set(job, wait);
        }
        if (wait > 0 && now + wait + this.latencyMs + DEADLINE_MARGIN_MS > queue.deadline) {
          job.ticket.release(queue, new RateLimitDeferral(retryAfter(wait + this.latencyMs)));
        } else if (!counted.has(job)) {
          counted.add(job);
          position += 1;
        }
      }
    }
  }

  /** Wakes the pump when time alone changes something: a pause ends, a token refills, a deadline nears. */
  private scheduleWake(now: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.ring.length === 0) return;
    let at = Number.POSITIVE_INFINITY;
    if (this.pausedUntil > now) at = this.pausedUntil;
    // Up to a quarter later, at random: replicas that saw the same answers would otherwise all
    // wake for the same refilled token, and all but one get a 429. A late wake loses nothing
    // the bucket keeps: the next headers report the surplus.
    else if (this.allowance.available(now) < 1) at = now + this.allowance.msUntil(1, now) * (1 + Math.random() / 4);
    for (const queue of this.ring) at = Math.min(at, queue.deadline - this.latencyMs - DEADLINE_MARGIN_MS);
    if (!Number.isFinite(at)) return;
    this.timer = setTimeout(() => this.pump(), Math.max(1, Math.ceil(at - now)));
    this.timer.unref?.();
  }
}

const retryAfter = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
