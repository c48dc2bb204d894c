import { describe, expect, it } from 'vitest';
import { embeddedPriceBook } from '../../src/pricing/loader.ts';
import type { PriceBook } from '../../src/pricing/types.ts';
import { PRICE_KEYS, PRICE_UNITS, validatePriceBook } from '../../src/pricing/validate.ts';

/* What makes a (cached or refreshed) price book usable, and how each problem is named. */

const book = (): PriceBook => embeddedPriceBook('us-east-1');
const problems = (data: unknown): string[] => {
  const r = validatePriceBook(data);
  return r.ok ? [] : r.problems;
};

describe('validatePriceBook', () => {
  it('accepts the embedded books and hands back the same book', () => {
    for (const region of ['us-east-1', 'eu-west-1']) {
      const r = validatePriceBook(embeddedPriceBook(region));
      expect(r).toEqual({ ok: true, book: embeddedPriceBook(region) });
    }
  });

  it('quotes every price in the unit the bill expects', () => {
    expect(PRICE_UNITS).toEqual({
      apiGatewayRestRequest: 'request',
      apiGatewayHttpRequest: 'request',
      lambdaRequest: 'request',
      lambdaGbSecondX86: 'GB-second',
      lambdaGbSecondArm: 'GB-second',
      wafWebAcl: 'web ACL-month',
      wafRule: 'rule-month',
      wafRequest: 'request',
      logsIngestionGb: 'GB',
      dataTransferOutGb: 'GB',
      getMetricDataMetric: 'metric',
    });
    const b = book();
    b.prices.lambdaGbSecondX86.unit = 'Lambda-GB-Second';
    expect(problems(b)).toEqual(['prices.lambdaGbSecondX86.unit: expected "GB-second", got "Lambda-GB-Second"']);
  });

  it('keeps an open last tier written as "to": null, and the list of embedded fallbacks when there is one', () => {
    const raw = JSON.parse(JSON.stringify(book()));
    raw.prices.lambdaRequest.tiers[0].to = null;
    raw.embeddedFallbacks = ['wafRule'];
    const r = validatePriceBook(raw);
    expect(r.ok && r.book.prices.lambdaRequest.tiers).toStrictEqual([{ from: 0, price: 0.2 / 1e6 }]);
    // an open tier written without "to" stays without one (not "to": undefined)
    expect(r.ok && r.book.prices.wafRule.tiers).toStrictEqual([{ from: 0, price: 1 }]);
    expect(r.ok && r.book.embeddedFallbacks).toEqual(['wafRule']);
    const plain = validatePriceBook(book());
    expect(plain.ok && 'embeddedFallbacks' in plain.book).toBe(false);
  });

  it('names each tier problem by its place', () => {
    const b = book();
    b.prices.apiGatewayHttpRequest.tiers[0].from = 1; // must start at 0
    b.prices.lambdaGbSecondX86.tiers[1].from = 7e9; // gap after 6B
    b.prices.lambdaGbSecondArm.tiers[0] = { from: 0, price: 0.0000133334 }; // open-ended, yet not last
    b.prices.dataTransferOutGb.tiers[3].to = 200 * 1024; // the last tier closed
    b.prices.apiGatewayRestRequest.tiers[1].to = 333e6; // ends where it starts
    b.prices.apiGatewayRestRequest.tiers[2].from = 333e6;
    expect(problems(b)).toEqual([
      'prices.apiGatewayRestRequest.tiers[1].to: must be above "from"',
      'prices.apiGatewayHttpRequest.tiers[0].from: the first tier must start at 0',
      "prices.lambdaGbSecondX86.tiers[1].from: must equal the previous tier's \"to\" (6000000000)",
      'prices.lambdaGbSecondArm.tiers[0].to: only the last tier may be open-ended',
      'prices.dataTransferOutGb.tiers[3].to: the last tier must be open-ended',
    ]);
  });

  it('a tier ending below where it starts is refused too', () => {
    const b = book();
    b.prices.apiGatewayHttpRequest.tiers = [{ from: 0, to: 300e6, price: 1e-6 }, { from: 300e6, to: 100e6, price: 0.9e-6 }, { from: 100e6, price: 0.9e-6 }];
    expect(problems(b)).toEqual(['prices.apiGatewayHttpRequest.tiers[1].to: must be above "from"']);
  });

  it('refuses a first price more than 10× away from us-east-1’s, and not one exactly 10× away or free', () => {
    // wafWebAcl: $5.00 in us-east-1 → $50.00 and $0.50 are the bounds, both allowed
    const at = (price: number) => {
      const b = book();
      b.prices.wafWebAcl.tiers = [{ from: 0, price }];
      return problems(b);
    };
    expect(at(50)).toEqual([]);
    expect(at(0.5)).toEqual([]);
    expect(at(0)).toEqual([]); // a free price is no unit mistake
    expect(at(50.01)).toEqual(["prices.wafWebAcl.tiers[0].price: 50.01 USD per web ACL-month is more than 10× away from us-east-1's 5; a unit mistake?"]);
    expect(at(0.49)).toEqual(["prices.wafWebAcl.tiers[0].price: 0.49 USD per web ACL-month is more than 10× away from us-east-1's 5; a unit mistake?"]);
  });

  it('says the figures as a person writes them, not as floating point leaves them', () => {
    // the embedded Lambda request price is 0.2 / 1e6, which floating point holds as 2.0000000000000002e-7
    const b = book();
    b.prices.lambdaRequest.tiers = [{ from: 0, price: 0.2 }];
    expect(problems(b)).toEqual(["prices.lambdaRequest.tiers[0].price: 0.2 USD per request is more than 10× away from us-east-1's 2e-7; a unit mistake?"]);
  });

  it('names shape problems by their key path, every one of them', () => {
    const raw = JSON.parse(JSON.stringify(book()));
    delete raw.prices.wafRule;
    raw.prices.lambdaRequest.tiers[0].price = -1;
    raw.prices.wafRequest.tiers[0].from = -5;
    raw.prices.logsIngestionGb.tiers = [];
    raw.prices.getMetricDataMetric.source = '';
    raw.prices.wafWebAcl.unit = '';
    raw.prices.apiGatewayRestRequest.tiers[0].to = 0;
    raw.prices.dataTransferOutGb.asOf = 'last week';
    raw.asOf = '28/11/2026';
    raw.source = 'guess';
    raw.region = '';
    raw.embeddedFallbacks = 'wafRule';
    const paths = problems(raw).map((p) => p.slice(0, p.indexOf(':')));
    expect(paths.sort()).toEqual(
      [
        'region',
        'asOf',
        'source',
        'embeddedFallbacks',
        'prices.wafRule',
        'prices.lambdaRequest.tiers.0.price',
        'prices.wafRequest.tiers.0.from',
        'prices.logsIngestionGb.tiers',
        'prices.getMetricDataMetric.source',
        'prices.wafWebAcl.unit',
        'prices.apiGatewayRestRequest.tiers.0.to',
        'prices.dataTransferOutGb.asOf',
      ].sort(),
    );
    expect(problems(raw)).toContain('prices.dataTransferOutGb.asOf: expected an ISO date like "2026-11-28"');
    expect(problems(raw)).toContain('asOf: expected an ISO date like "2026-11-28"');
  });

  it('dates must begin with a whole ISO date (a time may follow)', () => {
    const at = (asOf: string) => {
      const b = book();
      b.asOf = asOf;
      b.prices.wafRule.asOf = asOf;
      return problems(b);
    };
    expect(at('2026-11-28T12:00:00Z')).toEqual([]);
    for (const asOf of ['on 2026-11-28', '2026-11-2', '26-11-28', '2026-1-28', '28.11.2026']) {
      expect(at(asOf), asOf).toEqual(['asOf: expected an ISO date like "2026-11-28"', 'prices.wafRule.asOf: expected an ISO date like "2026-11-28"']);
    }
  });

  it('something that is not a book at all is one problem at the root', () => {
    expect(problems([1, 2])).toEqual([expect.stringMatching(/^\(root\): /)]);
    expect(problems(null)).toHaveLength(1);
  });

  it('knows all 11 prices of the book', () => {
    expect(PRICE_KEYS).toEqual(Object.keys(book().prices));
  });
});
