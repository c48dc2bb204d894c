import type { Price, Tier } from './types.ts';

export interface TierLine {
  tierLabel: string; // '' for a single-tier price; 'first 333M', '333M–1B', 'over 20B'
  quantity: number; // units of this month that fall in the tier
  unitPrice: number; // USD per unit
  cost: number; // USD, unrounded
}

/**
 * What one month's usage costs under a tiered price, tier by tier. `alreadyUsed` units of the
 * month sit below these ones (a free tier, say): they push this usage up the tiers without being
 * priced here. Only tiers actually used get a line.
 */
export function tieredCost(price: Price, monthlyQuantity: number, alreadyUsed = 0): { cost: number; lines: TierLine[] } {
  const start = Math.max(0, alreadyUsed);
  const end = start + Math.max(0, monthlyQuantity);
  const lines: TierLine[] = [];
  let cost = 0;
  price.tiers.forEach((tier, i) => {
    const to = tierEnd(price.tiers, i);
    const quantity = Math.max(0, Math.min(end, to) - Math.max(start, tier.from));
    if (quantity <= 0) return;
    const c = quantity * tier.price;
    cost += c;
    lines.push({ tierLabel: labelsOf(price)[i], quantity, unitPrice: tier.price, cost: c });
  });
  return { cost, lines };
}

// a price's tier labels, made once per price: every bill of a tune search or a compare prices the same tiers again
const LABELS = new WeakMap<Price, string[]>();

function labelsOf(price: Price): string[] {
  let labels = LABELS.get(price);
  if (!labels) LABELS.set(price, (labels = price.tiers.map((_, i) => tierLabel(price, i))));
  return labels;
}

function tierEnd(tiers: Tier[], i: number): number {
  return tiers[i].to ?? tiers[i + 1]?.from ?? Number.POSITIVE_INFINITY;
}

/** "first 333M", "333M–1B", "over 20B" (GB tiers in TB, GB-second tiers with "GB-s"). */
export function tierLabel(price: Price, i: number): string {
  const tiers = price.tiers;
  if (tiers.length === 1 && tiers[0].from === 0) return '';
  const from = tiers[i].from;
  const to = tierEnd(tiers, i);
  const unit = price.unit === 'GB-second' ? ' GB-s' : '';
  if (from === 0) return `first ${amount(to, price.unit)}${unit}`;
  if (!Number.isFinite(to)) return `over ${amount(from, price.unit)}${unit}`;
  return `${amount(from, price.unit)}–${amount(to, price.unit)}${unit}`;
}

function amount(n: number, unit: string): string {
  if (unit === 'GB') return n >= 1024 ? `${trim(n / 1024)} TB` : `${trim(n)} GB`;
  if (n >= 1e9) return `${trim(n / 1e9)}B`;
  if (n >= 1e6) return `${trim(n / 1e6)}M`;
  if (n >= 1e3) return `${trim(n / 1e3)}K`;
  return trim(n);
}

function trim(n: number): string {
  return String(+n.toFixed(3));
}
