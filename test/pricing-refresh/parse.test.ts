import { describe, expect, it } from 'vitest';
import { parsePriceListItem } from '../../src/pricing/price-list-parse.ts';
import { loadPriceListFixture } from '../support/price-list-server.ts';

const items = loadPriceListFixture('us-east-1-changed.json');
const find = (service: string, usageType: string) =>
  items[service].find((i) => typeof i === 'object' && (i as { product: { attributes: { usagetype: string } } }).product.attributes.usagetype === usageType)!;

// matchesUsageType's cases: test/pricing/price-list-products.test.ts
describe('Price List items (JSON strings, as GetProducts returns them)', () => {
  it('reads tiers from beginRange/endRange, "Inf" open-ended, USD per unit', () => {
    const parsed = parsePriceListItem(new String(JSON.stringify(find('AmazonApiGateway', 'USE1-ApiGatewayRequest'))));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.product.tiers).toEqual([
      { from: 0, to: 333e6, price: 4e-6 },
      { from: 333e6, to: 1e9, price: 3.2e-6 },
      { from: 1e9, to: 20e9, price: 2.72e-6 },
      { from: 20e9, price: 1.72e-6 },
    ]);
    expect(parsed.product.unit).toBe('Requests');
    expect(parsed.product.effectiveDate).toBe('2026-11-01T00:00:00Z');
  });

  it('sorts price dimensions by range whatever order the JSON object has them in', () => {
    const item = structuredClone(find('AWSLambda', 'Lambda-GB-Second')) as { terms: { OnDemand: Record<string, { priceDimensions: Record<string, unknown> }> } };
    const offer = Object.values(item.terms.OnDemand)[0];
    offer.priceDimensions = Object.fromEntries(Object.entries(offer.priceDimensions).reverse());
    const parsed = parsePriceListItem(JSON.stringify(item));
    expect(parsed.ok && parsed.product.tiers.map((t) => t.from)).toEqual([0, 6e9, 15e9]);
  });

  it('a truncated item is refused with its beginning quoted, not thrown', () => {
    const parsed = parsePriceListItem(JSON.stringify(find('AWSLambda', 'Request')).slice(0, 100));
    expect(parsed).toMatchObject({ ok: false, reason: expect.stringMatching(/^not valid JSON/), label: expect.stringMatching(/^item "\{"product"/) });
  });

  it('an item without a USD price names its usage type, sku and the dimension at fault', () => {
    const item = structuredClone(find('AWSLambda', 'Request')) as { terms: { OnDemand: Record<string, { priceDimensions: Record<string, { pricePerUnit: object }> }> } };
    Object.values(Object.values(item.terms.OnDemand)[0].priceDimensions)[0].pricePerUnit = { CNY: '1.3' };
    const parsed = parsePriceListItem(JSON.stringify(item));
    expect(parsed).toMatchObject({ ok: false, usageType: 'Request', label: expect.stringMatching(/^Request \(sku [A-Z0-9]{16}\)$/), reason: expect.stringMatching(/no usable pricePerUnit\.USD/) });
  });

  it('tiers with a gap are refused', () => {
    const item = structuredClone(find('AWSLambda', 'Lambda-GB-Second')) as { terms: { OnDemand: Record<string, { priceDimensions: Record<string, { beginRange: string }> }> } };
    Object.values(Object.values(item.terms.OnDemand)[0].priceDimensions)[1].beginRange = '7000000000';
    const parsed = parsePriceListItem(JSON.stringify(item));
    expect(parsed).toMatchObject({ ok: false, reason: expect.stringMatching(/not contiguous/) });
  });
});
