import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../src/limits/token-bucket.ts';

// The simulator's fast-forward contract for a token bucket (limits/types.ts FastForward): the
// fingerprint is its state, shift moves its clock without changing what it does, and skipTo stands
// for ticking second by second through a steady stretch. Rate 50, burst 100 throughout.
const bucket = () => new TokenBucket({ rate: 50, burst: 100 });

/** One-second fluid ticks of `n` requests, ending at from + 1 … to. */
function tick(b: TokenBucket, from: number, to: number, n: number): number[] {
  const passed: number[] = [];
  for (let t = from + 1; t <= to; t++) passed.push(b.take(t, n, 1));
  return passed;
}

describe('token bucket: fingerprint', () => {
  it('is the tokens held: 100 when full, 70 after an instant take of 30, 0 once a flood drains it', () => {
    const b = bucket();
    expect(b.fingerprint()).toBe('100');
    b.take(0, 30);
    expect(b.fingerprint()).toBe('70');
    // fluid ticks of 200: 70 + 50 = 120 > 200? no: all 120 pass and the bucket is empty
    expect(tick(b, 0, 1, 200)).toEqual([120]);
    expect(b.fingerprint()).toBe('0');
  });

  it('equal for equal histories, different for different tokens', () => {
    const a = bucket();
    const b = bucket();
    a.take(0, 10);
    b.take(0, 10);
    expect(a.fingerprint()).toBe(b.fingerprint());
    b.take(0, 1);
    expect(a.fingerprint()).not.toBe(b.fingerprint());
  });
});

describe('token bucket: shift', () => {
  it('a shifted bucket answers dt later exactly what the original answers now', () => {
    // after one tick of 80 over 1 s: 100 + 50 − 80 = 70 tokens at t = 1
    const a = bucket();
    const b = bucket();
    for (const x of [a, b]) {
      x.take(0, 0);
      expect(x.take(1, 80, 1)).toBe(80);
    }
    b.shift(100);
    expect(b.fingerprint()).toBe('70');
    // next tick of 200: 70 + 50 = 120 pass, in both
    expect(a.take(2, 200, 1)).toBe(120);
    expect(b.take(102, 200, 1)).toBe(120);
  });

  it('shifting a bucket that never took anything keeps it fresh: full, then refilling at its rate', () => {
    const b = bucket();
    b.shift(5);
    let first = 0;
    for (let i = 0; i < 150; i++) first += b.take(10, 1);
    expect(first).toBe(100);
    // one second later: 50 more tokens
    let later = 0;
    for (let i = 0; i < 150; i++) later += b.take(11, 1);
    expect(later).toBe(50);
  });
});

describe('token bucket: skipTo', () => {
  it('skipping through a steady flood equals ticking through it second by second', () => {
    // 200/s into rate 50 burst 100: tick 1 passes 150 (100 + 50), then 50 a tick, bucket empty
    const ticked = bucket();
    ticked.take(0, 0);
    expect(tick(ticked, 0, 10, 200)).toEqual([150, 50, 50, 50, 50, 50, 50, 50, 50, 50]);
    const skipped = bucket();
    skipped.take(0, 0);
    tick(skipped, 0, 3, 200);
    skipped.skipTo(10);
    expect(skipped.fingerprint()).toBe(ticked.fingerprint());
    // had the skip credited a refill (7 s × 50, capped at 100), the next tick would pass 150
    expect(skipped.take(11, 200, 1)).toBe(50);
    expect(ticked.take(11, 200, 1)).toBe(50);
  });

  it('skipping through a steady trickle leaves it full, as ticking would', () => {
    const b = bucket();
    b.take(0, 0);
    tick(b, 0, 2, 10);
    b.skipTo(600);
    expect(b.fingerprint()).toBe('100');
    expect(b.take(601, 1000, 1)).toBe(150);
  });

  it('never moves the clock back: a skip to an earlier time changes nothing', () => {
    const b = bucket();
    b.take(0, 0);
    tick(b, 0, 10, 200); // empty at t = 10
    b.skipTo(5);
    // from t = 10 to 11: 50 tokens; a clock moved back to 5 would add 6 s × 50 (capped at 100)
    expect(b.take(11, 200, 1)).toBe(50);
  });
});

describe('token bucket: edges the fast-forward relies on', () => {
  it('a clock that steps back never drains the bucket', () => {
    const b = bucket();
    b.take(1, 40); // 60 left at t = 1
    expect(b.level(0.5)).toBe(60);
    expect(b.level(1)).toBe(60);
    // 0.2 s after t = 1: 10 more
    expect(b.level(1.2)).toBeCloseTo(70, 9);
  });

  it('a negative count passes nothing and takes no tokens', () => {
    const b = bucket();
    expect(b.take(0, -5)).toBe(0);
    expect(b.take(0, -5, 1)).toBe(0);
    expect(b.level(0)).toBe(100);
  });
});
