import { describe, expect, it } from 'vitest';
import { simulateResult } from '../../src/simulate/result.ts';
import { parseScenario } from '../../src/scenario/parse.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { loadStack } from '../../src/stack/load.ts';
import { embeddedPriceBook } from '../../src/pricing/loader.ts';
import type { Alarm, Budget } from '../../src/stack/alarm-types.ts';
import type { Stack } from '../../src/stack/types.ts';
import type { Detection, VariantResult } from '../../src/model/result.ts';
import { makeStack } from '../support/stacks.ts';

const book = embeddedPriceBook('us-east-1');

/** 128 MB, 100 ms, 300 ms INIT, 1,024-byte responses, 300 log bytes per invocation, no free tier. */
const watched = (alarms: Partial<Alarm>[], budgets: Budget[] = []): Stack =>
  makeStack({
    responseBytes: 1024,
    lambda: { memoryMb: 128, duration: { p50: 0.1, p99: 0.1 }, initDuration: 0.3, timeout: 3 },
    alarms: alarms.map((a, i) => ({
      name: `alarm-${i}`,
      metric: 'Count',
      statistic: 'Sum',
      periodSeconds: 60,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      threshold: 30_000,
      comparison: 'GreaterThanThreshold',
      delaySeconds: 60,
      ...a,
    })),
    ...(budgets.length ? { budgets } : {}),
  });

/** Users at 10 rps throughout; bots at `rate` from `start` seconds on (`shape` overrides the bots' second segment). */
const flood = (start: number, length: number, shape = 'rate: 1000') =>
  parseScenario(`
name: flood
description: test
request: { method: GET, path: /items }
cohorts:
  - { name: users, role: legit, clients: 10, rate: [ { duration: ${start + length}s, rate: 10 } ] }
  - { name: bots, role: attack, clients: 100, rate: [ ${start > 0 ? `{ duration: ${start}s, rate: 0 }, ` : ''}{ duration: ${length}s, ${shape} } ] }
`);

const run = (scenario: ReturnType<typeof flood>, stack: Stack, horizonSeconds: number) =>
  simulateResult(scenario, [stack], { horizonSeconds, bookFor: () => book }).stacks[0];
const find = (v: VariantResult, name: string): Detection => v.detection!.find((d) => d.alarm === name)!;

// Per request on the 128 MB stack, every request served (embedded us-east-1 prices):
//   API Gateway REST 3.50/M                         = 3.5e-6
//   Lambda requests 0.20/M                          = 0.2e-6
//   Lambda 0.1 s × 0.125 GB = 0.0125 GB-s × 0.0000166667 = 2.0833e-7
//   logs 300 B / 2^30 × 0.50                        = 1.3970e-7
//   data transfer 1,024 B / 2^30 × 0.09             = 8.5831e-8
//   total                                           = 4.13386e-6 (6.3386e-7 without API Gateway)
const PER_REQUEST = 3.5e-6 + 0.2e-6 + 0.0125 * 0.0000166667 + (300 / 2 ** 30) * 0.5 + (1024 / 2 ** 30) * 0.09;

describe('cost until detection (simulated)', () => {
  it('a 1-minute Count alarm (30,000, 1 of 1, +60 s) under a 1,000 rps flood from minute 10 fires at 720 s, having cost what 127,200 requests cost', () => {
    const stack = watched([{ name: 'traffic' }, { name: 'throttles', metric: 'Throttles', threshold: 0 }]);
    const s = run(flood(600, 600), stack, 3600);
    // minute [600, 660): 600 user + 60,000 bot requests > 30,000 → fires at 660 + 60 = 720 s
    const traffic = find(s.throttled, 'traffic');
    expect(traffic.firesAtSeconds).toBe(720);
    // by 720 s: users 10 × 720 = 7,200, bots 1,000 × 120 = 120,000 → 127,200 requests
    // × 4.13386e-6 = 0.52583; + INIT of ~101 cold starts × 0.3 s × 0.125 GB × 0.0000166667 ≈ 0.00006
    const hand = 127_200 * PER_REQUEST + 101 * 0.3 * 0.125 * 0.0000166667;
    expect(Math.abs(traffic.costBeforeUsd - hand) / hand).toBeLessThan(0.01);
    // 1,010 rps × 0.1 s = 101 concurrent of 1,000: Lambda never throttles
    const throttles = find(s.throttled, 'throttles');
    expect(throttles.firesAtSeconds).toBeNull();
    expect(throttles.costBeforeUsd).toBe(s.throttled.bill.total);
    expect(find(s.unthrottled, 'traffic').firesAtSeconds).toBe(720);
  });

  it('a threshold crossed mid-period counts only when the period as a whole breaches', () => {
    const stack = watched([{ name: 'traffic' }]);
    // flood from 630 s: [600, 660) holds 600 + 30 × 1,000 = 30,600 > 30,000 → 660 + 60
    expect(find(run(flood(630, 570), stack, 1200).throttled, 'traffic').firesAtSeconds).toBe(720);
    // flood from 640 s: [600, 660) holds 600 + 20,000 = 20,600; [660, 720) 60,600 → 720 + 60
    expect(find(run(flood(640, 560), stack, 1200).throttled, 'traffic').firesAtSeconds).toBe(780);
  });

  it('M of N: pulses one minute in three breach periods 0, 3, 6, 9, so 2 of 3 never fires and 2 of 4 fires at 300 s', () => {
    const stack = watched([
      { name: 'one-of-one' },
      { name: 'two-of-three', evaluationPeriods: 3, datapointsToAlarm: 2 },
      { name: 'two-of-four', evaluationPeriods: 4, datapointsToAlarm: 2 },
    ]);
    // bots: 1,000 rps for 1 minute, 0 for 2, from 0 s; each "on" minute holds 60,600 requests
    const s = run(flood(0, 720, 'pulse: { high: 1000, low: 0, on: 1m, off: 2m }'), stack, 720).throttled;
    expect(find(s, 'one-of-one').firesAtSeconds).toBe(60 + 60);
    expect(find(s, 'two-of-three').firesAtSeconds).toBeNull();
    expect(find(s, 'two-of-four').firesAtSeconds).toBe(240 + 60); // window of periods 0..3
  });

  it('budgets and EstimatedCharges see cost only at billing refreshes, priced with monthly tiers from the first request', () => {
    const stack = watched(
      [{ name: 'billing', metric: 'EstimatedCharges', statistic: 'Maximum', periodSeconds: 3600, threshold: 1500, delaySeconds: 0 }],
      [
        { name: 'actual', limitUsd: 1500, thresholdPercent: 100, type: 'ACTUAL' },
        { name: 'forecast', limitUsd: 10_000, thresholdPercent: 100, type: 'FORECASTED' },
      ],
    );
    const scenario = parseScenario(`
name: steady
description: test
cohorts:
  - { name: bots, role: attack, clients: 100, rate: [ { duration: 2d, rate: 5000 } ] }
`);
    const s = run(scenario, stack, 2 * 86400).throttled;
    // 5,000 rps = 18 M requests an hour; REST's first tier (3.50/M) ends at 333 M, then 2.80/M.
    const cost = (hours: number) => {
      const n = 18e6 * hours;
      return Math.min(n, 333e6) * 3.5e-6 + Math.max(0, n - 333e6) * 2.8e-6 + n * (PER_REQUEST - 3.5e-6);
    };
    // Budgets refresh every 8 h: at 16 h 288 M requests cost 1,190.6 (< 1,500); at 24 h 432 M cost
    // 1,165.5 + 99 M × 2.80/M + 432 M × 6.3386e-7 = 1,716.5 → fires at 86,400 s
    const actual = find(s, 'actual');
    expect(actual.firesAtSeconds).toBe(86_400);
    expect(Math.abs(actual.costBeforeUsd - cost(24)) / cost(24)).toBeLessThan(0.01);
    expect(cost(24)).toBeLessThan(432e6 * PER_REQUEST * 0.97); // the tiers matter here
    // FORECASTED at the first refresh: 8 h of 396.9/h → 1,190.6 × 730 / 8 = 108,642 ≥ 10,000
    expect(find(s, 'forecast').firesAtSeconds).toBe(8 * 3600);
    // EstimatedCharges refreshes every 6 h: 1,339.4 at 18 h, 1,716.5 at 24 h > 1,500; that
    // datapoint lands in the 1-hour period [24 h, 25 h) → fires at 25 h
    const billing = find(s, 'billing');
    expect(billing.firesAtSeconds).toBe(25 * 3600);
    expect(Math.abs(billing.costBeforeUsd - cost(25)) / cost(25)).toBeLessThan(0.01);
  });

  it('the leech stays under every metric alarm of rest-alarmed; only the bill gives it away, days later', () => {
    const s = simulateResult(loadScenario('leech'), [loadStack('rest-alarmed')], { horizonSeconds: 7 * 86400, bookFor: () => book }).stacks[0];
    for (const v of [s.throttled, s.unthrottled]) {
      // busiest 5 minutes: (20 + 30) rps × 300 s = 15,000 requests, far under 100,000
      for (const name of ['api-traffic', 'api-5xx', 'lambda-throttles', 'lambda-concurrency']) expect(find(v, name).firesAtSeconds).toBeNull();
    }
    // 40 rps on average (users 20, leeches 10 → 30) = 144,000 requests an hour at
    // 3.5e-6 + 0.2e-6 + 0.06 GB-s × 0.0000166667 + 1.397e-7 + 8.583e-8 = 4.9255e-6 → 0.70928/h.
    // EstimatedCharges passes 100 after 141 h: the refresh at 144 h (102.1) lands in [144 h, 150 h) → 150 h
    const billing = find(s.throttled, 'billing-100usd');
    expect(billing.firesAtSeconds).toBe(150 * 3600);
    expect(Math.abs(billing.costBeforeUsd - 150 * 0.70928) / (150 * 0.70928)).toBeLessThan(0.01);
    // 80 % of 500 = 400 takes 564 h: not within the 7-day horizon, so nobody is told and the
    // whole week's bill (168 h × 0.70928 = 119.2) runs up
    const budget = find(s.throttled, 'monthly-500usd');
    expect(budget.firesAtSeconds).toBeNull();
    expect(budget.costBeforeUsd).toBe(s.throttled.bill.total);
    expect(Math.abs(budget.costBeforeUsd - 168 * 0.70928) / (168 * 0.70928)).toBeLessThan(0.01);
  });

  it('a stack without alarms or budgets gets no detection field', () => {
    const s = run(flood(600, 600), makeStack(), 1200);
    expect(s.throttled.detection).toBeUndefined();
    expect(s.unthrottled.detection).toBeUndefined();
  });
});
