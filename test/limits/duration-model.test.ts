import { describe, expect, it } from 'vitest';
import { DurationModel, billedPerMs, seededRandom } from '../../src/limits/duration-model.ts';

describe('Lambda durations', () => {
  it('bills per started millisecond', () => {
    expect(billedPerMs(0.1201)).toBeCloseTo(0.121, 9);
    expect(billedPerMs(0.12)).toBeCloseTo(0.12, 9);
  });

  it('a log-normal fitted to p50/p99 reproduces them', () => {
    const d = new DurationModel({ p50: 0.08, p99: 0.9 });
    expect(d.quantile(0.5)).toBeCloseTo(0.08, 6);
    expect(d.quantile(0.99)).toBeCloseTo(0.9, 4);
    const rng = seededRandom(42);
    const xs = Array.from({ length: 20_000 }, () => d.sample(rng)).sort((a, b) => a - b);
    expect(xs[10_000]).toBeGreaterThan(0.075);
    expect(xs[10_000]).toBeLessThan(0.085);
  });

  it('past the integration timeout the client gets a timeout while the function keeps billing', () => {
    const limits = { functionTimeout: 60, integrationTimeout: 29, errorRate: 0 };
    expect(DurationModel.outcome(40, limits)).toEqual({ outcome: 'timedOut', billedSeconds: 40, busySeconds: 40 });
    expect(DurationModel.outcome(90, limits)).toEqual({ outcome: 'timedOut', billedSeconds: 60, busySeconds: 60 });
    expect(DurationModel.outcome(5, { functionTimeout: 3, integrationTimeout: 29, errorRate: 0 }).outcome).toBe('failed');
  });

  it('fluid shares add up to one and match sampling', () => {
    const d = new DurationModel({ p50: 1, p99: 40 });
    const limits = { functionTimeout: 35, integrationTimeout: 29, errorRate: 0.1 };
    const f = d.fluid(limits);
    expect(f.succeeded + f.failed + f.timedOut).toBeCloseTo(1, 9);
    const rng = seededRandom(7);
    let timedOut = 0;
    for (let i = 0; i < 50_000; i++) if (DurationModel.outcome(d.sample(rng), limits).outcome === 'timedOut') timedOut++;
    expect(timedOut / 50_000).toBeCloseTo(f.timedOut, 2);
  });
});
