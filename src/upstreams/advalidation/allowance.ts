/**
 * What this process believes is left of Advalidation's per-IP allowance, learnt from the
 * service's own headers. Advalidation limits per source IP with a token bucket and says, on
 * every answer, its size (`X-RateLimit-IPLimit`) and what remains (`X-RateLimit-IPRemaining`).
 * Every replica behind the same egress IP draws from that one bucket and reads the same headers,
 * so pacing by them shares the allowance without a shared store:
 *
 * - Remaining: each answer resets the estimate to what the service said, less the calls this
 *   process still has in flight (they may not be counted yet: erring low costs a little speed,
 *   erring high costs 429s). Each call this process sends takes one token.
 * - Refill: between answers the estimate refills at the rate observed from successive headers:
 *   the slope of `remaining + calls answered` over a span worth a few tokens. Other
 *   replicas' calls lower that slope, so what is observed is this process's share of the
 *   refill, and replicas that each pace at what they observe together converge on the refill
 *   (shares need not come out equal; none falls below the floor, a quarter of the configured rate).
 * - In flight: at most a quarter of the remaining tokens (and never more than the cap), so that
 *   a few replicas reading the same `remaining` at once do not overdraw it before their next
 *   answers; with a plentiful allowance that is simply the cap.
 *
 * The configured rate and burst are only the assumption before the first answer (and the
 * refill rate's prior until a second has been observed). Until then one call is in flight: the
 * first answer costs one round trip and replaces guesses by facts.
 */
export interface AllowanceOptions {
  /** Tokens assumed before the first answer. */
  burst: number;
  /** Refill assumed (tokens/s) until one has been observed. */
  ratePerSecond: number;
  now?: () => number;
}

/** A few replicas may read the same `remaining` at the same moment: each spends a quarter of it per round trip. */
const SHARE_GUARD = 4;
/**
 * Refill slopes are measured over a span worth a few tokens at the believed rate (the headers
 * are integers: ±1 token per span), at least 200 ms and at most 10 s.
 */
const SPAN_TOKENS = 3;
const MIN_SPAN_MS = 200;
const MAX_SPAN_MS = 10_000;
/** Never believe in less than this share of the configured rate: a process that did would starve itself. */
const RATE_FLOOR_SHARE = 1 / 4;
/** A sanity bound on a measured slope (tokens/s). */
const MAX_RATE = 100_000;

interface Sample {
  at: number;
  /** remaining + calls of this process the service had counted: rises at this process's share of the refill. */
  level: number;
}

export class AllowanceModel {
  private readonly now: () => number;
  private readonly floorRate: number;
  private limit: number;
  private tokens: number;
  private at: number;
  private rate: number;
  private informed = false;
  private counted = 0;
  private samples: Sample[] = [];

  constructor(options: AllowanceOptions) {
    this.now = options.now ?? Date.now;
    this.limit = options.burst;
    this.tokens = options.burst;
    this.rate = options.ratePerSecond;
    this.floorRate = options.ratePerSecond * RATE_FLOOR_SHARE;
    this.at = this.now();
  }

  /** Whether the service has told its numbers yet. */
  get hasObserved(): boolean {
    return this.informed;
  }

  /** Tokens per second this process may spend, as last observed (or assumed). */
  get refillPerSecond(): number {
    return this.rate;
  }

  /** The bucket's size, as the service last said (or the configured burst). */
  get size(): number {
    return this.limit;
  }

  /** Tokens believed available now. */
  available(now = this.now()): number {
    return Math.min(this.limit, this.tokens + (this.rate * Math.max(0, now - this.at)) / 1000);
  }

  /** Milliseconds until `count` tokens are believed available (0 when they are). */
  msUntil(count: number, now = this.now()): number {
    const missing = count - this.available(now);
    return missing <= 0 ? 0 : (missing / this.rate) * 1000;
  }

  /** Calls this process may have in flight now, given `cap`. */
  window(cap: number, now = this.now()): number {
    if (!this.informed) return 1;
    return Math.max(1, Math.min(cap, Math.floor(this.available(now) / SHARE_GUARD)));
  }

  /** A call was sent: it takes a token. */
  take(now = this.now()): void {
    this.tokens = this.available(now) - 1;
    this.at = now;
  }

  /**
   * The headers of one answer. `inFlightOthers`: this process's other calls still unanswered.
   * `counted`: whether the service charged this call (a 429 is taken as not charged).
   * Values that are not sane non-negative integers are ignored: the headers are outside input.
   */
  observe(limitHeader: string | null, remainingHeader: string | null, inFlightOthers: number, counted: boolean, now = this.now()): void {
    const limit = saneInteger(limitHeader);
    const remaining = saneInteger(remainingHeader);
    if (remaining === undefined) return;
    if (limit !== undefined && limit >= 1) this.limit = limit;
    this.informed = true;
    if (counted) this.counted += 1;
    const sample = { at: now, level: remaining + this.counted };
    if (remaining >= this.limit - 1) {
      // A full bucket refills nothing: measuring starts again from here.
      this.samples = [sample];
    } else {
      this.samples.push(sample);
      while (this.samples.length > 1 && now - this.samples[0]!.at > MAX_SPAN_MS) this.samples.shift();
      const oldest = this.samples[0]!;
      const span = now - oldest.at;
      if (span >= Math.min(MAX_SPAN_MS, Math.max(MIN_SPAN_MS, (SPAN_TOKENS * 1000) / this.rate))) {
        // The headers are floored integers: the true level then was up to one token higher. The
        // slope's lower bound keeps the belief on the safe side (the bucket's surplus comes back
        // in later headers as `remaining`, so nothing is lost, only deferred).
        const slope = ((sample.level - oldest.level - 1) * 1000) / span;
        this.rate = Math.min(MAX_RATE, Math.max(this.floorRate, slope));
      }
    }
    // Refused with nothing left, although this call was sent on a token believed there: the
    // belief was too generous (another replica took it, or the refill is slower). Halve it until
    // the next measured slope says better. The headers decide: a 429 that still reports
    // allowance changes nothing here.
    if (!counted && remaining === 0) this.rate = Math.max(this.floorRate, this.rate / 2);
    this.tokens = Math.max(0, Math.min(this.limit, remaining - inFlightOthers));
    this.at = now;
  }
}

function saneInteger(raw: string | null): number | undefined {
  if (raw === null || !/^\s*\d{1,9}\s*$/.test(raw)) return undefined;
  return Number(raw);
}
