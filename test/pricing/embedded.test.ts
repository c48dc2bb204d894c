import { describe, expect, it } from 'vitest';
import { EMBEDDED_BOOKS } from '../../src/pricing/embedded.ts';
import { embeddedPriceBook } from '../../src/pricing/loader.ts';
import { PRICE_KEYS, validatePriceBook } from '../../src/pricing/validate.ts';

const M = 1e6;

describe('embedded price books', () => {
  it('carry every us-east-1 figure of aws-facts.md', () => {
    const p = embeddedPriceBook('us-east-1').prices;
    const per = (price: { tiers: { from: number; to?: number; price: number }[] }) => price.tiers.map((t) => [t.from, t.to, t.price]);
    expect(per(p.apiGatewayRestRequest)).toEqual([
      [0, 333 * M, 3.5 / M],
      [333 * M, 1000 * M, 2.8 / M],
      [1000 * M, 20000 * M, 2.38 / M],
      [20000 * M, undefined, 1.51 / M],
    ]);
    expect(per(p.apiGatewayHttpRequest)).toEqual([
      [0, 300 * M, 1 / M],
      [300 * M, undefined, 0.9 / M],
    ]);
    expect(per(p.lambdaRequest)).toEqual([[0, undefined, 0.2 / M]]);
    expect(per(p.lambdaGbSecondX86)).toEqual([
      [0, 6e9, 0.0000166667],
      [6e9, 15e9, 0.000015],
      [15e9, undefined, 0.0000133334],
    ]);
    expect(per(p.lambdaGbSecondArm)).toEqual([
      [0, 7.5e9, 0.0000133334],
      [7.5e9, 18.75e9, 0.0000120001],
      [18.75e9, undefined, 0.0000106667],
    ]);
    expect(p.wafWebAcl.tiers[0].price).toBe(5);
    expect(p.wafRule.tiers[0].price).toBe(1);
    expect(p.wafRequest.tiers[0].price).toBe(0.6 / M);
    expect(p.logsIngestionGb.tiers[0].price).toBe(0.5);
    expect(p.dataTransferOutGb.tiers[0]).toEqual({ from: 0, to: 10240, price: 0.09 });
    expect(p.getMetricDataMetric.tiers[0].price).toBe(0.01 / 1000);
  });

  it('give every price a source and an ISO date, and date each book by its oldest price', () => {
    for (const book of Object.values(EMBEDDED_BOOKS)) {
      for (const key of PRICE_KEYS) {
        expect(book.prices[key].source.length, `${book.region} ${key}`).toBeGreaterThan(20);
        expect(book.prices[key].asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }
      const oldest = PRICE_KEYS.map((k) => book.prices[k].asOf).sort()[0];
      expect(book.asOf).toBe(oldest);
      expect(book.source).toBe('embedded');
      expect(validatePriceBook(book)).toMatchObject({ ok: true });
    }
  });

  it('say where eu-west-1 borrows us-east-1 figures', () => {
    const eu = embeddedPriceBook('eu-west-1').prices;
    expect(eu.apiGatewayHttpRequest.tiers[0].price).toBeCloseTo(1.11 / M, 15);
    expect(eu.apiGatewayRestRequest.tiers[1].price).toBeCloseTo(3.19 / M, 15);
    for (const key of ['wafWebAcl', 'wafRule', 'wafRequest', 'getMetricDataMetric'] as const) {
      expect(eu[key].source).toMatch(/^us-east-1 prices used for eu-west-1/);
    }
    expect(eu.lambdaGbSecondX86.source).not.toMatch(/^us-east-1 prices used/);
  });

  it('price a Region without its own figures at us-east-1 prices, never silently', () => {
    const book = embeddedPriceBook('ap-southeast-5');
    expect(book.region).toBe('ap-southeast-5');
    for (const key of PRICE_KEYS) {
      expect(book.prices[key].source).toMatch(/^us-east-1 prices used for ap-southeast-5/);
      expect(book.prices[key].tiers).toEqual(EMBEDDED_BOOKS['us-east-1'].prices[key].tiers);
    }
  });

  it('hand out copies that callers may change', () => {
    const a = embeddedPriceBook('us-east-1');
    a.prices.lambdaRequest.tiers[0].price = 99;
    expect(embeddedPriceBook('us-east-1').prices.lambdaRequest.tiers[0].price).toBe(0.2 / M);
  });
});

describe('embedded price books, figure by figure', () => {
  it('carry the eu-west-1 figures of the Price List transcriptions', () => {
    // EU-ApiGatewayRequest $3.50, $3.19, $2.71, $1.72 per million; EU-ApiGatewayHttpRequest $1.11, $1.00; logs $0.57/GB
    const eu = EMBEDDED_BOOKS['eu-west-1'].prices;
    const per = (p: { tiers: { from: number; to?: number; price: number }[] }) => p.tiers.map((t) => [t.from, t.to, +(t.price * M).toFixed(6)]);
    expect(per(eu.apiGatewayRestRequest)).toEqual([
      [0, 333 * M, 3.5],
      [333 * M, 1000 * M, 3.19],
      [1000 * M, 20000 * M, 2.71],
      [20000 * M, undefined, 1.72],
    ]);
    expect(per(eu.apiGatewayHttpRequest)).toEqual([
      [0, 300 * M, 1.11],
      [300 * M, undefined, 1],
    ]);
    expect(eu.logsIngestionGb.tiers).toEqual([{ from: 0, price: 0.57 }]);
    expect(eu.lambdaRequest.tiers).toEqual([{ from: 0, price: 0.2 / M }]);
    expect(eu.dataTransferOutGb.tiers).toEqual(EMBEDDED_BOOKS['us-east-1'].prices.dataTransferOutGb.tiers);
    expect(EMBEDDED_BOOKS['eu-west-1'].asOf).toBe('2026-09-16');
    expect(EMBEDDED_BOOKS['us-east-1'].asOf).toBe('2026-11-28');
  });

  it('state in each source every figure they give, and where it can be checked', () => {
    // a figure changed without its citation (or the other way round) is a price nobody can check
    const said = (unit: string, price: number) => {
      const n = unit === 'request' ? price * M : unit === 'metric' ? price * 1000 : price;
      const rounded = +n.toFixed(10);
      return `$${Number.isInteger(rounded * 100) ? rounded.toFixed(2) : String(rounded)}`;
    };
    for (const book of Object.values(EMBEDDED_BOOKS)) {
      for (const key of PRICE_KEYS) {
        const p = book.prices[key];
        const where = `${book.region} ${key}`;
        expect(p.source, where).toMatch(/aws\.amazon\.com|AWS Price List|AWS Compute Blog|aws-facts\.md/);
        const borrowedAbove = p.source.includes('Tiers above') && p.source.includes('us-east-1 prices used');
        p.tiers.forEach((t, i) => {
          if (i > 0 && borrowedAbove) return;
          expect(p.source, `${where} tier ${i}`).toContain(said(p.unit, t.price));
        });
      }
    }
  });

  it('borrowed figures are copies: changing eu-west-1’s cannot change us-east-1’s', () => {
    const us = EMBEDDED_BOOKS['us-east-1'].prices;
    const eu = EMBEDDED_BOOKS['eu-west-1'].prices;
    expect(eu.wafRule.tiers).toEqual(us.wafRule.tiers);
    expect(eu.wafRule.tiers).not.toBe(us.wafRule.tiers);
    expect(eu.wafRule.tiers[0]).not.toBe(us.wafRule.tiers[0]);
    expect(eu.dataTransferOutGb.tiers[0]).not.toBe(us.dataTransferOutGb.tiers[0]);
    expect(eu.wafRule.unit).toBe('rule-month');
    expect(eu.getMetricDataMetric.asOf).toBe(us.getMetricDataMetric.asOf);
  });
});
