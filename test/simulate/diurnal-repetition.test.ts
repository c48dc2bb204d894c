import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/parse.ts';
import { simulate } from '../../src/simulate/engine.ts';
import { cohortTotals, timelineTotals } from '../../src/model/timeline.ts';
import { makeStack } from '../support/stacks.ts';

const HOUR = 3600;
const DAY = 86_400;

// botnet-flood's users alone: a 1 h scenario whose curve has a 24 h period
const users = parseScenario(`
name: day-curve
description: test
cohorts:
  - { name: users, role: legit, clients: 100, rate: [ { duration: 1h, diurnal: { mean: 20, amplitude: 10, period: 24h } } ] }
`);

describe('simulator: a diurnal segment follows its period across repetitions of the scenario', () => {
  it('a 1 h scenario over a 24 h horizon offers the whole curve: 20 × 86,400 = 1,728,000 requests', () => {
    // Σₖ ∫₀³⁶⁰⁰ 20 + 10 sin(2π(u + 3600k)/86400) du = ∫₀⁸⁶⁴⁰⁰ … = 1,728,000 (the sine integrates
    // to 0 over a period); restarting the curve each hour gave 24 × ∫₀³⁶⁰⁰ … ≈ 1,840,452
    const tl = simulate(users, makeStack(), { horizonSeconds: DAY, bucketSeconds: HOUR });
    expect(timelineTotals(tl).offered).toBe(1_728_000);
    // hour 6 is the curve from 6 h to 7 h: 72,000 + 10·86,400/2π·(cos(π/2) − cos(7π/12))
    // = 72,000 + 137,509.87 × 0.258819 = 107,590.2; hour 18 mirrors it: 72,000 − 35,590.2 = 36,409.8
    const hours = tl.cohorts[0].buckets;
    expect(Math.abs(hours[6].offered - 107_590)).toBeLessThanOrEqual(1);
    expect(Math.abs(hours[18].offered - 36_410)).toBeLessThanOrEqual(1);
  });

  it('30 days behind a 25 rps stage: every day throttles the crest of the curve alike, folded on the 24 h period', () => {
    // The rate exceeds 25 where sin θ > ½, θ ∈ (π/6, 5π/6): per day ∫ (10 sin θ − 5) dθ · 86,400/2π
    // = (10·√3 − 5·2π/3) × 13,750.99 = (17.3205 − 10.4720) × 13,750.99 = 94,174 throttled, less
    // the 50-token burst the bucket holds when the crest begins → 1,728,000 − 94,174 + 50 ≈ 1,633,876
    // served a day. Restarting the curve each hour peaks at 22.6 rps and never throttles.
    const stack = makeStack({ api: { stage: { rate: 25, burst: 50 } } });
    const month = { steps: 0, strides: 0 };
    const tl = simulate(users, stack, { horizonSeconds: 30 * DAY, bucketSeconds: DAY, stats: month });
    expect(cohortTotals(tl.cohorts[0]).offered).toBe(30 * 1_728_000);
    const days = tl.cohorts[0].buckets;
    for (const d of days) {
      expect(d.offered).toBeGreaterThanOrEqual(1_727_999);
      expect(d.offered).toBeLessThanOrEqual(1_728_001);
      expect(Math.abs(d.succeeded - 1_633_876)).toBeLessThanOrEqual(5);
      expect(Math.abs(d.succeeded - days[1].succeeded)).toBeLessThanOrEqual(1);
    }
    // folded: 30 days take hardly more steps than 3 (simulated straight through they take 10×)
    const three = { steps: 0, strides: 0 };
    simulate(users, stack, { horizonSeconds: 3 * DAY, bucketSeconds: DAY, stats: three });
    expect(month.steps).toBeLessThan(1.5 * three.steps);
  });

  it('simulates straight through when lcm(S, period) does not fit in the horizon', () => {
    // a 7 s scenario and a 24 h curve come round after lcm = 7 days; over 2 days the curve runs on
    // once: 20 × 172,800 = 3,456,000 (two whole periods)
    const seven = parseScenario(`
name: seven
description: test
cohorts:
  - { name: users, role: legit, clients: 1, rate: [ { duration: 7s, diurnal: { mean: 20, amplitude: 10, period: 24h } } ] }
`);
    const tl = simulate(seven, makeStack(), { horizonSeconds: 2 * DAY, bucketSeconds: DAY });
    expect(timelineTotals(tl).offered).toBe(3_456_000);
  });
});
