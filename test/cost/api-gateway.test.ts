import { describe, expect, it } from 'vitest';
import { apiGatewayLines } from '../../src/cost/api-gateway.ts';
import { billableUnits, httpApiBillableUnits } from '../../src/model/metering.ts';
import { billFor } from '../../src/cost/bill.ts';
import { embeddedPriceBook } from '../../src/pricing/loader.ts';
import { MONTH, makeStack, outcomeTotals, totals } from './fixtures.ts';

const book = embeddedPriceBook('us-east-1');
const M = 1e6;
const gateway = (lines: { service: string; cost: number }[]) =>
  lines.filter((l) => l.service === 'API Gateway').reduce((s, l) => s + l.cost, 0);

describe('API Gateway bill', () => {
  it('bills 333M REST requests in a month at exactly 333M × $3.50/M', () => {
    // 333M × 3.50/M = $1,165.50; a single line, no 333M–1B line
    const lines = apiGatewayLines({ totals: totals({ billedApiRequests: 333 * M }), stack: makeStack(), book, horizonSeconds: MONTH });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ service: 'API Gateway', item: 'REST requests, first 333M/month', quantity: 333 * M, unit: 'requests' });
    expect(lines[0].cost).toBeCloseTo(1165.5, 9);
  });

  it('bills the 334th million REST requests at $2.80/M', () => {
    // 1,165.50 + 1M × 2.80/M = 1,168.30, on a second line "333M–1B"
    const lines = apiGatewayLines({ totals: totals({ billedApiRequests: 334 * M }), stack: makeStack(), book, horizonSeconds: MONTH });
    expect(lines.map((l) => l.item)).toEqual(['REST requests, first 333M/month', 'REST requests, 333M–1B/month']);
    expect(lines[1].unitPrice).toBeCloseTo(2.8 / M, 15);
    expect(gateway(lines)).toBeCloseTo(1168.3, 9);
  });

  it('bills REST past 20B a month at $1.51/M', () => {
    // 20B: 1,165.50 + 1,867.60 + 45,220.00 = 48,253.10; 20B + 1M: + 1.51 = 48,254.61
    const at = (n: number) => apiGatewayLines({ totals: totals({ billedApiRequests: n }), stack: makeStack(), book, horizonSeconds: MONTH });
    expect(at(20e9)).toHaveLength(3);
    expect(gateway(at(20e9))).toBeCloseTo(48253.1, 6);
    expect(at(20e9 + M)).toHaveLength(4);
    expect(gateway(at(20e9 + M))).toBeCloseTo(48254.61, 6);
  });

  it('bills HTTP API requests at $1.00/M up to 300M and $0.90/M beyond', () => {
    // 300M → $300.00; 301M → 300.00 + 0.90 = $300.90
    const http = makeStack({}, {}, { kind: 'http', integrationTimeout: 30 });
    const at = (n: number) => apiGatewayLines({ totals: totals({ billedApiRequests: n }), stack: http, book, horizonSeconds: MONTH });
    expect(gateway(at(300 * M))).toBeCloseTo(300, 9);
    expect(at(300 * M)[0].item).toBe('HTTP API requests, first 300M/month');
    expect(gateway(at(301 * M))).toBeCloseTo(300.9, 9);
  });

  it('meters HTTP API requests in 512 KB increments', () => {
    // 512 KB = 524,288 bytes. 1.2 MB = 1,200,000 bytes → 2.29 → 3 units (aws-facts: "1.2 MB = 3 requests")
    expect(httpApiBillableUnits(1_200_000)).toBe(3);
    expect(httpApiBillableUnits(1.2 * 1024 * 1024)).toBe(3); // 1.2 MiB → 2.4 → 3
    expect(httpApiBillableUnits(524_288)).toBe(1); // exactly 512 KB is one request
    expect(httpApiBillableUnits(524_289)).toBe(2); // 513 KB-ish: two (stormit.cloud: "513 KB is metered as two requests")
    expect(httpApiBillableUnits(0)).toBe(1); // an empty request still counts once
    expect(httpApiBillableUnits(1000, 2_000_000)).toBe(1); // default: the response is not metered
    expect(httpApiBillableUnits(1000, 2_000_000, 'request+response')).toBe(4); // 2,001,000 / 524,288 → 3.82 → 4
  });

  it('never bills 429s, 403s or WAF blocks: a billion throttled requests cost nothing at API Gateway', () => {
    const t = totals({ offered: 1.3e9, gatewayThrottled: 1e9, quotaExceeded: 1e8, authRejected: 1e8, wafBlocked: 1e8, billedApiRequests: 0 });
    const bill = billFor(t, makeStack(), book, MONTH);
    expect(gateway(bill.lines)).toBe(0);
    expect(bill.lines.filter((l) => l.service === 'Lambda').reduce((s, l) => s + l.cost, 0)).toBe(0);
  });

  it('bills Lambda-throttled requests at API Gateway but not at Lambda', () => {
    // what a producer reports for 1M requests Lambda throttled (contract: they reached the
    // integration, so 1M billed units): API Gateway 1M × 3.50/M = $3.50; Lambda: 0 invocations,
    // 0 GB-s → $0. The totals are written out by hand, not derived by a helper.
    const t = totals({ offered: 1 * M, lambdaThrottled: 1 * M, billedApiRequests: 1 * M });
    const bill = billFor(t, makeStack(), book, MONTH);
    expect(gateway(bill.lines)).toBeCloseTo(3.5, 12);
    expect(bill.lines.filter((l) => l.service === 'Lambda').reduce((s, l) => s + l.cost, 0)).toBe(0);
  });

  it('prices billedApiRequests as given and never re-derives it from outcomes', () => {
    // 5M succeeded but 2M billed units reported (say, a producer that counted HTTP API units
    // differently): the gateway line prices the 2M → 2M × 3.50/M = $7.00
    const t = totals({ offered: 5 * M, succeeded: 5 * M, invoked: 5 * M, billedApiRequests: 2 * M });
    expect(gateway(apiGatewayLines({ totals: t, stack: makeStack(), book, horizonSeconds: MONTH }))).toBeCloseTo(7, 12);
  });

  it('counts billable units per API kind: REST 1 per request, HTTP per 512 KB, function URL none', () => {
    // a 1.2 MB request (1,200,000 bytes): REST 1, HTTP ceil(1,200,000 / 524,288) = 3, URL 0
    expect(billableUnits('rest', 1_200_000, 5_000_000)).toBe(1);
    expect(billableUnits('http', 1_200_000, 5_000_000)).toBe(3);
    expect(billableUnits('function-url', 1_200_000)).toBe(0);
    expect(billableUnits('http', 10)).toBe(1);
  });

  it('has no API Gateway line at all for a function URL', () => {
    const url = makeStack({}, { reservedConcurrency: 10 }, { kind: 'function-url' });
    const bill = billFor(outcomeTotals({ succeeded: 5 * M }), url, book, MONTH);
    expect(bill.lines.some((l) => l.service === 'API Gateway')).toBe(false);
    expect(bill.lines.some((l) => l.service === 'Lambda')).toBe(true);
  });
});

describe('API Gateway free tier', () => {
  // 1M REST + 1M HTTP calls a month, for 12 months, accounts created before 2025-07-15 (aws-facts.md)
  const rest = (freeTier: boolean, n: number, horizonSeconds = MONTH) =>
    apiGatewayLines({ totals: totals({ billedApiRequests: n }), stack: makeStack({ freeTier }), book, horizonSeconds });

  it("on: the month's first 1M REST requests are free", () => {
    // 3M in a month: 1M free + 2M × 3.50/M = $7.00
    const lines = rest(true, 3 * M);
    expect(gateway(lines)).toBeCloseTo(7, 12);
    expect(lines[0]).toMatchObject({ item: expect.stringContaining('free tier'), quantity: 1 * M, cost: 0, unitPrice: 0 });
    expect(lines[1]).toMatchObject({ item: 'REST requests, first 333M/month', quantity: 2 * M });
  });

  it('off: every request is paid', () => {
    // 3M × 3.50/M = $10.50, no free line
    const lines = rest(false, 3 * M);
    expect(gateway(lines)).toBeCloseTo(10.5, 12);
    expect(lines.some((l) => l.item.includes('free tier'))).toBe(false);
  });

  it('on, HTTP API: 3M requests cost 2M × $1.00/M', () => {
    const http = makeStack({ freeTier: true }, {}, { kind: 'http', integrationTimeout: 30 });
    const lines = apiGatewayLines({ totals: totals({ billedApiRequests: 3 * M }), stack: http, book, horizonSeconds: MONTH });
    expect(gateway(lines)).toBeCloseTo(2, 12);
  });

  it("a horizon shorter than a month is that month's only usage: 500k REST requests in 24 h are free", () => {
    expect(gateway(rest(true, 500_000, 24 * 3600))).toBe(0);
    expect(gateway(rest(false, 500_000, 24 * 3600))).toBeCloseTo(1.75, 12); // 0.5M × 3.50/M
  });
});

describe('fractional months: tiers and free tier are monthly', () => {
  const at = (n: number, months: number, freeTier = false) =>
    apiGatewayLines({ totals: totals({ billedApiRequests: n }), stack: makeStack({ freeTier }), book, horizonSeconds: months * MONTH });

  it('a 1.5-month horizon gets the free tier 1.5 times, not twice', () => {
    // 3M over 1.5 months = 2M a month: 1M free + 1M paid a month → 1.5M paid × 3.50/M = $5.25
    // (as 2 months: 1.5M a month, 2M free, 1M paid → $3.50)
    const lines = at(3 * M, 1.5, true);
    expect(gateway(lines)).toBeCloseTo(5.25, 12);
    expect(lines[0].quantity).toBeCloseTo(1.5 * M, 6);
    expect(lines[1].quantity).toBeCloseTo(1.5 * M, 6);
  });

  it('a 1.5-month horizon crosses the 333M tier where 2 months would not', () => {
    // 600M over 1.5 months = 400M a month: 333M × 3.50/M + 67M × 2.80/M = 1,165.50 + 187.60
    // = $1,353.10 a month → × 1.5 = $2,029.65 (as 2 months: 300M a month × 3.50/M × 2 = $2,100.00)
    const lines = at(600 * M, 1.5);
    expect(gateway(lines)).toBeCloseTo(2029.65, 6);
    expect(lines.map((l) => l.quantity)).toEqual([expect.closeTo(499.5 * M, 0), expect.closeTo(100.5 * M, 0)]);
  });

  it('zero requests still show one zero line priced at the first tier', () => {
    expect(at(0, 1)).toEqual([{ service: 'API Gateway', item: 'REST requests', quantity: 0, unit: 'requests', unitPrice: 3.5e-6, cost: 0 }]);
  });
});
