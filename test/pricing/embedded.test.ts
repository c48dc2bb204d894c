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
