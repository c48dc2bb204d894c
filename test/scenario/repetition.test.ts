import { describe, expect, it } from 'vitest';
import { arrivalsBetween, rateAt } from '../../src/scenario/profile.ts';
import { repeatedArrivals, trafficPeriod } from '../../src/scenario/repetition.ts';
import type { Segment } from '../../src/scenario/types.ts';

const HOUR = 3600;
const DAY = 86_400;
const diurnal = (duration: number, mean: number, amplitude: number, period: number): Segment => ({ kind: 'diurnal', duration, mean, amplitude, period });
const constant = (rate: number, duration: number): Segment => ({ kind: 'constant', rate, duration });

describe('diurnal segments across repetitions of a scenario', () => {
  // botnet-flood's users: { duration: 1h, diurnal: { mean: 20, amplitude: 10, period: 24h } }
  const users = [diurnal(HOUR, 20, 10, DAY)];

  it('a repetition 6 h ahead starts the curve at its crest: 20 + 10·sin(2π·6/24) = 30 rps', () => {
    expect(rateAt(users, 0, 0)).toBeCloseTo(20, 12); // sin 0 = 0
    expect(rateAt(users, 0, 6 * HOUR)).toBeCloseTo(30, 12);
    expect(rateAt(users, 0, 18 * HOUR)).toBeCloseTo(10, 12); // sin(3π/2) = −1
    // a whole period ahead is the same point of the curve
    expect(rateAt(users, 1800, DAY + 6 * HOUR)).toBeCloseTo(rateAt(users, 1800, 6 * HOUR), 12);
  });

  it('24 repetitions of a 1 h scenario add up to the whole day: 20 × 86,400 = 1,728,000 requests', () => {
    // Σ over k of ∫₀³⁶⁰⁰ 20 + 10 sin(2π(u + 3600k)/86400) du = ∫₀⁸⁶⁴⁰⁰ … = 20 × 86,400: the sine
    // integrates to 0 over a whole period. Replaying the first hour 24 times would give
    // 24 × (72,000 + 10·86,400/2π·(1 − cos(π/12))) ≈ 24 × 76,685.5 = 1,840,452.
    let sum = 0;
    for (let k = 0; k < 24; k++) sum += arrivalsBetween(users, 0, HOUR, k * HOUR);
    expect(sum).toBeCloseTo(1_728_000, 6);
    expect(repeatedArrivals(users, 0, DAY, HOUR)).toBeCloseTo(1_728_000, 6);
  });

  it('hour 6 of the day is the curve from 6 h to 7 h: 72,000 + 10·86,400/2π·(cos(π/2) − cos(7π/12))', () => {
    // 10 × 86,400 / 2π = 137,509.87; cos(π/2) = 0; cos(7π/12) = −0.258819 → 72,000 + 35,590.2
    expect(repeatedArrivals(users, 6 * HOUR, 7 * HOUR, HOUR)).toBeCloseTo(107_590.2, 0);
  });

  it('a cohort shorter than the scenario is silent for the rest of each repetition', () => {
    // a 10 s curve in a 60 s scenario: repetition k plays it 60k s ahead (period 60 s → the same
    // 10 s each time): 10 × 20 + 600/2π·(1 − cos(π/3)) = 200 + 47.75 per repetition, 3 of them
    const short = [diurnal(10, 20, 10, 60)];
    expect(repeatedArrivals(short, 0, 180, 60)).toBeCloseTo(3 * (200 + (600 / (2 * Math.PI)) * 0.5), 9);
  });

  it('the traffic comes round after lcm(S, period), counted in whole ms', () => {
    expect(trafficPeriod([users], HOUR)).toBe(DAY); // lcm(1 h, 24 h)
    expect(trafficPeriod([users], 7)).toBe(7 * DAY); // lcm(7,000 ms, 86,400,000 ms) = 604,800,000 ms
    expect(trafficPeriod([users], 7, 30 * DAY)).toBe(7 * DAY);
    expect(trafficPeriod([users], 7, DAY)).toBeUndefined(); // a week does not fit in a day
    expect(trafficPeriod([[diurnal(1, 5, 1, 1)]], 1.5)).toBe(3); // lcm(1,500 ms, 1,000 ms)
    expect(trafficPeriod([[diurnal(60, 5, 1, 7.0000001)]], 60)).toBeUndefined(); // not whole ms
    expect(trafficPeriod([[constant(100, 60)]], 60)).toBe(60); // nothing reads the clock: S itself
    expect(trafficPeriod([[diurnal(60, 5, 0, DAY)]], 60)).toBe(60); // a flat curve does not move
    // two curves: lcm(1 h, 24 h, 7 d) = 7 d
    expect(trafficPeriod([users, [diurnal(HOUR, 1, 1, 7 * DAY)]], HOUR)).toBe(7 * DAY);
  });
});
