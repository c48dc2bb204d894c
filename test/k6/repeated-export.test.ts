import { describe, expect, it } from 'vitest';
import { parseK6Duration } from '../../src/k6/k6-duration.ts';
import { planArrivals, planArrivalsBetween, type ExecutorPlan } from '../../src/k6/stages.ts';
import { parseScenario } from '../../src/scenario/parse.ts';
import type { Segment } from '../../src/scenario/types.ts';

const HOUR = 3600;
const DAY = 86_400;

function segments(rateYaml: string): Segment[] {
  return parseScenario(`name: t\ncohorts:\n  - name: c\n    role: attack\n    rate:\n${rateYaml}`).cohorts[0].rate;
}

/** Requests the plan starts in [t0, t1) seconds after the run's start (planArrivalsBetween counts from startTime). */
function between(plan: ExecutorPlan, t0: number, t1: number): number {
  const start = parseK6Duration(plan.startTime);
  return planArrivalsBetween(plan, t0 - start, t1 - start);
}

/** When the plan ends, seconds after the run's start (startTime + Σ stage durations). */
function planEnd(plan: ExecutorPlan): number {
  const stages = plan.executor === 'constant-arrival-rate' ? [plan.duration] : plan.stages.map((s) => s.duration);
  return parseK6Duration(plan.startTime) + stages.reduce((t, d) => t + parseK6Duration(d), 0);
}

describe('k6 export of a run longer than the scenario (dowsim k6 --duration)', () => {
  // botnet-flood's users: a 1 h scenario, the curve's period 24 h
  const users = segments('      - { duration: 1h, diurnal: { mean: 20, amplitude: 10, period: 24h } }');

  it('24 h of a 1 h diurnal scenario follow the whole day: 20 × 86,400 = 1,728,000 requests, crest 30 rps', () => {
    const a = planArrivals(users, { durationSeconds: DAY, periodSeconds: HOUR });
    // ∫₀⁸⁶⁴⁰⁰ 20 + 10 sin(2πt/86400) dt = 1,728,000 (the sine adds up to 0 over its period)
    expect(a.expected).toBeCloseTo(1_728_000, 3);
    expect(Math.abs(a.planned - 1_728_000)).toBeLessThanOrEqual(0.002 * 1_728_000);
    // hour 6: 72,000 + 10·86,400/2π·(cos(π/2) − cos(7π/12)) = 72,000 + 35,590.2 = 107,590.2
    expect(Math.abs(between(a.plan!, 6 * HOUR, 7 * HOUR) - 107_590)).toBeLessThan(0.01 * 107_590);
    // hour 18: 72,000 − 35,590.2 = 36,409.8
    expect(Math.abs(between(a.plan!, 18 * HOUR, 19 * HOUR) - 36_410)).toBeLessThan(0.01 * 36_410);
    // the crest, 20 + 10 = 30 rps at 6 h (one pass of the first hour peaks at 20 + 10·sin(π/12) = 22.6)
    expect(a.peakRps).toBeGreaterThan(29.4);
    expect(a.peakRps).toBeLessThanOrEqual(30.6);
    expect(planEnd(a.plan!)).toBeCloseTo(DAY, 3);
  });

  it('repeats a flood with its silent start in every repetition, and cuts the last one at the duration', () => {
    // one pass: 5 m silent, a 1 m ramp to 5,000 (150,000 requests), 54 m at 5,000 (16,200,000)
    const bots = segments('      - { duration: 5m, rate: 0 }\n      - { duration: 1m, ramp: [0, 5000] }\n      - { duration: 54m, rate: 5000 }');
    const two = planArrivals(bots, { durationSeconds: 2 * HOUR, periodSeconds: HOUR });
    expect(two.expected).toBeCloseTo(2 * 16_350_000, 3);
    expect(two.planned).toBeCloseTo(2 * 16_350_000, 0);
    // the second hour is silent again for its first 5 minutes
    expect(between(two.plan!, HOUR, HOUR + 300)).toBe(0);
    expect(between(two.plan!, HOUR + 360, HOUR + 420)).toBeCloseTo(5000 * 60, 0);
    // 1.5 h: one pass, then 5 m silent + 150,000 + 24 m × 5,000 = 7,350,000
    const half = planArrivals(bots, { durationSeconds: 1.5 * HOUR, periodSeconds: HOUR });
    expect(half.expected).toBeCloseTo(16_350_000 + 7_350_000, 3);
    expect(half.planned).toBeCloseTo(16_350_000 + 7_350_000, 0);
    expect(planEnd(half.plan!)).toBeCloseTo(1.5 * HOUR, 3);
  });

  it('a cohort shorter than the scenario stays silent until the scenario repeats', () => {
    // 10 s at 100 rps in a 60 s scenario, for 150 s: [0,10), [60,70), [120,130) → 3,000
    const a = planArrivals(segments('      - { duration: 10s, rate: 100 }'), { durationSeconds: 150, periodSeconds: 60 });
    expect(a.planned).toBeCloseTo(3000, 6);
    expect(between(a.plan!, 10, 60)).toBe(0);
    expect(between(a.plan!, 60, 70)).toBeCloseTo(1000, 6);
  });
});
