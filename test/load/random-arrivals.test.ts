import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../src/limits/token-bucket.ts';
import type { Segment } from '../../src/scenario/types.ts';
import { arrivals, type Arrival } from '../../src/load/schedule.ts';

const constant = (rate: number, duration: number): Segment => ({ kind: 'constant', rate, duration });
const ramp = (from: number, to: number, duration: number): Segment => ({ kind: 'ramp', from, to, duration });

describe('random arrivals: the exact count at seeded random times', () => {
  it('sends exactly what uniform sends (a ramp 0→100 over 10 s: ∫ 10t dt = 500; 5 rps × 20 s = 100), in time order', () => {
    for (const seed of [1, 2, 3]) {
      const a = [...arrivals([{ segments: [ramp(0, 100, 10)], clients: 4 }, { segments: [constant(5, 20)], clients: 20 }], { durationSeconds: 20, arrivals: 'random', seed })];
      expect(a.filter((x) => x.cohort === 0)).toHaveLength(500);
      expect(a.filter((x) => x.cohort === 1)).toHaveLength(100);
      for (let i = 1; i < a.length; i++) expect(a[i].at).toBeGreaterThanOrEqual(a[i - 1].at);
      expect(a[a.length - 1].at).toBeLessThan(20);
    }
  });

  it('is reproducible by seed and differs between seeds', () => {
    const run = (seed: number) => [...arrivals([{ segments: [constant(50, 4)], clients: 1 }], { durationSeconds: 4, arrivals: 'random', seed })].map((x) => x.at);
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
  });

  it('spreads a constant stretch evenly: each of 10 one-second bins of 1,000 requests gets 100 ± 40', () => {
    const a = [...arrivals([{ segments: [constant(100, 10)], clients: 1 }], { durationSeconds: 10, arrivals: 'random', seed: 11 })];
    const bins = new Array(10).fill(0);
    for (const x of a) bins[Math.floor(x.at)]++;
    // binomial(1000, 0.1): sd ≈ 9.5, so ±40 is over 4 sd
    for (const n of bins) expect(Math.abs(n - 100)).toBeLessThan(40);
  });

  it('shares a token bucket between cohorts in proportion to their rates (what the simulator assumes); evenly spaced arrivals do not', () => {
    // 5 rps users beside 100 rps bots into a 50/s bucket, burst 100, for 20 s: 100 + 50 × 20 = 1,100 of 2,100
    // pass; in proportion, users get 100 × 1,100 / 2,100 ≈ 52.
    const served = (process: 'random' | 'uniform', seed: number) => {
      const bucket = new TokenBucket({ rate: 50, burst: 100 });
      let users = 0;
      const cohorts = [{ segments: [constant(5, 20)], clients: 20 }, { segments: [constant(100, 20)], clients: 10 }];
      for (const x of arrivals(cohorts, { durationSeconds: 20, arrivals: process, seed }) as Iterable<Arrival>) {
        if (bucket.take(x.at, 1) === 1 && x.cohort === 0) users++;
      }
      return users;
    };
    for (const seed of [1, 2, 3, 4]) expect(Math.abs(served('random', seed) - 52)).toBeLessThanOrEqual(15);
    // evenly spaced, the users' arrivals keep one phase against the refills: all or nearly none
    expect(Math.abs(served('uniform', 1) - 52)).toBeGreaterThan(15);
  });
});
