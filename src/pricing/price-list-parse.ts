import type { Tier } from './types.ts';

/** The part of a Price List product dowsim uses: who it is, and its on-demand tiers. */
export interface PriceListProduct {
  sku: string;
  usageType: string;
  serviceCode: string;
  /** Unit as the Price List writes it ('Requests', 'Lambda-GB-Second', 'GB', …). */
  unit: string;
  tiers: Tier[];
  effectiveDate?: string;
  publicationDate?: string;
}

export type ParsedItem =
  | { ok: true; product: PriceListProduct }
  /** `usageType` is known when the item parsed far enough to say what it was. */
  | { ok: false; label: string; usageType?: string; reason: string };

type Json = Record<string, unknown>;
const isObj = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * Reads one `PriceList` entry of a GetProducts answer. The SDK hands them over as String objects
 * holding JSON (aws-facts.md), hence `JSON.parse(String(item))`. Tiers come from the on-demand
 * price dimensions' `beginRange`/`endRange` ("Inf" = open-ended), USD per unit.
 */
export function parsePriceListItem(item: unknown): ParsedItem {
  const text = String(item);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { ok: false, label: preview(text), reason: `not valid JSON (${(err as Error).message})` };
  }
  if (!isObj(data)) return { ok: false, label: preview(text), reason: 'not a JSON object' };
  const product = isObj(data.product) ? data.product : undefined;
  const attributes = product && isObj(product.attributes) ? product.attributes : undefined;
  const sku = typeof product?.sku === 'string' ? product.sku : undefined;
  const usageType = typeof attributes?.usagetype === 'string' ? attributes.usagetype : undefined;
  const label = `${usageType ?? '(no usagetype)'} (sku ${sku ?? '?'})`;
  const fail = (reason: string): ParsedItem => ({ ok: false, label, usageType, reason });
  if (!sku || !usageType) return fail('product.sku or product.attributes.usagetype missing');
  const serviceCode = typeof data.serviceCode === 'string' ? data.serviceCode : String(attributes?.servicecode ?? '');

  const terms = isObj(data.terms) ? data.terms : undefined;
  const onDemand = terms && isObj(terms.OnDemand) ? terms.OnDemand : undefined;
  const offers = onDemand ? Object.values(onDemand).filter(isObj) : [];
  if (offers.length === 0) return fail('no terms.OnDemand offer');
  // Several on-demand offers only happen around a price change: the latest effective one holds.
  offers.sort((a, b) => String(b.effectiveDate ?? '').localeCompare(String(a.effectiveDate ?? '')));
  const offer = offers[0];
  const dims = isObj(offer.priceDimensions) ? Object.values(offer.priceDimensions).filter(isObj) : [];
  if (dims.length === 0) return fail('no priceDimensions in the on-demand offer');

  const tiers: (Tier & { unit: string })[] = [];
  for (const d of dims) {
    const usd = isObj(d.pricePerUnit) ? d.pricePerUnit.USD : undefined;
    const price = Number(usd);
    if (typeof usd !== 'string' || usd.trim() === '' || !Number.isFinite(price) || price < 0) {
      return fail(`price dimension ${String(d.rateCode ?? '?')} has no usable pricePerUnit.USD (${JSON.stringify(usd)})`);
    }
    const from = d.beginRange === undefined ? 0 : Number(d.beginRange);
    const endRaw = d.endRange === undefined ? 'Inf' : String(d.endRange);
    const to = endRaw === 'Inf' ? undefined : Number(endRaw);
    if (!Number.isFinite(from) || from < 0 || (to !== undefined && !(Number.isFinite(to) && to > from))) {
      return fail(`price dimension ${String(d.rateCode ?? '?')} has an unusable range ${String(d.beginRange)}–${endRaw}`);
    }
    tiers.push({ from, ...(to === undefined ? {} : { to }), price, unit: typeof d.unit === 'string' ? d.unit : '' });
  }
  tiers.sort((a, b) => a.from - b.from);
  if (tiers[0].from !== 0) return fail(`the first tier starts at ${tiers[0].from}, not 0`);
  for (let i = 0; i < tiers.length; i++) {
    const next = tiers[i + 1];
    if (next && tiers[i].to !== next.from) return fail(`tiers are not contiguous at ${tiers[i].to ?? 'Inf'} / ${next.from}`);
    if (!next && tiers[i].to !== undefined) return fail(`the last tier ends at ${tiers[i].to} instead of "Inf"`);
  }
  return {
    ok: true,
    product: {
      sku,
      usageType,
      serviceCode,
      unit: tiers[0].unit,
      tiers: tiers.map(({ from, to, price }) => (to === undefined ? { from, price } : { from, to, price })),
      ...(typeof offer.effectiveDate === 'string' ? { effectiveDate: offer.effectiveDate } : {}),
      ...(typeof data.publicationDate === 'string' ? { publicationDate: data.publicationDate } : {}),
    },
  };
}

function preview(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return `item "${flat.length > 60 ? `${flat.slice(0, 60)}…` : flat}"`;
}
