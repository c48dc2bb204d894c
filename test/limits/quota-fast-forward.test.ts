import { describe, expect, it } from 'vitest';
import { NO_FLOW } from '../../src/limits/band.ts';
import { QuotaCounter, nextPeriodStart, periodStart } from '../../src/limits/quota.ts';

// The simulator's fast-forward contract for a usage-plan quota: fingerprint says whether the next
// tick answers like the last, steadyUntil how long that lasts, skipTo/shift stand for the ticks
// skipped, strideBand answers a long step. A DAY quota of 1,000 from Monday 2026-01-05 00:00 UTC.
const T0 = 1_767_571_200;
const DAY = 86_400;
const quota = (limit = 1000) => new QuotaCounter({ limit, period: 'DAY' });
const iso = (t: number) => new Date(t * 1000).toISOString().slice(0, 10);

/** One-second ticks of `n` ending at T0 + from + 1 … T0 + to; what passed in all. */
function tick(q: QuotaCounter, from: number, to: number, n: number): number {
  let passed = 0;
  for (let s = from + 1; s <= to; s++) passed += q.take(T0 + s, n, 1);
  return passed;
}

describe('quota: fingerprint', () => {
  it('is the last tick\'s use and whether the quota is spent', () => {
    const q = quota(25);
    expect(q.fingerprint()).toBe('0|in');
    tick(q, 0, 1, 10);
    expect(q.fingerprint()).toBe('10|in');
    tick(q, 1, 2, 10);
    expect(q.fingerprint()).toBe('10|in');
    // the third tick passes the last 5: exactly at the limit is spent
    expect(tick(q, 2, 3, 10)).toBe(5);
    expect(q.fingerprint()).toBe('5|out');
    expect(tick(q, 3, 4, 10)).toBe(0);
    expect(q.fingerprint()).toBe('0|out');
  });
});

describe('quota: steadyUntil', () => {
  it('a steady 10/s into 1,000 may be repeated until one tick before it runs out', () => {
    const q = quota();
    tick(q, 0, 10, 10); // 100 used at T0 + 10
    // 900 left at 10/s: spent at T0 + 100; the last whole tick before it ends at T0 + 99
    expect(q.steadyUntil(T0 + 10)).toBe(T0 + 99);
  });

  it('otherwise until the period ends: an unused quota, or one met by an instant take', () => {
    expect(quota().steadyUntil(T0 + 10)).toBe(T0 + DAY);
    const q = quota();
    q.take(T0 + 5, 3);
    expect(q.steadyUntil(T0 + 10)).toBe(T0 + DAY);
  });

  it('a trickle that would outlast the day stops at midnight', () => {
    const q = quota();
    tick(q, 0, 1, 0.001);
    expect(q.steadyUntil(T0 + 1)).toBe(T0 + DAY);
  });
});

describe('quota: skipTo and shift', () => {
  it('skipping through a steady flow counts what ticking would have', () => {
    const ticked = quota();
    tick(ticked, 0, 50, 10);
    const skipped = quota();
    tick(skipped, 0, 5, 10);
    skipped.skipTo(T0 + 50);
    // 50 s × 10 = 500 either way
    expect(skipped.usedInPeriod).toBe(500);
    expect(ticked.usedInPeriod).toBe(500);
    expect(skipped.fingerprint()).toBe(ticked.fingerprint());
    // and the next ticks agree: 10, … until 1,000
    expect(tick(skipped, 50, 120, 10)).toBe(500);
    expect(tick(ticked, 50, 120, 10)).toBe(500);
  });

  it('a skip never counts past the limit, never runs backwards, and needs a spread take to repeat', () => {
    const q = quota();
    tick(q, 0, 10, 10);
    q.skipTo(T0 + 10_000);
    expect(q.usedInPeriod).toBe(1000);
    const back = quota();
    tick(back, 0, 10, 10);
    back.skipTo(T0 + 5);
    expect(back.usedInPeriod).toBe(100);
    back.skipTo(T0 + 10);
    expect(back.usedInPeriod).toBe(100);
    const instant = quota();
    instant.take(T0 + 1, 7);
    instant.skipTo(T0 + 100);
    expect(instant.usedInPeriod).toBe(7);
    const fresh = quota();
    fresh.skipTo(T0 + 100);
    expect(fresh.usedInPeriod).toBe(0);
  });

  it('shift counts the extra uses of a replayed period and moves the last take\'s time', () => {
    const q = quota();
    tick(q, 0, 10, 10); // 100 used, last take at T0 + 10
    q.shift(100, 300);
    expect(q.usedInPeriod).toBe(400);
    // the last take is now at T0 + 110: skipping to T0 + 115 repeats 5 ticks of 10
    q.skipTo(T0 + 115);
    expect(q.usedInPeriod).toBe(450);
    q.shift(0, 5000);
    expect(q.usedInPeriod).toBe(1000);
  });
});

describe('quota: strideBand', () => {
  it('passes a band whole while the quota lasts the stride (exactly, too)', () => {
    const band = { lo: 5, hi: 20 };
    // 1,000 left ≥ 20 × 50
    expect(quota().strideBand(T0, 50, band)).toBe(band);
    expect(quota().strideBand(T0, 50, { lo: 5, hi: 20.1 })).toBeUndefined();
  });

  it('passes nothing once spent, and is an edge when the period ends inside the stride', () => {
    const q = quota();
    q.take(T0, 1000);
    expect(q.strideBand(T0 + 1, 10, { lo: 1, hi: 2 })).toBe(NO_FLOW);
    // a stride ending exactly at midnight is still one period; one past it is not
    expect(quota().strideBand(T0 + DAY - 10, 10, { lo: 1, hi: 2 })).toEqual({ lo: 1, hi: 2 });
    expect(quota().strideBand(T0 + DAY - 10, 11, { lo: 1, hi: 2 })).toBeUndefined();
    // a spent quota comes back at midnight
    expect(q.remaining(T0 + DAY)).toBe(1000);
    expect(q.nextReset(T0 + 5)).toBe(T0 + DAY);
  });
});

describe('quota periods with offsets', () => {
  it('MONTH from the 15th: 2026-03-10 is in the period that started on 2026-02-15', () => {
    const t = Date.parse('2026-03-10T12:00:00Z') / 1000;
    expect(iso(periodStart(t, 'MONTH', 14))).toBe('2026-02-15');
    expect(iso(nextPeriodStart(t, 'MONTH', 14))).toBe('2026-03-15');
  });

  it('MONTH from the 31st is clamped to short months (February 2026 has 28 days)', () => {
    const t = Date.parse('2026-02-28T12:00:00Z') / 1000;
    expect(iso(periodStart(t, 'MONTH', 30))).toBe('2026-02-28');
    expect(iso(nextPeriodStart(t, 'MONTH', 30))).toBe('2026-03-31');
  });

  it('WEEK from Saturday (offset 6): Wednesday 2026-03-11 belongs to the week of Saturday 2026-03-07', () => {
    const t = Date.parse('2026-03-11T12:00:00Z') / 1000;
    expect(iso(periodStart(t, 'WEEK', 6))).toBe('2026-03-07');
    expect(iso(nextPeriodStart(t, 'WEEK', 6))).toBe('2026-03-14');
  });

  it('a quota counter with an offset resets on its own day', () => {
    const q = new QuotaCounter({ limit: 2, period: 'WEEK', offset: 6 });
    const fri = Date.parse('2026-03-13T23:00:00Z') / 1000;
    expect(q.take(fri, 5)).toBe(2);
    expect(q.take(fri + 3600, 5)).toBe(2); // Saturday 00:00: a new week
  });
});

describe('quota: ticks longer than a second, and period edges', () => {
  it('a 2 s tick of 20 is 10 a second: steadyUntil and skipTo use the rate, not the count', () => {
    const q = quota();
    q.take(T0 + 2, 20, 2);
    // 980 left at 10/s: spent at T0 + 100; one 2 s tick short of it: T0 + 98
    expect(q.steadyUntil(T0 + 2)).toBe(T0 + 98);
    // 10 s more at 10/s: 20 + 100
    q.skipTo(T0 + 12);
    expect(q.usedInPeriod).toBe(120);
  });

  it('a spent quota is steady until it resets', () => {
    const q = quota(10);
    tick(q, 0, 1, 10);
    expect(tick(q, 1, 2, 10)).toBe(0);
    expect(q.steadyUntil(T0 + 2)).toBe(T0 + DAY);
  });

  it('a spread take across midnight charges each day its share, each within its own limit', () => {
    // 300 over 23:59:00 … 00:01:00 into a 1,000/day quota: 150 + 150, all pass
    const q = quota();
    expect(q.take(T0 + DAY + 60, 300, 120)).toBeCloseTo(300, 9);
    expect(q.usedInPeriod).toBeCloseTo(150, 9);
  });

  it('a tick ending exactly at midnight counts in the day it ran in', () => {
    const q = quota();
    q.take(T0 + DAY, 10, 1);
    expect(q.usedInPeriod).toBe(10);
    expect(q.remaining(T0 + DAY)).toBe(1000);
  });

  it('a MONTH period starts exactly at its first second', () => {
    const start = Date.parse('2026-03-15T00:00:00Z') / 1000;
    expect(periodStart(start, 'MONTH', 14)).toBe(start);
    expect(periodStart(start - 1, 'MONTH', 14)).toBe(Date.parse('2026-02-15T00:00:00Z') / 1000);
  });
});
