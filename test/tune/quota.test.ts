import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.ts';
import { loadStack } from '../../src/stack/load.ts';
import { parseStack } from '../../src/stack/parse.ts';
import { loadPriceBook } from '../../src/pricing/loader.ts';
import { simulate } from '../../src/simulate/engine.ts';
import { priceVariant } from '../../src/cost/stack-result.ts';
import { searchSpace, tune } from '../../src/tune/tune.ts';
import { parseSlo } from '../../src/tune/slo.ts';
import { stackFileYaml } from '../../src/tune/stack-file.ts';

const FIX = 'test/tune/fixtures';
const book = loadPriceBook('us-east-1');

describe('tune searches usage-plan quotas where attackers hold keys', () => {
  const stack = loadStack(`${FIX}/rest-keyed.yaml`);
  const scenario = loadScenario(`${FIX}/leaked-key.yaml`);

  it('bounds: no quota below what a legit key sends over the period when the hour repeats, none above what the thief sends in it', () => {
    const quota = searchSpace(stack, [scenario]).find((d) => d.id === 'api.usagePlans[0].quota')!;
    expect(quota).toBeDefined();
    const values = Array.from({ length: quota.size - 1 }, (_, i) => quota.describe(i + 1));
    // a partner key: 10 rps × 60 s = 600 an hour, 14,400 a DAY (15,000 rounded up to two digits);
    // a WEEK needs 100,800, more than the thief's 36,000 an hour: no WEEK or MONTH quota has room
    expect(values[0]).toBe('api.usagePlans[0].quota 15000/DAY');
    expect(values.every((v) => / (\d+)\/DAY$/.test(v) && Number(/ (\d+)\//.exec(v)![1]) <= 36_000)).toBe(true);
  });

  it('a leaked key that sends a partner’s peak rate all hour: a DAY quota wins, and simulate agrees on the figures', () => {
    const slo = parseSlo([], [scenario]);
    const { doc, recommended } = tune(stack, [scenario], { slo, book, costTolerance: 0, now: new Date(0) });
    // Per second, per IP (a new IP every minute, 600 per IP like a partner client in its minute)
    // and per key rate (10 rps both) the thief looks like a partner: no throttle or WAF limit can
    // refuse it without refusing the partner. The tightest quota the partner never meets,
    // 15,000 a DAY, lets the thief through for 1,500 s of its 3,600: 15,000 of 36,000 requests.
    expect(doc.best!.changes).toEqual([
      { path: 'api.usagePlans[0].quota.limit', from: null, to: 15_000 },
      { path: 'api.usagePlans[0].quota.period', from: null, to: 'DAY' },
    ]);
    expect(doc.best!.perScenario[0].cohortSuccess.partner).toBe(1);
    expect(doc.best!.perScenario[0].cohortSuccess.thief).toBeCloseTo(15_000 / 36_000, 9);
    // the recommended stack file, parsed again and simulated without tune's code
    const again = parseStack(stackFileYaml(recommended, []));
    expect(again.api.usagePlans[0].quota).toEqual({ limit: 15_000, period: 'DAY', offset: 0 });
    const priced = priceVariant(simulate(scenario, again, { horizonSeconds: 3600, bucketSeconds: 3600 }), again, book, 3600);
    expect(priced.cohorts.thief.totals.quotaExceeded).toBe(21_000);
    expect(priced.bill.perHour).toBeCloseTo(doc.best!.perHour, 9);
    expect(priced.bill.perHour).toBeLessThan(doc.baseline.perHour * 0.6);
  });
});
