import type { BillLine } from '../model/result.ts';
import { PRICING_MONTH_SECONDS } from '../model/units.ts';
import { tieredCost } from '../pricing/tiers.ts';
import type { Price } from '../pricing/types.ts';

/**
 * How a horizon maps onto AWS's monthly tiers. Up to one pricing month (730 h), the horizon's
 * usage is that month's only usage (factor 1). Longer, it is split evenly into horizon ÷ 730 h
 * months, each priced on its own and multiplied back (factor = months).
 */
export function monthFactor(horizonSeconds: number): number {
  const months = horizonSeconds / PRICING_MONTH_SECONDS;
  return months > 1 ? months : 1;
}

/** Months of the horizon, unclamped: what fixed monthly fees are prorated by. */
export function horizonMonths(horizonSeconds: number): number {
  return horizonSeconds / PRICING_MONTH_SECONDS;
}

const UNIT_LABEL: Record<string, string> = { request: 'requests', 'GB-second': 'GB-s', GB: 'GB', metric: 'metrics' };

/**
 * Bill lines for `quantity` units used over the whole horizon under a tiered monthly price: one
 * line per tier actually used, plus a zero-cost line for the free tier when there is one. Free
 * units are the month's first units, so paid usage starts that far up the tiers.
 */
export function usageLines(opts: {
  service: string;
  item: string;
  price: Price;
  quantity: number;
  horizonSeconds: number;
  freePerMonth?: number;
  freeItem?: string;
}): BillLine[] {
  const { service, item, price } = opts;
  const unit = UNIT_LABEL[price.unit] ?? price.unit;
  const factor = monthFactor(opts.horizonSeconds);
  const monthly = Math.max(0, opts.quantity) / factor;
  const freePerMonth = Math.max(0, opts.freePerMonth ?? 0);
  const free = Math.min(freePerMonth, monthly);
  const lines: BillLine[] = [];
  if (freePerMonth > 0) {
    lines.push({ service, item: opts.freeItem ?? `${item}, free tier`, quantity: free * factor, unit, unitPrice: 0, cost: 0 });
  }
  for (const t of tieredCost(price, monthly - free, free).lines) {
    lines.push({
      service,
      item: t.tierLabel ? `${item}, ${t.tierLabel}/month` : item,
      quantity: t.quantity * factor,
      unit,
      unitPrice: t.unitPrice,
      cost: t.cost * factor,
    });
  }
  if (lines.length === 0) lines.push({ service, item, quantity: 0, unit, unitPrice: price.tiers[0].price, cost: 0 });
  return lines;
}
