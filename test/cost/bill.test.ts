import { describe, expect, it } from 'vitest';
import { billFor } from '../../src/cost/bill.ts';
import { embeddedPriceBook } from '../../src/pricing/loader.ts';
import { HOUR, MONTH, makeStack, outcomeTotals } from './fixtures.ts';

const book = embeddedPriceBook('us-east-1');
const M = 1e6;

describe('billFor', () => {
  it('adds up a hand-computed 24 h bill of a WAF-protected REST API', () => {
    // 10M offered: 2M WAF-blocked, 3M throttled (429), 1M Lambda-throttled, 4M succeeded.
    // 512 MB × 128 ms = 0.064 GB-s per invocation → 256,000 GB-s; 2,048 B out per success; 300 log B per invocation.
    const stack = makeStack({ waf: { rules: 1 } });
    const t = outcomeTotals({ wafBlocked: 2 * M, gatewayThrottled: 3 * M, lambdaThrottled: 1 * M, succeeded: 4 * M }, { gbSecondsPerInvocation: 0.064, bytesPerResponse: 2048 });
    const bill = billFor(t, stack, book, 24 * HOUR);
    // WAF ACL     24/730 × 5                         = 0.164383562
    // WAF rule    24/730 × 1                         = 0.032876712
    // WAF reqs    10M × 0.60/M                       = 6.000000000
    // REST        5M billed × 3.50/M                 = 17.500000000
    // Lambda req  4M × 0.20/M                        = 0.800000000
    // Duration    256,000 × 0.0000166667             = 4.266675200
    // Logs        4M × 300 B / 2^30 × 0.50           = 0.558793545
    // Transfer    4M × 2,048 B / 2^30 × 0.09         = 0.686645508
    // Total                                          = 30.009374527; per hour ÷ 24 = 1.250390605
    expect(bill.currency).toBe('USD');
    expect(bill.total).toBeCloseTo(30.009374527, 8);
    expect(bill.perHour).toBeCloseTo(1.250390605, 8);
    expect(bill.total).toBe(bill.lines.reduce((s, l) => s + l.cost, 0));
    expect(bill.lines.map((l) => l.service)).toEqual(['WAF', 'WAF', 'WAF', 'API Gateway', 'Lambda', 'Lambda', 'CloudWatch Logs', 'Data transfer']);
  });

  it('prices a horizon of a month or less as that month\'s only usage', () => {
    // 333M + 1M requests in 24 h: still crosses into the 333M–1B tier (no other usage that month)
    const bill = billFor(outcomeTotals({ gatewayThrottled: 0 }, {}), makeStack(), book, 24 * HOUR);
    expect(bill.total).toBe(0);
    const t = { ...outcomeTotals({}), billedApiRequests: 334 * M };
    expect(billFor(t, makeStack(), book, 24 * HOUR).total).toBeCloseTo(1168.3, 9);
  });

  it('prices each month of a longer horizon with its own tiers', () => {
    // 666M REST requests over 2 months = 333M a month, all in the first tier: 2 × 1,165.50 = 2,331.00
    const t = { ...outcomeTotals({}), billedApiRequests: 666 * M };
    const bill = billFor(t, makeStack(), book, 2 * MONTH);
    expect(bill.lines.filter((l) => l.service === 'API Gateway')).toHaveLength(1);
    expect(bill.total).toBeCloseTo(2331, 9);
    // and per hour over 1,460 h
    expect(bill.perHour).toBeCloseTo(2331 / 1460, 12);
  });

  it('bills a 60-month horizon at 60 × the one-month bill', () => {
    // one month crossing tiers everywhere: 500M REST, 5B invocations at 1.5 GB-s each (7.5B GB-s), WAF
    const stack = makeStack({ waf: { rules: 3 }, freeTier: true }, { architecture: 'x86_64' });
    const month = outcomeTotals({ succeeded: 5e9, gatewayThrottled: 1e9 }, { gbSecondsPerInvocation: 1.5, bytesPerResponse: 4096 });
    month.billedApiRequests = 500 * M;
    const sixty = { ...month };
    for (const k of ['offered', 'succeeded', 'gatewayThrottled', 'invoked', 'billedApiRequests', 'gbSeconds', 'bytesOut'] as const) sixty[k] = month[k] * 60;
    const one = billFor(month, stack, book, MONTH);
    const many = billFor(sixty, stack, book, 60 * MONTH);
    expect(many.total / one.total).toBeCloseTo(60, 9);
    expect(many.perHour).toBeCloseTo(one.perHour, 9);
    expect(many.lines.map((l) => l.item)).toEqual(one.lines.map((l) => l.item));
  });

  it('keeps money unrounded', () => {
    // 1 request: 3.5e-6 (REST) + 2e-7 (Lambda) — far below a cent, still there
    const bill = billFor(outcomeTotals({ succeeded: 1 }), makeStack({}, { logBytesPerInvocation: 0 }), book, HOUR);
    expect(bill.total).toBeCloseTo(3.7e-6, 15);
  });
});
