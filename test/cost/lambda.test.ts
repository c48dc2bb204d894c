import { describe, expect, it } from 'vitest';
import { lambdaLines } from '../../src/cost/lambda.ts';
import { embeddedPriceBook } from '../../src/pricing/loader.ts';
import { MONTH, makeStack, totals } from './fixtures.ts';

const book = embeddedPriceBook('us-east-1');
const M = 1e6;
const B = 1e9;
const sum = (lines: { cost: number }[]) => lines.reduce((s, l) => s + l.cost, 0);

describe('Lambda bill', () => {
  it('bills invocations at $0.20/M and never the throttled ones', () => {
    // invoked 10M → $2.00; 5M lambdaThrottled add nothing
    const lines = lambdaLines({ totals: totals({ invoked: 10 * M, succeeded: 10 * M, lambdaThrottled: 5 * M }), stack: makeStack(), book, horizonSeconds: MONTH });
    const requests = lines.filter((l) => l.item === 'Lambda requests');
    expect(requests).toHaveLength(1);
    expect(requests[0].quantity).toBe(10 * M);
    expect(sum(lines)).toBeCloseTo(2, 12);
  });

  it('crosses the x86_64 6B GB-s tier in one month', () => {
    // 6B × 0.0000166667 = 100,000.20; 6.001B → + 1M × 0.000015 = 15.00 → 100,015.20
    const x86 = makeStack();
    const at = (gbSeconds: number) => lambdaLines({ totals: totals({ gbSeconds }), stack: x86, book, horizonSeconds: MONTH });
    expect(at(6 * B).filter((l) => l.cost > 0)).toHaveLength(1);
    expect(sum(at(6 * B))).toBeCloseTo(100000.2, 6);
    expect(at(6 * B + M).map((l) => l.item)).toContain('Lambda duration (x86_64), 6B–15B GB-s/month');
    expect(sum(at(6 * B + M))).toBeCloseTo(100015.2, 6);
  });

  it('prices arm64 with its own tiers, crossing at 7.5B GB-s', () => {
    // 7.5B × 0.0000133334 = 100,000.50; + 1M × 0.0000120001 = 12.0001 → 100,012.5001
    const arm = makeStack({}, { architecture: 'arm64' });
    const at = (gbSeconds: number) => lambdaLines({ totals: totals({ gbSeconds }), stack: arm, book, horizonSeconds: MONTH });
    expect(sum(at(7.5 * B))).toBeCloseTo(100000.5, 6);
    expect(sum(at(7.5 * B + M))).toBeCloseTo(100012.5001, 6);
    expect(at(7.5 * B + M).map((l) => l.item)).toContain('Lambda duration (arm64), 7.5B–18.75B GB-s/month');
  });

  it('takes 1M requests and 400,000 GB-s off each month when the free tier is on', () => {
    // 3M invocations, 1M GB-s in one month: (3M − 1M) × 0.20/M = 0.40; (1M − 400k) × 0.0000166667 = 10.00002
    const free = makeStack({ freeTier: true });
    const lines = lambdaLines({ totals: totals({ invoked: 3 * M, gbSeconds: 1 * M }), stack: free, book, horizonSeconds: MONTH });
    expect(lines.find((l) => l.item.startsWith('Lambda requests, free tier'))).toMatchObject({ quantity: 1 * M, cost: 0 });
    expect(lines.find((l) => l.item.includes('duration') && l.item.includes('free tier'))).toMatchObject({ quantity: 400_000, cost: 0 });
    expect(sum(lines)).toBeCloseTo(10.40002, 9);
  });

  it('gives a two-month horizon the free tier twice', () => {
    // 6M invocations and 2M GB-s over 1,460 h = 3M and 1M per month, each month as above: 2 × 10.40002 = 20.80004
    const free = makeStack({ freeTier: true });
    const lines = lambdaLines({ totals: totals({ invoked: 6 * M, gbSeconds: 2 * M }), stack: free, book, horizonSeconds: 2 * MONTH });
    expect(lines.find((l) => l.item.startsWith('Lambda requests, free tier'))!.quantity).toBeCloseTo(2 * M, 6);
    expect(sum(lines)).toBeCloseTo(20.80004, 9);
  });

  it('costs nothing while usage stays inside the free tier', () => {
    const free = makeStack({ freeTier: true });
    expect(sum(lambdaLines({ totals: totals({ invoked: 999_999, gbSeconds: 399_999 }), stack: free, book, horizonSeconds: MONTH }))).toBe(0);
  });
});
