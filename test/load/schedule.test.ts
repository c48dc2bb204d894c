import { describe, expect, it } from 'vitest';
import { arrivalsBetween } from '../../src/scenario/profile.ts';
import type { Segment } from '../../src/scenario/types.ts';
import { ArrivalSchedule, arrivals, peakRate, type Arrival } from '../../src/load/schedule.ts';

const constant = (rate: number, duration: number): Segment => ({ kind: 'constant', rate, duration });
const ramp = (from: number, to: number, duration: number): Segment => ({ kind: 'ramp', from, to, duration });

function all(it: Iterable<Arrival>): Arrival[] {
  return [...it];
}

describe('schedule', () => {
  it('spaces a constant 100 rps cohort exactly 10 ms apart, 1,000 requests in 10 s', () => {
    const a = all(arrivals([{ segments: [constant(100, 10)], clients: 1 }], { durationSeconds: 10 }));
    expect(a).toHaveLength(1000);
    expect(a[0].at).toBeCloseTo(0.005, 9);
    for (let i = 1; i < a.length; i++) expect(a[i].at - a[i - 1].at).toBeCloseTo(0.01, 9);
    expect(a[a.length - 1].at).toBeLessThan(10);
  });

  it('offers a ramp its exact integral, second by second (rounded to whole requests)', () => {
    const segs = [ramp(0, 100, 10)];
    const a = all(arrivals([{ segments: segs, clients: 1 }], { durationSeconds: 10 }));
    expect(a).toHaveLength(500); // ∫0..10 of 10t dt
    const perSecond = new Array(10).fill(0);
    for (const x of a) perSecond[Math.floor(x.at)]++;
    perSecond.forEach((n, s) => expect(Math.abs(n - arrivalsBetween(segs, s, s + 1))).toBeLessThanOrEqual(1));
  });

  it('skips a silent stretch at once and resumes at the next segment', () => {
    const a = all(arrivals([{ segments: [constant(0, 300), constant(10, 2)], clients: 1 }], { durationSeconds: 302 }));
    expect(a).toHaveLength(20);
    expect(a[0].at).toBeCloseTo(300.05, 9);
  });

  it('cuts the run at its duration, counts included', () => {
    const a = all(arrivals([{ segments: [constant(50, 60)], clients: 1 }], { durationSeconds: 2.5 }));
    expect(a).toHaveLength(125);
  });

  it('repeats the scenario when the run is longer than it', () => {
    const cohorts = [
      { segments: [constant(10, 2)], clients: 1 },
      { segments: [constant(5, 4)], clients: 1 },
    ];
    const a = all(arrivals(cohorts, { durationSeconds: 8 }));
    expect(a.filter((x) => x.cohort === 0)).toHaveLength(40); // 20 in [0,2) and 20 in [4,6)
    expect(a.filter((x) => x.cohort === 0 && x.at >= 2 && x.at < 4)).toHaveLength(0);
    expect(a.filter((x) => x.cohort === 1)).toHaveLength(40);
  });

  it('a diurnal curve goes on along its period when a shorter scenario repeats', () => {
    // A 10 s curve, mean 20, amplitude 10, period 60 s, repeated for 60 s: repetition k plays
    // it 10k s ahead, so the run sends the whole period, 20 × 60 = 1,200 requests (the sine adds
    // up to 0). Restarting it every 10 s would send 6 × (200 + 600/2π·(1 − cos(π/3))) ≈ 1,486.
    const curve: Segment = { kind: 'diurnal', duration: 10, mean: 20, amplitude: 10, period: 60 };
    const a = all(arrivals([{ segments: [curve], clients: 1 }], { durationSeconds: 60 }));
    expect(a).toHaveLength(1200);
    // [30, 40) is the trough's side: 200 + 600/2π·(cos π − cos(4π/3)) = 200 − 47.75; Λ(30) =
    // 600 + 95.49·(1 − cos π) = 790.99 and Λ(40) = 943.24, so arrivals k − ½ for k = 792…943: 152
    expect(a.filter((x) => x.at >= 30 && x.at < 40)).toHaveLength(152);
    // and the connection pool is sized for the crest, 30 rps at 15 s, not the first 10 s (≤ 28.7)
    expect(peakRate([{ segments: [curve], clients: 1 }], 60)).toBeGreaterThan(29.5);
  });

  it('merges cohorts in time order', () => {
    const a = all(arrivals([{ segments: [constant(30, 5)], clients: 3 }, { segments: [ramp(0, 70, 5)], clients: 7 }], { durationSeconds: 5 }));
    for (let i = 1; i < a.length; i++) expect(a[i].at).toBeGreaterThanOrEqual(a[i - 1].at);
    expect(a.filter((x) => x.cohort === 0)).toHaveLength(150);
    expect(a.filter((x) => x.cohort === 1)).toHaveLength(175);
  });

  it('splits a uniform cohort evenly over its clients, round-robin', () => {
    const a = all(arrivals([{ segments: [constant(40, 1)], clients: 4 }], { durationSeconds: 1 }));
    expect(a.map((x) => x.client).slice(0, 8)).toEqual([0, 1, 2, 3, 0, 1, 2, 3]);
    const per = [0, 0, 0, 0];
    for (const x of a) per[x.client]++;
    expect(per).toEqual([10, 10, 10, 10]);
  });

  it('moves clients to a new rotation epoch every `rotate` seconds', () => {
    const a = all(arrivals([{ segments: [constant(10, 30)], clients: 2, rotate: 10 }], { durationSeconds: 30 }));
    expect(new Set(a.filter((x) => x.at < 10).map((x) => x.epoch))).toEqual(new Set([0]));
    expect(new Set(a.filter((x) => x.at >= 10 && x.at < 20).map((x) => x.epoch))).toEqual(new Set([1]));
    expect(new Set(a.filter((x) => x.at >= 20).map((x) => x.epoch))).toEqual(new Set([2]));
  });

  it('draws the same Poisson arrivals from the same seed, and about rate × time of them', () => {
    const c = [{ segments: [constant(1000, 10)], clients: 50 }];
    const a = all(arrivals(c, { durationSeconds: 10, arrivals: 'poisson', seed: 7 }));
    const b = all(arrivals(c, { durationSeconds: 10, arrivals: 'poisson', seed: 7 }));
    const d = all(arrivals(c, { durationSeconds: 10, arrivals: 'poisson', seed: 8 }));
    expect(b).toEqual(a);
    expect(d.slice(0, 10)).not.toEqual(a.slice(0, 10));
    // 10,000 expected; 4 standard deviations is 400
    expect(Math.abs(a.length - 10_000)).toBeLessThan(400);
    const gaps = a.slice(1).map((x, i) => x.at - a[i].at);
    const mean = gaps.reduce((s, g) => s + g, 0) / gaps.length;
    const sd = Math.sqrt(gaps.reduce((s, g) => s + (g - mean) ** 2, 0) / gaps.length);
    expect(sd / mean).toBeGreaterThan(0.9); // exponential gaps: coefficient of variation 1
    expect(sd / mean).toBeLessThan(1.1);
  });

  it('stops after --max-requests and says how much of the profile that covered', () => {
    const s = new ArrivalSchedule([{ segments: [constant(100, 60)], clients: 1 }], { durationSeconds: 60, maxRequests: 250 });
    const a = all(s);
    expect(a).toHaveLength(250);
    expect(s.next().done).toBe(true);
    expect(s.coveredSeconds()).toBeCloseTo(2.505, 9);
  });

  it('finds the peak one-second rate of the whole run', () => {
    expect(peakRate([{ segments: [constant(10, 5), ramp(10, 500, 5)], clients: 1 }, { segments: [constant(20, 10)], clients: 1 }], 10)).toBeGreaterThan(460);
  });
});
