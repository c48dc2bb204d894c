import { describe, expect, it } from 'vitest';
import { DurationModel, inverseNormal } from '../../src/limits/duration-model.ts';

// Standard normal quantiles from the usual tables (e.g. NIST/SEMATECH e-Handbook 1.3.6.7.1, and
// the 15-digit values every statistics library agrees on). Acklam's approximation is good to
// about 1.2e-9 relative, so 8 decimals must hold in each of its three regions (p < 0.02425,
// the middle, p > 0.97575).
const TABLE: [number, number][] = [
  [0.0001, -3.719016485455709],
  [0.001, -3.090232306167814],
  [0.01, -2.326347874040841],
  [0.1, -1.2815515655446004],
  [0.3, -0.5244005127080407],
  [0.5, 0],
  [0.75, 0.6744897501960817],
  [0.9, 1.2815515655446004],
  [0.95, 1.6448536269514722],
  [0.975, 1.959963984540054],
  [0.99, 2.326347874040841],
  [0.999, 3.090232306167814],
  [0.9999, 3.719016485455709],
];

describe('inverse standard normal', () => {
  it.each(TABLE)('Φ⁻¹(%d) = %d', (p, z) => {
    expect(inverseNormal(p)).toBeCloseTo(z, 8);
  });
});

describe('DurationModel edges', () => {
  it('a fixed duration is that duration at every quantile (no log/exp round trip)', () => {
    // exp(log(0.1)) is not 0.1 in floating point: a fixed 100 ms must stay exactly 100 ms
    const d = new DurationModel({ p50: 0.1, p99: 0.1 });
    expect(d.quantile(0.01)).toBe(0.1);
    expect(d.quantile(0.99)).toBe(0.1);
  });

  it('a random source at its very ends (0 or 1) still gives a finite duration', () => {
    const d = new DurationModel({ p50: 0.1, p99: 0.2 });
    const hi = d.sample(() => 1);
    const lo = d.sample(() => 0);
    expect(Number.isFinite(hi) && Number.isFinite(lo)).toBe(true);
    expect(hi).toBeGreaterThan(0.2);
    expect(lo).toBeLessThan(0.1);
  });

  it('fluid: the mean of a log-normal, billed per ms, and the error rate split off what completes', () => {
    // p50 0.1, p99 0.2: σ = ln 2 / 2.3263 = 0.29796, mean = 0.1 × e^(σ²/2) = 0.104539 s; billing
    // rounds each up to the next ms (+0.0005 on average); 10 % of completions fail
    const f = new DurationModel({ p50: 0.1, p99: 0.2 }).fluid({ functionTimeout: 30, integrationTimeout: 29, errorRate: 0.1 });
    expect(f.busySeconds).toBeCloseTo(0.104539, 3);
    expect(f.billedSeconds).toBeCloseTo(0.105039, 3);
    expect(f.succeeded).toBeCloseTo(0.9, 9);
    expect(f.failed).toBeCloseTo(0.1, 9);
    expect(f.timedOut).toBe(0);
  });
});
