import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../emulator/core/random.js';
import { AllowanceModel } from '../src/upstreams/advalidation/allowance.js';

/** A per-IP token bucket like Advalidation's, on a fake clock. */
class Bucket {
  private tokens: number;
  private at = 0;
  constructor(
    readonly size: number,
    readonly refillPerSecond: number,
  ) {
    this.tokens = size;
  }
  take(now: number): { status: number; remaining: string } {
    this.tokens = Math.min(this.size, this.tokens + ((now - this.at) / 1000) * this.refillPerSecond);
    this.at = now;
    if (this.tokens < 1) return { status: 429, remaining: '0' };
    this.tokens -= 1;
    return { status: 200, remaining: String(Math.floor(this.tokens)) };
  }
}

/**
 * Consumers that each send whenever their own model allows, waking for a refilled token up to
 * a quarter late at random as the limiter does, for `seconds` of fake time (answers are instant).
 */
function simulate(consumers: number, bucket: Bucket, seconds: number) {
  const random = mulberry32(7);
  const models = Array.from({ length: consumers }, () => new AllowanceModel({ burst: 15, ratePerSecond: 1, now: () => 0 }));
  const wakeAt = models.map(() => 0);
  const served = models.map(() => 0);
  const refused = models.map(() => 0);
  for (let now = 0; now <= seconds * 1000; now += 10) {
    models.forEach((model, i) => {
      if (now < wakeAt[i]!) return;
      if (model.available(now) >= 1) {
        model.take(now);
        const answer = bucket.take(now);
        model.observe(String(bucket.size), answer.remaining, 0, answer.status !== 429, now);
        if (answer.status === 429) refused[i]! += 1;
        else served[i]! += 1;
      }
      wakeAt[i] = model.available(now) >= 1 ? now : now + model.msUntil(1, now) * (1 + random() / 4);
    });
  }
  return { models, served, refused };
}

describe('AllowanceModel', () => {
  it('before the first answer: the configured burst, one call in flight', () => {
    const model = new AllowanceModel({ burst: 15, ratePerSecond: 1, now: () => 0 });
    expect(model.hasObserved).toBe(false);
    expect(model.available(0)).toBe(15);
    expect(model.window(8, 0)).toBe(1);
  });

  it('headers reporting plenty open the window to the cap at once, whatever was configured', () => {
    const model = new AllowanceModel({ burst: 1, ratePerSecond: 0.1, now: () => 0 });
    model.take(0);
    model.observe('10000', '9999', 0, true, 5);
    expect(model.window(8, 5)).toBe(8);
    expect(model.available(5)).toBe(9999);
  });

  it('running low: the window narrows to one and the tokens are what the service said, less calls in flight', () => {
    const model = new AllowanceModel({ burst: 15, ratePerSecond: 1, now: () => 0 });
    model.observe('15', '6', 2, true, 0);
    expect(model.available(0)).toBe(4);
    expect(model.window(8, 0)).toBe(1);
  });

  it('alone on a bucket (15, 1/s): converges on the refill rate, with no 429', () => {
    const { models, served, refused } = simulate(1, new Bucket(15, 1), 60);
    expect(refused[0]).toBe(0);
    expect(served[0]).toBeGreaterThanOrEqual(15 + 55);
    expect(models[0]!.refillPerSecond).toBeGreaterThan(0.7);
    expect(models[0]!.refillPerSecond).toBeLessThan(1.3);
  });

  // Deterministic (fake clock, seeded jitter): 131 of the 135 tokens the bucket gave in 120 s were
  // used, split 32/71/28, with 25 refusals (19%), nearly all where two woke for the same token.
  it('three sharing one bucket (15, 1/s): together close to the refill, 429s a minority, nobody starved', () => {
    const { served, refused } = simulate(3, new Bucket(15, 1), 120);
    const total = served.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(15 + 120 * 0.7);
    expect(total).toBeLessThanOrEqual(15 + 120 + 1);
    for (const count of served) expect(count).toBeGreaterThanOrEqual(20);
    expect(refused.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(total * 0.25);
  });

  it('a 429 still reporting allowance leaves the pace alone; one reporting nothing left halves the believed refill', () => {
    const model = new AllowanceModel({ burst: 15, ratePerSecond: 2, now: () => 0 });
    model.observe('15', '10', 0, false, 0);
    expect(model.refillPerSecond).toBe(2);
    model.observe('15', '0', 0, false, 10);
    expect(model.refillPerSecond).toBe(1);
    expect(model.available(10)).toBe(0);
  });

  it.each([
    [null, null],
    ['15', 'abc'],
    ['15', '-1'],
    ['15', '1e3'],
    ['15', '99999999999'],
    ['15', ''],
  ])('ignores headers that are not sane integers (%j, %j)', (limit, remaining) => {
    const model = new AllowanceModel({ burst: 15, ratePerSecond: 1, now: () => 0 });
    model.observe(limit, remaining, 0, true, 0);
    expect(model.hasObserved).toBe(false);
    expect(model.available(0)).toBe(15);
  });
});
