import { describe, expect, it } from 'vitest';
import { embeddedPriceBook, tieredCost, tierLabel } from '../../src/pricing/loader.ts';

const book = embeddedPriceBook('us-east-1');
const rest = book.prices.apiGatewayRestRequest;
const http = book.prices.apiGatewayHttpRequest;
const x86 = book.prices.lambdaGbSecondX86;
const arm = book.prices.lambdaGbSecondArm;
const M = 1e6;
const B = 1e9;

describe('tieredCost (one month of usage)', () => {
  it('prices exactly 333M REST requests entirely in the first tier', () => {
    // 333M × $3.50/M = $1,165.50, one line, nothing in the 333M–1B tier
    const r = tieredCost(rest, 333 * M);
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0].tierLabel).toBe('first 333M');
    expect(r.cost).toBeCloseTo(1165.5, 9);
  });

  it('prices the 334th million REST requests at the second tier', () => {
    // 333M × 3.50/M + 1M × 2.80/M = 1,165.50 + 2.80 = 1,168.30
    const r = tieredCost(rest, 334 * M);
    expect(r.lines.map((l) => l.tierLabel)).toEqual(['first 333M', '333M–1B']);
    expect(r.lines[1].quantity).toBeCloseTo(1 * M, 3);
    expect(r.lines[1].cost).toBeCloseTo(2.8, 9);
    expect(r.cost).toBeCloseTo(1168.3, 9);
  });

  it('stops the third REST tier at 20B and prices the rest at $1.51/M (infracost golden: $49,763.10 for 21B)', () => {
    // 20B: 1,165.50 + 667 × 2.80 (1,867.60) + 19,000 × 2.38 (45,220.00) = 48,253.10, three lines
    const at20 = tieredCost(rest, 20 * B);
    expect(at20.lines.map((l) => l.tierLabel)).toEqual(['first 333M', '333M–1B', '1B–20B']);
    expect(at20.cost).toBeCloseTo(48253.1, 6);
    // 21B: + 1,000 × 1.51 = 1,510.00 → 49,763.10 (infracost testdata api_gateway_rest_api_test.golden)
    const at21 = tieredCost(rest, 21 * B);
    expect(at21.lines.map((l) => l.tierLabel)).toEqual(['first 333M', '333M–1B', '1B–20B', 'over 20B']);
    expect(at21.lines[3].cost).toBeCloseTo(1510, 6);
    expect(at21.cost).toBeCloseTo(49763.1, 6);
  });

  it('switches HTTP API requests to $0.90/M after 300M', () => {
    // 300M × 1.00/M = 300.00; 301M → 300.00 + 0.90 = 300.90
    expect(tieredCost(http, 300 * M).cost).toBeCloseTo(300, 9);
    expect(tieredCost(http, 300 * M).lines).toHaveLength(1);
    expect(tieredCost(http, 301 * M).cost).toBeCloseTo(300.9, 9);
    expect(tieredCost(http, 301 * M).lines[1].tierLabel).toBe('over 300M');
  });

  it('bills x86_64 GB-seconds past 6B at $0.000015', () => {
    // 6B × 0.0000166667 = 100,000.20 (infracost golden "Duration (first 6B)"); +1M GB-s × 0.000015 = 15.00
    expect(tieredCost(x86, 6 * B).cost).toBeCloseTo(100000.2, 6);
    const over = tieredCost(x86, 6 * B + 1 * M);
    expect(over.lines.map((l) => l.tierLabel)).toEqual(['first 6B GB-s', '6B–15B GB-s']);
    expect(over.cost).toBeCloseTo(100015.2, 6);
  });

  it('bills arm64 GB-seconds past 7.5B at $0.0000120001', () => {
    // 7.5B × 0.0000133334 = 100,000.50; +1M GB-s × 0.0000120001 = 12.0001
    expect(tieredCost(arm, 7.5 * B).cost).toBeCloseTo(100000.5, 6);
    const over = tieredCost(arm, 7.5 * B + 1 * M);
    expect(over.lines.map((l) => l.tierLabel)).toEqual(['first 7.5B GB-s', '7.5B–18.75B GB-s']);
    expect(over.cost).toBeCloseTo(100012.5001, 6);
  });

  it('starts usage above units already used in the month (a free tier)', () => {
    // 1M units already used; 333M more: 332M in tier 1 (1,162.00) + 1M in tier 2 (2.80) = 1,164.80
    const r = tieredCost(rest, 333 * M, 1 * M);
    expect(r.lines.map((l) => l.quantity)).toEqual([332 * M, 1 * M]);
    expect(r.cost).toBeCloseTo(1164.8, 9);
  });

  it('gives no lines for no usage and labels single-tier prices with no tier', () => {
    expect(tieredCost(rest, 0)).toEqual({ cost: 0, lines: [] });
    expect(tieredCost(book.prices.lambdaRequest, 5 * M).lines[0].tierLabel).toBe('');
    expect(tieredCost(book.prices.dataTransferOutGb, 20000).lines.map((l) => l.tierLabel)).toEqual(['first 10 TB', '10 TB–50 TB']);
  });
});

describe('tier labels: amounts as a bill reads them', () => {
  const price = (unit: string, bounds: number[]) => ({
    unit,
    source: 'test',
    asOf: '2026-11-30',
    tiers: bounds.map((from, i) => (i + 1 < bounds.length ? { from, to: bounds[i + 1], price: 1 } : { from, price: 1 })),
  });
  const labels = (p: ReturnType<typeof price>) => p.tiers.map((_, i) => tierLabel(p, i));

  it('counts in K, M and B, a thousand being 1K and a million 1M', () => {
    expect(labels(price('metric', [0, 500, 1000, 999_999, 1e6, 2.5e9]))).toEqual(['first 500', '500–1K', '1K–999.999K', '999.999K–1M', '1M–2.5B', 'over 2.5B']);
    expect(labels(price('request', [0, 999, 1e9]))).toEqual(['first 999', '999–1B', 'over 1B']);
  });

  it('gives GB tiers in TB from 1,024 GB on (the Price List’s TB is 1,024 GB), GB below', () => {
    expect(labels(price('GB', [0, 512, 1024, 10 * 1024, 1536 * 1024]))).toEqual(['first 512 GB', '512 GB–1 TB', '1 TB–10 TB', '10 TB–1536 TB', 'over 1536 TB']);
    expect(labels(price('GB', [0, 1023]))).toEqual(['first 1023 GB', 'over 1023 GB']);
  });

  it('marks GB-second tiers, rounds to three decimals, and leaves a single tier unlabelled', () => {
    expect(labels(price('GB-second', [0, 7.5e9]))).toEqual(['first 7.5B GB-s', 'over 7.5B GB-s']);
    expect(labels(price('request', [0, 1234567]))).toEqual(['first 1.235M', 'over 1.235M']);
    expect(labels(price('request', [0]))).toEqual(['']);
  });

  it('prices nothing below zero: negative usage or negative units already used count as none', () => {
    // 2M REST requests with "-5M already used" are the first 2M: 2 × 3.50 = 7.00
    expect(tieredCost(rest, 2 * M, -5 * M).cost).toBeCloseTo(7, 9);
    expect(tieredCost(rest, -1 * M)).toEqual({ cost: 0, lines: [] });
  });
});
