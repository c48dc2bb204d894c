import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/parse.ts';
import { simulate } from '../../src/simulate/engine.ts';
import { OUTCOMES } from '../../src/model/outcomes.ts';
import { cohortTotals, timelineTotals } from '../../src/model/timeline.ts';
import { conservationGap } from '../../src/model/totals.ts';
import { makeStack } from '../support/stacks.ts';

const flood = (rate: number, duration = '1m', extra = ', clients: 1') =>
  parseScenario(`
name: t
description: test
cohorts:
  - { name: bots, role: attack, rate: [ { duration: ${duration}, rate: ${rate} } ] ${extra} }
`);

describe('simulator', () => {
  it('a 200 rps flood for 60 s into a stage bucket of rate 50, burst 100 serves 100 + 50 × 60', () => {
    const stack = makeStack({ api: { stage: { rate: 50, burst: 100 } } });
    const t = timelineTotals(simulate(flood(200), stack, { horizonSeconds: 60 }));
    expect(t.offered).toBe(12_000);
    expect(t.succeeded).toBe(100 + 50 * 60);
    expect(t.gatewayThrottled).toBe(12_000 - 3_100);
    expect(t.invoked).toBe(t.succeeded);
  });

  it('the unthrottled variant serves everything the account and Lambda allow', () => {
    const stack = makeStack({ api: { stage: { rate: 50, burst: 100 } } });
    const t = timelineTotals(simulate(flood(200), stack, { horizonSeconds: 60, throttled: false }));
    expect(t.succeeded).toBe(12_000);
    expect(t.gatewayThrottled).toBe(0);
  });

  it('conserves requests: offered = Σ outcomes in every bucket of every cohort', () => {
    const sc = parseScenario(`
name: mix
description: two cohorts
cohorts:
  - { name: users, role: legit, clients: 100, rate: [ { duration: 10m, diurnal: { mean: 20, amplitude: 10, period: 5m } } ] }
  - { name: bots, role: attack, clients: 50, rotate: 1m, rate: [ { duration: 2m, rate: 0 }, { duration: 1m, ramp: [0, 3000] }, { duration: 7m, pulse: { high: 3000, low: 10, on: 10s, off: 20s } } ] }
`);
    const stack = makeStack({ api: { stage: { rate: 500, burst: 1000 } }, lambda: { reservedConcurrency: 100 } });
    const tl = simulate(sc, stack, { horizonSeconds: 3600 });
    for (const c of tl.cohorts) for (const b of c.buckets) expect(conservationGap(b)).toBe(0);
  });

  it('Lambda throttles beyond reserved concurrency and API Gateway still bills those requests', () => {
    // 1,000 rps × 0.12 s = 120 concurrent wanted; reserved 60 → half throttled (no INIT, so the
    // first second's cold environments are not busier than the rest)
    const stack = makeStack({ lambda: { reservedConcurrency: 60, initDuration: 0 } });
    const t = timelineTotals(simulate(flood(1000), stack, { horizonSeconds: 60 }));
    expect(t.lambdaThrottled / t.offered).toBeCloseTo(0.5, 2);
    expect(t.billedApiRequests).toBe(t.lambdaThrottled + t.invoked);
  });

  it('fast-forwards a 30-day steady flood and stays exact', () => {
    const stack = makeStack({ api: { stage: { rate: 50, burst: 100 } } });
    const start = performance.now();
    const t = timelineTotals(simulate(flood(10_000, '1h'), stack, { horizonSeconds: 30 * 86400 }));
    const elapsed = performance.now() - start;
    expect(t.offered).toBe(10_000 * 30 * 86400);
    expect(t.succeeded).toBe(100 + 50 * 30 * 86400);
    expect(elapsed).toBeGreaterThan(0); // speed itself is measured by `npm run bench`
  });

  it('a tighter stage throttle never raises served requests or GB-seconds', () => {
    const sc = flood(400, '5m');
    let prev = Infinity;
    let prevGb = Infinity;
    for (const rate of [1000, 300, 100, 30, 10]) {
      const t = timelineTotals(simulate(sc, makeStack({ api: { stage: { rate, burst: rate * 2 } } }), { horizonSeconds: 300 }));
      expect(t.succeeded).toBeLessThanOrEqual(prev);
      expect(t.gbSeconds).toBeLessThanOrEqual(prevGb + 1e-9);
      prev = t.succeeded;
      prevGb = t.gbSeconds;
    }
  });

  it('per-IP WAF limits catch a few loud IPs but not a rotating botnet under the limit', () => {
    const waf = makeStack({ waf: { rules: 1, rateLimit: { limit: 100, windowSeconds: 300, key: 'ip', delaySeconds: 30 } } });
    const loud = timelineTotals(simulate(flood(100, '10m', ', clients: 10'), waf, { horizonSeconds: 600 }));
    // 10 rps per IP: over 100 per 5 min after 10 s, blocked from ~40 s on
    expect(loud.wafBlocked / loud.offered).toBeGreaterThan(0.9);
    const quiet = timelineTotals(simulate(flood(100, '10m', ', clients: 1000, rotate: 1m'), waf, { horizonSeconds: 600 }));
    expect(quiet.wafBlocked).toBe(0);
  });

  it('usage-plan quotas and per-key throttles apply per client of the cohort', () => {
    const stack = makeStack({
      api: { apiKeyRequired: true, usagePlans: [{ name: 'basic', throttle: { rate: 1, burst: 2 }, quota: { limit: 100, period: 'DAY', offset: 0 } }] },
    });
    const sc = parseScenario(`
name: keys
description: k
cohorts:
  - { name: users, role: legit, clients: 10, apiKey: basic, rate: [ { duration: 10m, rate: 5 } ] }
  - { name: anon, role: attack, clients: 10, apiKey: none, rate: [ { duration: 10m, rate: 5 } ] }
  - { name: forged, role: attack, clients: 10, apiKey: invalid, rate: [ { duration: 10m, rate: 5 } ] }
`);
    const tl = simulate(sc, stack, { horizonSeconds: 600 });
    const users = cohortTotals(tl.cohorts[0]);
    // 0.5 rps per key under a 1 rps key throttle: quota of 100 per key per day is what bites
    expect(users.succeeded).toBe(10 * 100);
    expect(users.quotaExceeded).toBe(3000 - 1000);
    expect(cohortTotals(tl.cohorts[1]).authRejected).toBe(3000);
    expect(cohortTotals(tl.cohorts[2]).authRejected).toBe(3000);
  });

  it('cold starts come back after idle gaps longer than idleTimeout', () => {
    const sc = parseScenario(`
name: pulses
description: p
cohorts:
  - { name: bots, role: attack, rate: [ { duration: 2h, pulse: { high: 100, low: 0, on: 30s, off: 15m } } ] }
`);
    const stack = makeStack({ lambda: { idleTimeout: 600, duration: { p50: 1, p99: 1 } } });
    const t = timelineTotals(simulate(sc, stack, { horizonSeconds: 7200 }));
    // ~100 concurrent each pulse, every pulse cold: 2 h / 15.5 min ≈ 8 pulses
    expect(t.coldStarts).toBeGreaterThan(7 * 90);
    expect(t.coldStarts).toBeLessThan(9 * 110);
  });

  it('a burst onto no warm environments needs rate × (INIT + duration) of them, as the emulator shows', () => {
    // 105 rps, 120 ms handler, 400 ms INIT: the first 0.52 s of arrivals all find no free environment
    const stack = makeStack({ lambda: { initDuration: 0.4, duration: { p50: 0.12, p99: 0.12 } } });
    const t = timelineTotals(simulate(flood(105, '20s'), stack, { horizonSeconds: 20 }));
    expect(t.coldStarts).toBeGreaterThanOrEqual(50);
    expect(t.coldStarts).toBeLessThanOrEqual(60);
    expect(t.lambdaThrottled).toBe(0);
  });

  it('requests to a path no route matches are rejected unbilled, with the REST "Missing Authentication Token" body', () => {
    const stack = makeStack({ api: { routes: { 'GET /items': null } } });
    const sc = parseScenario(`
name: wrong-path
description: w
request: { path: /search }
cohorts:
  - { name: bots, role: attack, rate: [ { duration: 10s, rate: 10 } ] }
`);
    const t = timelineTotals(simulate(sc, stack, { horizonSeconds: 10 }));
    expect(t.authRejected).toBe(100);
    expect(t.billedApiRequests).toBe(0);
    expect(t.bytesOut).toBe(100 * Buffer.byteLength('{"message":"Missing Authentication Token"}'));
  });

  it('every outcome key is present in every bucket', () => {
    const tl = simulate(flood(10), makeStack(), { horizonSeconds: 120 });
    for (const b of tl.cohorts[0].buckets) for (const o of OUTCOMES) expect(typeof b[o]).toBe('number');
  });
});
