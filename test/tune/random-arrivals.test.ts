/**
 * Tune's bursts leave room for legit clients whose requests arrive at random (as `dowsim run`
 * sends them by default, and as real clients do), not evenly spaced as the simulator's fluid ticks
 * see them. The estimate is checked against an independent Monte Carlo: Poisson arrivals, one at
 * a time, into a token bucket of whole tokens, written here from the definition.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/parse.ts';
import { parseStack } from '../../src/stack/parse.ts';
import { loadPriceBook } from '../../src/pricing/loader.ts';
import { tune } from '../../src/tune/tune.ts';
import { parseSlo } from '../../src/tune/slo.ts';
import { burstForRandomArrivals, RANDOM_ARRIVAL_LOSS } from '../../src/tune/throttle-dimensions.ts';

/** mulberry32: a small seeded generator, so the Monte Carlo is the same every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The share of n Poisson arrivals (λ a second) a bucket refilling `rate` a second, holding at most `burst` whole tokens, refuses. */
function monteCarlo(lambda: number, rate: number, burst: number, n: number): number {
  const u = random(7);
  let t = 0;
  let last = 0;
  let tokens = burst;
  let refused = 0;
  for (let i = 0; i < n; i++) {
    t += -Math.log(1 - u()) / lambda;
    tokens = Math.min(burst, tokens + (t - last) * rate);
    last = t;
    if (tokens >= 1) tokens -= 1;
    else refused++;
  }
  return refused / n;
}

describe('random arrivals against a token bucket', () => {
  it.each([
    [1, 1.5],
    [1, 1.25],
    [1, 1.1],
    [30, 32],
    [5, 6],
    [1, 2],
    [0.2, 1],
  ])('λ %s, rate %s: 4 million Poisson arrivals through the least burst lose about 1 in 10,000 (at most 1.3), through half of it more', (lambda, rate) => {
    const b = burstForRandomArrivals(lambda, rate);
    expect(Number.isInteger(b) && b >= 1).toBe(true);
    expect(monteCarlo(lambda, rate, b, 4_000_000)).toBeLessThan(1.3 * RANDOM_ARRIVAL_LOSS);
    // not far above what is needed: half the burst refuses more than the target
    expect(monteCarlo(lambda, rate, Math.max(1, Math.floor(b / 2)), 4_000_000)).toBeGreaterThan(RANDOM_ARRIVAL_LOSS);
  });

  it('a rate at the peak has no burst that keeps up; above it, the least burst for 1 in 10,000, which the Monte Carlo confirms to within 25 %', () => {
    expect(RANDOM_ARRIVAL_LOSS).toBe(1e-4);
    expect(burstForRandomArrivals(1, 1)).toBe(Infinity);
    expect(burstForRandomArrivals(0, 1)).toBe(0); // no legit traffic: no floor
    // λ 1, rate 1.5: θ with e^θ − 1 = 1.5θ is 0.7627; ln(1 + 0.5/10⁻⁴) / θ = 8.517 / 0.7627 = 11.2 → 12
    expect(burstForRandomArrivals(1, 1.5)).toBe(12);
    expect(monteCarlo(1, 1.5, 12, 4_000_000)).toBeLessThan(1.25e-4);
    // λ 1, rate 2: θ = 1.2564; ln(1 + 1/10⁻⁴) / θ = 9.210 / 1.2564 = 7.33 → 8
    expect(burstForRandomArrivals(1, 2)).toBe(8);
    // far above the peak: λ 1, rate 500 (θ = 8.335 from e^θ − 1 = 500θ): ln(1 + 499/10⁻⁴) / θ = 15.42 / 8.335 = 1.85 → 2
    expect(burstForRandomArrivals(1, 500)).toBe(2);
  });

  it('tune does not set a per-key throttle at each user\'s own rate: its recommendation keeps random arrivals whole', () => {
    // users: 5 keys at 1 rps each; leechers: 2 keys at 50 rps each, all of plan basic (100/100).
    // The fluid simulator passes a user's evenly spaced 1 rps through a 1/1 bucket whole; random
    // arrivals lose about a third there (monteCarlo(1, 1, 1) ≈ 0.5 at rate = λ)
    const stack = parseStack(`
name: planstack
api:
  kind: rest
  apiKeyRequired: true
  usagePlans: [ { name: basic, throttle: { rate: 100, burst: 100 } } ]
lambda: { memoryMb: 128, duration: 10ms }
`);
    const scenario = parseScenario(`
name: keyscen
cohorts:
  - { name: users, role: legit, clients: 5, apiKey: basic, rate: [ { duration: 30s, rate: 5 } ] }
  - { name: leechers, role: attack, clients: 2, apiKey: basic, rate: [ { duration: 30s, rate: 100 } ] }
`);
    const { doc } = tune(stack, [scenario], { slo: parseSlo([], [scenario]), book: loadPriceBook('us-east-1') });
    const plan = doc.best!.stack as { api: { usagePlans: { throttle: { rate: number; burst: number } }[] } };
    const { rate, burst } = plan.api.usagePlans[0].throttle;
    expect(rate).toBeGreaterThan(1);
    expect(monteCarlo(1, rate, burst, 4_000_000)).toBeLessThan(1.25 * RANDOM_ARRIVAL_LOSS);
  });
});
