import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/parse.ts';
import { simulate } from '../../src/simulate/engine.ts';
import { simulateStack } from '../../src/simulate/result.ts';
import { embeddedPriceBook } from '../../src/pricing/loader.ts';
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
    // speed is measured by `npm run bench`; this pins the figures. Buckets of 1 day: day 1 serves
    // the burst + 50 × 86,400 = 4,320,100, every later day 50 × 86,400 = 4,320,000
    const tl = simulate(flood(10_000, '1h'), stack, { horizonSeconds: 30 * 86400, bucketSeconds: 86400 });
    const t = timelineTotals(tl);
    expect(t.offered).toBe(10_000 * 30 * 86400);
    expect(t.succeeded).toBe(100 + 50 * 30 * 86400);
    const days = tl.cohorts[0].buckets;
    expect(days).toHaveLength(30);
    expect(days[0]).toMatchObject({ offered: 864_000_000, succeeded: 4_320_100 });
    for (const d of days.slice(1)) expect(d).toMatchObject({ offered: 864_000_000, succeeded: 4_320_000, gatewayThrottled: 864_000_000 - 4_320_000 });
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
    // pulses start every 30 s + 15 min = 930 s: at 0, 930, …, 6,510 → 8 pulses in 2 h (the 9th would
    // start at 7,440). Each finds no warm environment (15 min off > 600 s idle). In a pulse's first
    // second 100 requests arrive, each needing a new environment for INIT + 1 s = 1.4 s ≥ the 1 s
    // tick → 100 new environments, all ready for the second second (100 × 1 s busy = 100 needed).
    // 8 × 100 = 800 cold starts; INIT GB-s 800 × 0.4 s × 0.5 GB = 160
    expect(t.offered).toBe(8 * 30 * 100);
    expect(t.coldStarts).toBe(800);
    expect(t.initGbSeconds).toBeCloseTo(160, 9);
  });

  it('a burst onto no warm environments needs rate × (INIT + duration) of them, as the emulator shows', () => {
    // 105 rps, 120 ms handler, 400 ms INIT: a new environment serves one request per 0.52 s in the
    // first second → 105 × 0.52 = 54.6 environments (reported whole: 55); from the second second
    // on they are warm and serve 54.6 / 0.12 = 455 rps > 105. INIT GB-s 54.6 × 0.4 × 0.5 = 10.92
    const stack = makeStack({ lambda: { initDuration: 0.4, duration: { p50: 0.12, p99: 0.12 } } });
    const t = timelineTotals(simulate(flood(105, '20s'), stack, { horizonSeconds: 20 }));
    expect(t.coldStarts).toBe(55);
    expect(t.initGbSeconds).toBeCloseTo(10.92, 9);
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

describe('simulator: legit-only variant, WAF rotation, quotas across fast-forward', () => {
  // each served request: REST 3.50/M + Lambda 0.20/M + 0.1 s × 1 GB × 0.0000166667; no INIT, logs
  // or response bytes → c = 0.0000053666670 (the same c as test/cost/stack-result.test.ts)
  const plain = makeStack({ responseBytes: 0, lambda: { memoryMb: 1024, duration: { p50: 0.1, p99: 0.1 }, initDuration: 0, logBytesPerInvocation: 0 } });
  const c = 3.5e-6 + 0.2e-6 + 0.1 * 0.0000166667;
  const mixed = parseScenario(`
name: mixed
description: users and bots
cohorts:
  - { name: users, role: legit, clients: 10, rate: [ { duration: 1m, rate: 10 } ] }
  - { name: bots, role: attack, clients: 10, rate: [ { duration: 1m, rate: 100 } ] }
`);

  it('onlyRole: legit simulates the legit cohorts alone', () => {
    const tl = simulate(mixed, plain, { horizonSeconds: 60, onlyRole: 'legit' });
    expect(tl.cohorts.map((x) => x.name)).toEqual(['users']);
    expect(timelineTotals(tl)).toMatchObject({ offered: 600, succeeded: 600 });
  });

  it('damage is what the attack adds: 6,000 bot requests × c, not $0', () => {
    // nothing throttles (account 10,000 rps): throttled serves 600 + 6,000, legit-only 600
    const r = simulateStack(mixed, plain, embeddedPriceBook('us-east-1'), { horizonSeconds: 60 });
    expect(r.legitOnlyBill!.total).toBeCloseTo(600 * c, 12);
    expect(r.throttled.bill.total).toBeCloseTo(6600 * c, 12);
    expect(r.damage).toBeCloseTo(6000 * c, 12);
    expect(r.savings).toBe(0);
  });

  it('WAF rate rule: one IP at 1 rps is blocked once its window holds more than 100, unless it rotates', () => {
    // limit 100 per 300 s, no detection delay. Tick k (second k − 1 … k) sees the k − 1 requests of
    // the seconds before it: ticks 1 … 101 pass (0 … 100 seen), ticks 102 … 600 are blocked (> 100
    // seen; blocked requests still count). 101 pass, 499 blocked.
    const waf = makeStack({ waf: { rules: 1, rateLimit: { limit: 100, windowSeconds: 300, key: 'ip', delaySeconds: 0 } } });
    const one = (rotate: string) =>
      parseScenario(`
name: one-ip
description: o
cohorts:
  - { name: bot, role: attack, clients: 1${rotate}, rate: [ { duration: 10m, rate: 1 } ] }
`);
    const fixed = timelineTotals(simulate(one(''), waf, { horizonSeconds: 600 }));
    expect(fixed).toMatchObject({ offered: 600, succeeded: 101, wafBlocked: 499 });
    // a fresh IP every minute: each IP sends 60 < 100, its count starts over → nothing blocked
    const rotating = timelineTotals(simulate(one(', rotate: 1m'), waf, { horizonSeconds: 600 }));
    expect(rotating).toMatchObject({ offered: 600, succeeded: 600, wafBlocked: 0 });
    // every 2 minutes: each IP sees 0 … 119 before its ticks: ticks with > 100 seen are the last
    // 19 of each 120 s → 5 IPs × 19 = 95 blocked
    const slow = timelineTotals(simulate(one(', rotate: 2m'), waf, { horizonSeconds: 600 }));
    expect(slow).toMatchObject({ offered: 600, succeeded: 505, wafBlocked: 95 });
  });

  it('a daily quota stops each day at its limit, fast-forward or not (3 days at 1 rps, 50,000/day)', () => {
    // 86,400 requests a day (start Monday 00:00 UTC): 50,000 pass, 36,400 quotaExceeded, 3 days
    const stack = makeStack({ api: { apiKeyRequired: true, usagePlans: [{ name: 'gold', quota: { limit: 50_000, period: 'DAY', offset: 0 } }] } });
    const sc = parseScenario(`
name: quota
description: q
cohorts:
  - { name: bot, role: attack, clients: 1, apiKey: gold, rate: [ { duration: 72h, rate: 1 } ] }
`);
    const tl = simulate(sc, stack, { horizonSeconds: 3 * 86_400, bucketSeconds: 86_400 });
    const days = tl.cohorts[0].buckets;
    expect(days).toHaveLength(3);
    for (const d of days) expect(d).toMatchObject({ offered: 86_400, succeeded: 50_000, quotaExceeded: 36_400 });
  });

  it('a quota that resets mid-scenario: an hourly-repeating scenario crosses midnight exactly', () => {
    // 2 rps, scenario 1 h repeated over 36 h from Monday 00:00: day 1 offers 172,800 → 100,000
    // pass; the next 12 h offer 86,400 → 86,400 pass (limit 100,000 not reached)
    const stack = makeStack({ api: { apiKeyRequired: true, usagePlans: [{ name: 'gold', quota: { limit: 100_000, period: 'DAY', offset: 0 } }] } });
    const sc = parseScenario(`
name: quota-hourly
description: q
cohorts:
  - { name: bot, role: attack, clients: 1, apiKey: gold, rate: [ { duration: 1h, rate: 2 } ] }
`);
    const tl = simulate(sc, stack, { horizonSeconds: 36 * 3600, bucketSeconds: 12 * 3600 });
    const [a, b, d] = tl.cohorts[0].buckets;
    expect(a.succeeded + b.succeeded).toBe(100_000);
    expect(a.quotaExceeded + b.quotaExceeded).toBe(72_800);
    expect(d).toMatchObject({ offered: 86_400, succeeded: 86_400, quotaExceeded: 0 });
  });

  it('a daily quota that never runs out: repetitions are replayed across its resets, each day counted afresh', () => {
    // 1 and 2 rps in turns of 5 min, scenario 1 h repeated from Monday 00:00: 1.5 × 86,400 = 129,600
    // a day, under the 200,000 quota
    const stack = makeStack({ api: { apiKeyRequired: true, usagePlans: [{ name: 'gold', quota: { limit: 200_000, period: 'DAY', offset: 0 } }] } });
    const turns = Array.from({ length: 12 }, (_, i) => `{ duration: 5m, rate: ${1 + (i % 2)} }`).join(', ');
    const sc = parseScenario(`
name: quota-daily
description: q
cohorts:
  - { name: bot, role: attack, clients: 1, apiKey: gold, rate: [ ${turns} ] }
`);
    const run = (days: number) => {
      const stats = { steps: 0, strides: 0 };
      const tl = simulate(sc, stack, { horizonSeconds: days * 86400, bucketSeconds: 86400, stats });
      return { days: tl.cohorts[0].buckets, steps: stats.steps };
    };
    const three = run(3);
    for (const day of three.days) expect(day).toMatchObject({ offered: 129_600, succeeded: 129_600, quotaExceeded: 0 });
    // two repetitions to see it repeat, then skips from reset to reset: two more days cost no more
    // repetitions (simulating two after every reset would add ~4 × the steps of one)
    const one = run(1);
    expect(three.steps - one.steps).toBeLessThan(one.steps / 4);
  });
});
