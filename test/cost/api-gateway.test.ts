import { describe, expect, it } from 'vitest';
import { apiGatewayLines, httpApiBillableUnits } from '../../src/cost/api-gateway.ts';
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
    // 1M lambdaThrottled: API Gateway 1M × 3.50/M = $3.50; Lambda: 0 requests, 0 GB-s → $0
    const t = outcomeTotals({ lambdaThrottled: 1 * M });
    expect(t.billedApiRequests).toBe(1 * M);
    const bill = billFor(t, makeStack(), book, MONTH);
    expect(gateway(bill.lines)).toBeCloseTo(3.5, 12);
    expect(bill.lines.filter((l) => l.service === 'Lambda').reduce((s, l) => s + l.cost, 0)).toBe(0);
  });

  it('has no API Gateway line at all for a function URL', () => {
    const url = makeStack({}, { reservedConcurrency: 10 }, { kind: 'function-url' });
    const bill = billFor(outcomeTotals({ succeeded: 5 * M }), url, book, MONTH);
    expect(bill.lines.some((l) => l.service === 'API Gateway')).toBe(false);
    expect(bill.lines.some((l) => l.service === 'Lambda')).toBe(true);
  });
});
