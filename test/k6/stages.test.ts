import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseK6Duration } from '../../src/k6/k6-duration.ts';
import { peakRps, planArrivals, planArrivalsBetween, plannedIterations, type ExecutorPlan } from '../../src/k6/stages.ts';

import { loadScenario } from '../../src/scenario/load.ts';
import { parseScenario } from '../../src/scenario/parse.ts';
import { arrivalsBetween, profileDuration, rateAt } from '../../src/scenario/profile.ts';
import type { Segment } from '../../src/scenario/types.ts';

const SCENARIOS = join(import.meta.dirname, '../../scenarios');

/** The rate segments of a one-cohort scenario written inline. */
function segments(rateYaml: string): Segment[] {
  const s = parseScenario(`name: t\ncohorts:\n  - name: c\n    role: attack\n    rate:\n${rateYaml}`);
  return s.cohorts[0].rate;
}

function ramping(plan: ExecutorPlan | undefined) {
  expect(plan?.executor).toBe('ramping-arrival-rate');
  return plan as Extract<ExecutorPlan, { executor: 'ramping-arrival-rate' }>;
}

type RampingPlan = Extract<ExecutorPlan, { executor: 'ramping-arrival-rate' }>;

/**
 * The rate (iterations/s) k6 runs a ramping-arrival-rate plan at, `t` s after its start, as k6's
 * docs define the executor: each stage ramps linearly from the previous target (startRate first)
 * to its own target over its duration; rates are per `timeUnit`.
 */
function k6RateAt(plan: RampingPlan, t: number): number {
  const unit = parseK6Duration(plan.timeUnit);
  let from = plan.startRate;
  let start = 0;
  for (const s of plan.stages) {
    const d = parseK6Duration(s.duration);
    if (t < start + d) return (from + ((s.target - from) * (t - start)) / d) / unit;
    start += d;
    from = s.target;
  }
  return 0;
}

describe('executor mapping (golden)', () => {
  it('a profile that is one constant rate becomes constant-arrival-rate', () => {
    const a = planArrivals(segments('      - { duration: 10s, rate: 100 }'));
    expect(a.plan).toEqual({ executor: 'constant-arrival-rate', startTime: '0s', timeUnit: '1s', rate: 100, duration: '10s' });
    expect(a.planned).toBe(1000);
  });

  it('a silent start becomes the scenario startTime, and the rest still maps to one constant rate', () => {
    const a = planArrivals(segments('      - { duration: 5m, rate: 0 }\n      - { duration: 55m, rate: 2000 }'));
    expect(a.plan).toEqual({ executor: 'constant-arrival-rate', startTime: '5m', timeUnit: '1s', rate: 2000, duration: '55m' });
    expect(a.planned).toBe(6_600_000);
  });

  it("DESIGN's bots (5m silent, 1m ramp to 5,000, 54m hold) map to a linear stage and a hold stage from 5m", () => {
    const p = ramping(planArrivals(segments('      - { duration: 5m, rate: 0 }\n      - { duration: 1m, ramp: [0, 5000] }\n      - { duration: 54m, rate: 5000 }')).plan);
    expect(p).toEqual({
      executor: 'ramping-arrival-rate',
      startTime: '5m',
      timeUnit: '1s',
      startRate: 0,
      stages: [
        { duration: '1m', target: 5000 },
        { duration: '54m', target: 5000 },
      ],
    });
  });

  it('a step between constant rates is a 0 s jump stage followed by a hold', () => {
    const p = ramping(planArrivals(segments('      - { duration: 30s, rate: 100 }\n      - { duration: 30s, rate: 400 }')).plan);
    expect(p.startRate).toBe(100);
    expect(p.stages).toEqual([
      { duration: '30s', target: 100 },
      { duration: '0s', target: 400 },
      { duration: '30s', target: 400 },
    ]);
  });

  it('a ramp that starts above the rate before it jumps first, then ramps linearly', () => {
    const p = ramping(planArrivals(segments('      - { duration: 10s, rate: 10 }\n      - { duration: 20s, ramp: [50, 150] }')).plan);
    expect(p.stages).toEqual([
      { duration: '10s', target: 10 },
      { duration: '0s', target: 50 },
      { duration: '20s', target: 150 },
    ]);
  });

  it('fractional rates get a larger timeUnit so the integers stay exact: 2.5 rps is 150 per minute', () => {
    const a = planArrivals(segments('      - { duration: 1h, rate: 2.5 }'));
    expect(a.plan).toEqual({ executor: 'constant-arrival-rate', startTime: '0s', timeUnit: '1m', rate: 150, duration: '1h' });
    expect(a.planned).toBeCloseTo(9000, 6);
  });

  it('a trickle that is no whole number per minute is counted per hour: 0.01 rps is 36 per hour', () => {
    const a = planArrivals(segments('      - { duration: 2h, rate: 0.01 }'));
    expect(a.plan).toMatchObject({ executor: 'constant-arrival-rate', timeUnit: '1h', rate: 36, duration: '2h' });
  });

  it('pulses become jump-and-hold pairs, one per phase, with the right phase lengths', () => {
    const p = ramping(planArrivals(segments('      - { duration: 10m, pulse: { high: 5000, low: 0, on: 1m, off: 4m } }')).plan);
    expect(p.startRate).toBe(5000);
    expect(p.stages).toEqual([
      { duration: '1m', target: 5000 },
      { duration: '0s', target: 0 },
      { duration: '4m', target: 0 },
      { duration: '0s', target: 5000 },
      { duration: '1m', target: 5000 },
    ]);
  });

  it('an exponential becomes chords whose total is within 0.2 % of the exact integral', () => {
    const segs = segments('      - { duration: 1h, exponential: { start: 10, factor: 2, every: 6m } }');
    const a = planArrivals(segs);
    const p = ramping(a.plan);
    expect(p.stages.length).toBeGreaterThan(10);
    expect(p.stages.every((s) => Number.isInteger(s.target) && s.target >= 0)).toBe(true);
    expect(Math.abs(a.planned / arrivalsBetween(segs, 0, 3600) - 1)).toBeLessThan(0.002);
  });

  it('a diurnal curve is followed in shape, not just in total: the plan stays within 2 % of the rate all day', () => {
    const segs = segments('      - { duration: 24h, diurnal: { mean: 100, amplitude: 80, period: 24h } }');
    const p = ramping(planArrivals(segs).plan);
    // over a whole period a flat line would have the right total; the rate must follow the curve
    for (let t = 0; t < 86400; t += 600) expect(Math.abs(k6RateAt(p, t) - rateAt(segs, t))).toBeLessThan(0.02 * 180);
    expect(Math.abs(plannedIterations(p) / arrivalsBetween(segs, 0, 86400) - 1)).toBeLessThan(0.002);
  });

  it('a cohort that never sends gets no executor', () => {
    expect(planArrivals(segments('      - { duration: 10m, rate: 0 }')).plan).toBeUndefined();
  });

  it('stage durations are Go durations k6 parses (no days), and add up to the profile after startTime', () => {
    const segs = segments('      - { duration: 2d, diurnal: { mean: 10, amplitude: 5, period: 24h } }');
    const p = ramping(planArrivals(segs).plan);
    for (const s of p.stages) expect(s.duration).toMatch(/^(\d+h)?(\d+m)?(\d+(\.\d+)?s)?$|^\d+ms$|^0s$/);
    const total = p.stages.reduce((sum, s) => sum + parseK6Duration(s.duration), 0);
    expect(total).toBeCloseTo(profileDuration(segs), 3);
  });
});

describe('every built-in scenario, against the simulator schedule', () => {
  const files = readdirSync(SCENARIOS).filter((f) => /\.ya?ml$/.test(f));

  it('there are built-in scenarios to check', () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
  });

  for (const f of files) {
    it(`${f}: each cohort's planned requests are within 1 % of arrivalsBetween, overall and minute by minute`, () => {
      const scenario = loadScenario(join(SCENARIOS, f));
      for (const c of scenario.cohorts) {
        const a = planArrivals(c.rate);
        const total = profileDuration(c.rate);
        const expected = arrivalsBetween(c.rate, 0, total);
        expect(a.expected).toBeCloseTo(expected, 6);
        if (expected === 0) continue;
        expect(Math.abs(a.planned - expected) / expected, `${c.name} total`).toBeLessThan(0.01);
        // the simulator's schedule minute by minute: the plan may be off by 1 % of the minute, or
        // by 2 % of the cohort's peak minute where the profile itself steps inside the minute
        const start = parseK6Duration(a.plan!.startTime);
        const peakMinute = 60 * a.peakRps;
        for (let t = 0; t < total; t += 60) {
          const want = arrivalsBetween(c.rate, t, Math.min(total, t + 60));
          const got = planArrivalsBetween(a.plan!, t - start, Math.min(total, t + 60) - start);
          expect(Math.abs(got - want), `${c.name} minute ${t / 60}`).toBeLessThanOrEqual(Math.max(0.01 * want, 0.02 * peakMinute, 1));
        }
      }
    });
  }

  it('the peak of a plan of 300,000 stages (a long --duration) is found without overflowing the stack', () => {
    const stages = Array.from({ length: 300_000 }, (_, i) => ({ duration: '1s', target: i === 123_456 ? 9_000 : i % 100 }));
    expect(peakRps({ executor: 'ramping-arrival-rate', startTime: '0s', timeUnit: '1m', startRate: 5, stages })).toBe(9_000 / 60);
    expect(peakRps({ executor: 'ramping-arrival-rate', startTime: '0s', timeUnit: '1s', startRate: 20_000, stages })).toBe(20_000);
  });
});
