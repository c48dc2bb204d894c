import { describe, expect, it } from 'vitest';
import { parsePriceListItem } from '../../src/pricing/price-list-parse.ts';
import { loadPriceListFixture } from '../support/price-list-server.ts';
import { priceListItem, type ItemSpec } from './support/price-list-item.ts';

/*
 * One `PriceList` entry of a GetProducts answer: a JSON string (the SDK hands over String objects)
 * in the shape of the AWS Price List's product JSON — product.sku, product.attributes.usagetype,
 * terms.OnDemand.<offer>.priceDimensions.<rate> with beginRange, endRange ("Inf" when open), unit
 * and pricePerUnit.USD, all strings. Expected values are read off the items written here.
 */

type Raw = {
  serviceCode?: unknown;
  publicationDate?: unknown;
  product: { sku?: unknown; attributes: Record<string, unknown> };
  terms: { OnDemand: Record<string, { effectiveDate?: string; priceDimensions: Record<string, Record<string, unknown>> }> };
};

const GB_S: ItemSpec = {
  serviceCode: 'AWSLambda',
  usageType: 'EUW1-Lambda-GB-Second',
  sku: 'SKUX86X86X86X861',
  unit: 'Lambda-GB-Second',
  effectiveDate: '2026-10-01T00:00:00Z',
  tiers: [
    ['0', '6000000000', '0.0000166667'],
    ['6000000000', '15000000000', '0.0000150000'],
    ['15000000000', 'Inf', '0.0000133334'],
  ],
};
const raw = (spec: Partial<ItemSpec> = {}): Raw => priceListItem({ ...GB_S, ...spec }) as Raw;
const dims = (item: Raw) => Object.values(Object.values(item.terms.OnDemand)[0].priceDimensions);
const parse = (item: unknown) => parsePriceListItem(typeof item === 'string' ? item : JSON.stringify(item));
const refusal = (item: unknown) => {
  const r = parse(item);
  if (r.ok) throw new Error('expected a refusal');
  return r;
};

describe('a usable item', () => {
  it('gives its sku, usage type, service, unit, tiers in USD per unit and dates', () => {
    const r = parsePriceListItem(new String(JSON.stringify(raw())));
    // strictly: the open last tier has no "to" key at all (types.ts: "absent for the last tier")
    expect(r).toStrictEqual({
      ok: true,
      product: {
        sku: 'SKUX86X86X86X861',
        usageType: 'EUW1-Lambda-GB-Second',
        serviceCode: 'AWSLambda',
        unit: 'Lambda-GB-Second',
        tiers: [
          { from: 0, to: 6e9, price: 0.0000166667 },
          { from: 6e9, to: 15e9, price: 0.000015 },
          { from: 15e9, price: 0.0000133334 },
        ],
        effectiveDate: '2026-10-01T00:00:00Z',
        publicationDate: '2026-11-01T00:00:00Z',
      },
    });
  });

  it('reads every item of the us-east-1 fixture', () => {
    for (const [service, items] of Object.entries(loadPriceListFixture('us-east-1-changed.json'))) {
      for (const item of items) expect(parse(item).ok, `${service} ${JSON.stringify(item).slice(0, 80)}`).toBe(true);
    }
  });

  it('takes the service code from the product attributes when the item has none, and leaves it empty when neither has', () => {
    const item = raw();
    delete item.serviceCode;
    expect(parse(item)).toMatchObject({ ok: true, product: { serviceCode: 'AWSLambda' } });
    delete item.product.attributes.servicecode;
    expect(parse(item)).toMatchObject({ ok: true, product: { serviceCode: '' } });
  });

  it('a missing beginRange is 0 and a missing endRange is open-ended; a price of 0 is a price', () => {
    const item = raw({ tiers: [['0', 'Inf', '0.0000000000']] });
    delete dims(item)[0].beginRange;
    delete dims(item)[0].endRange;
    expect(parse(item)).toMatchObject({ ok: true, product: { tiers: [{ from: 0, price: 0 }] } });
  });

  it('leaves out dates the item does not give, and an empty unit when it is not a string', () => {
    const item = raw({ effectiveDate: undefined });
    delete item.publicationDate;
    dims(item)[0].unit = 7;
    const r = parse(item);
    expect(r.ok && r.product.unit).toBe('');
    expect(r.ok && 'effectiveDate' in r.product).toBe(false);
    expect(r.ok && 'publicationDate' in r.product).toBe(false);
  });

  it('around a price change (two on-demand offers) the latest effective one holds, whatever their order', () => {
    const item = raw();
    const [term] = Object.keys(item.terms.OnDemand);
    const older = structuredClone(item.terms.OnDemand[term]);
    older.effectiveDate = '2025-01-01T00:00:00Z';
    for (const d of Object.values(older.priceDimensions)) (d.pricePerUnit as { USD: string }).USD = '0.0000200000';
    const undated = structuredClone(older);
    delete undated.effectiveDate;
    item.terms.OnDemand = { 'OLD.A': older, [term]: item.terms.OnDemand[term], 'OLD.B': undated };
    const r = parse(item);
    expect(r.ok && r.product.tiers[0].price).toBe(0.0000166667);
    expect(r.ok && r.product.effectiveDate).toBe('2026-10-01T00:00:00Z');
    item.terms.OnDemand = { [term]: item.terms.OnDemand[term], 'OLD.A': older };
    expect(parse(item)).toMatchObject({ ok: true, product: { effectiveDate: '2026-10-01T00:00:00Z' } });
  });
});

describe('an item dowsim cannot use is refused with its name and the reason, never thrown', () => {
  it('not JSON: quotes its beginning, whitespace folded, cut at 60 characters', () => {
    const text = '{"product":   {"sku":\n"ABC", "attributes": {"usagetype": "Request"}}, "terms": {"OnDemand"';
    const r = refusal(text);
    // folded: '{"product": {"sku": "ABC", "attributes": {"usagetype": "Request"}}, …' — its first 60 characters
    expect(r.label).toBe('item "{"product": {"sku": "ABC", "attributes": {"usagetype": "Requ…"');
    expect(r.reason).toMatch(/^not valid JSON \(.+\)$/);
    expect(r.usageType).toBeUndefined();
    // 60 characters exactly: quoted whole
    const sixty = `"${'x'.repeat(57)}`;
    expect(sixty.length).toBe(58);
    expect(refusal(`${sixty}ab`).label).toBe(`item "${sixty}ab"`);
  });

  it('JSON that is not an object', () => {
    for (const text of ['[1, 2]', 'null', '42', '"a string"']) {
      expect(refusal(text)).toEqual({ ok: false, label: `item "${text}"`, reason: 'not a JSON object' });
    }
  });

  it('no sku or no usage type', () => {
    const noSku = raw();
    delete noSku.product.sku;
    expect(refusal(noSku)).toEqual({ ok: false, label: 'EUW1-Lambda-GB-Second (sku ?)', usageType: 'EUW1-Lambda-GB-Second', reason: 'product.sku or product.attributes.usagetype missing' });
    const noUsage = raw();
    delete noUsage.product.attributes.usagetype;
    expect(refusal(noUsage)).toMatchObject({ label: '(no usagetype) (sku SKUX86X86X86X861)', reason: 'product.sku or product.attributes.usagetype missing' });
    expect(refusal(noUsage).usageType).toBeUndefined();
    expect(refusal({ product: 'Lambda', terms: {} })).toMatchObject({ label: '(no usagetype) (sku ?)' });
    expect(refusal({ product: { sku: 'S', attributes: ['usagetype'] } })).toMatchObject({ label: '(no usagetype) (sku S)' });
    expect(refusal({ product: { sku: 42, attributes: { usagetype: 7 } } })).toMatchObject({ label: '(no usagetype) (sku ?)' });
  });

  it('no on-demand offer (a Savings Plan or reserved-only product)', () => {
    const label = 'EUW1-Lambda-GB-Second (sku SKUX86X86X86X861)';
    const item: Record<string, unknown> = { ...raw() };
    for (const terms of [undefined, {}, { OnDemand: {} }, { OnDemand: { a: 'x', b: null, c: [1] } }, { OnDemand: [] }, { Reserved: { x: {} } }, 'OnDemand']) {
      item.terms = terms;
      expect(refusal(item), JSON.stringify(terms)).toEqual({ ok: false, label, usageType: 'EUW1-Lambda-GB-Second', reason: 'no terms.OnDemand offer' });
    }
  });

  it('an offer without price dimensions', () => {
    const item = raw();
    const offer = Object.values(item.terms.OnDemand)[0] as { priceDimensions: unknown };
    for (const d of [undefined, {}, { r: 'x' }, 'dims']) {
      offer.priceDimensions = d;
      expect(refusal(item).reason, JSON.stringify(d)).toBe('no priceDimensions in the on-demand offer');
    }
  });

  it('a price that is not USD, not a number, empty or negative, naming the rate code', () => {
    const at = (pricePerUnit: unknown) => {
      const item = raw();
      dims(item)[1].pricePerUnit = pricePerUnit;
      return refusal(item).reason;
    };
    const rate = 'SKUX86X86X86X861.JRTCKXETXF.RATE1';
    expect(at({ CNY: '0.0001' })).toBe(`price dimension ${rate} has no usable pricePerUnit.USD (undefined)`);
    expect(at({ USD: 0.000015 })).toBe(`price dimension ${rate} has no usable pricePerUnit.USD (0.000015)`);
    expect(at({ USD: '' })).toBe(`price dimension ${rate} has no usable pricePerUnit.USD ("")`);
    expect(at({ USD: '  ' })).toBe(`price dimension ${rate} has no usable pricePerUnit.USD ("  ")`);
    expect(at({ USD: 'N/A' })).toBe(`price dimension ${rate} has no usable pricePerUnit.USD ("N/A")`);
    expect(at({ USD: 'Infinity' })).toBe(`price dimension ${rate} has no usable pricePerUnit.USD ("Infinity")`);
    expect(at({ USD: '-0.01' })).toBe(`price dimension ${rate} has no usable pricePerUnit.USD ("-0.01")`);
    expect(at('0.01')).toBe(`price dimension ${rate} has no usable pricePerUnit.USD (undefined)`);
    const noRate = raw();
    delete dims(noRate)[0].rateCode;
    dims(noRate)[0].pricePerUnit = {};
    expect(refusal(noRate).reason).toBe('price dimension ? has no usable pricePerUnit.USD (undefined)');
  });

  it('a range that is negative, not a number, or ends where it starts', () => {
    const at = (beginRange: unknown, endRange: unknown) => {
      const item = raw({ tiers: [['0', 'Inf', '1.0']] });
      Object.assign(dims(item)[0], { beginRange, endRange });
      const r = parse(item);
      return r.ok ? 'ok' : r.reason;
    };
    const rate = 'SKUX86X86X86X861.JRTCKXETXF.RATE0';
    expect(at('-1', 'Inf')).toBe(`price dimension ${rate} has an unusable range -1–Inf`);
    expect(at('zero', 'Inf')).toBe(`price dimension ${rate} has an unusable range zero–Inf`);
    expect(at('10', '10')).toBe(`price dimension ${rate} has an unusable range 10–10`);
    expect(at('10', '5')).toBe(`price dimension ${rate} has an unusable range 10–5`);
    expect(at('0', 'lots')).toBe(`price dimension ${rate} has an unusable range 0–lots`);
    expect(at('0', 'Infinity')).toBe(`price dimension ${rate} has an unusable range 0–Infinity`);
    const noRate = raw();
    delete dims(noRate)[0].rateCode;
    dims(noRate)[0].beginRange = '-1';
    expect(refusal(noRate).reason).toBe('price dimension ? has an unusable range -1–6000000000');
  });

  it('tiers that do not start at 0, leave a gap or overlap, or close the last tier', () => {
    expect(refusal(raw({ tiers: [['1000000', 'Inf', '0.1']] })).reason).toBe('the first tier starts at 1000000, not 0');
    expect(refusal(raw({ tiers: [['0', '6000000000', '0.1'], ['7000000000', 'Inf', '0.1']] })).reason).toBe('tiers are not contiguous at 6000000000 / 7000000000');
    expect(refusal(raw({ tiers: [['0', 'Inf', '0.1'], ['100', 'Inf', '0.1']] })).reason).toBe('tiers are not contiguous at Inf / 100');
    expect(refusal(raw({ tiers: [['0', '10240', '0.09']] })).reason).toBe('the last tier ends at 10240 instead of "Inf"');
    expect(refusal(raw({ tiers: [['0', '10240', '0.09'], ['10240', '51200', '0.085']] })).reason).toBe('the last tier ends at 51200 instead of "Inf"');
  });

  it('tiers come in range order whatever order the JSON object lists them in', () => {
    const item = raw();
    const offer = Object.values(item.terms.OnDemand)[0];
    offer.priceDimensions = Object.fromEntries(Object.entries(offer.priceDimensions).reverse());
    const r = parse(item);
    expect(r.ok && r.product.tiers.map((t) => t.from)).toEqual([0, 6e9, 15e9]);
    // and the unit is the first tier's
    dims(item)[0].unit = 'GB-Seconds'; // the last tier, listed first
    const r2 = parse(item);
    expect(r2.ok && r2.product.unit).toBe('Lambda-GB-Second');
  });
});
