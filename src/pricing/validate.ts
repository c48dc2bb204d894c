import { z } from 'zod';
import { EMBEDDED_BOOKS, FALLBACK_REGION } from './embedded.ts';
import type { PriceBook, PriceKey } from './types.ts';

/** The unit each price must be quoted in: a refresh that mixes them up would misprice by 10^6. */
export const PRICE_UNITS: Readonly<Record<PriceKey, string>> = {
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
};

export const PRICE_KEYS = Object.keys(PRICE_UNITS) as PriceKey[];

const tier = z.object({
  from: z.number().min(0),
  to: z.number().positive().nullish(),
  price: z.number().min(0),
});

const price = z.object({
  unit: z.string().min(1),
  tiers: z.array(tier).min(1),
  source: z.string().min(1),
  asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'expected an ISO date like "2026-11-28"'),
});

const book = z.object({
  region: z.string().min(1),
  asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'expected an ISO date like "2026-11-28"'),
  source: z.enum(['embedded', 'pricing-api']),
  prices: z.object(Object.fromEntries(PRICE_KEYS.map((k) => [k, price])) as Record<PriceKey, typeof price>),
  embeddedFallbacks: z.array(z.string()).optional(),
});

/**
 * Whether `data` is a usable PriceBook: the shape, every price present, tiers ascending and
 * contiguous from 0 with an open last tier, the expected unit, and no price more than 10× away
 * from the embedded us-east-1 figure (Regions differ by far less; a per-million price stored as
 * per-unit does not). Returns every problem found.
 */
export function validatePriceBook(data: unknown): { ok: true; book: PriceBook } | { ok: false; problems: string[] } {
  const parsed = book.safeParse(data);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`) };
  }
  const problems: string[] = [];
  const reference = EMBEDDED_BOOKS[FALLBACK_REGION];
  const prices = {} as PriceBook['prices'];
  for (const key of PRICE_KEYS) {
    const p = parsed.data.prices[key];
    const where = `prices.${key}`;
    if (p.unit !== PRICE_UNITS[key]) problems.push(`${where}.unit: expected "${PRICE_UNITS[key]}", got "${p.unit}"`);
    const tiers = p.tiers.map((t) => (t.to === null || t.to === undefined ? { from: t.from, price: t.price } : { from: t.from, to: t.to, price: t.price }));
    if (tiers[0].from !== 0) problems.push(`${where}.tiers[0].from: the first tier must start at 0`);
    tiers.forEach((t, i) => {
      const next = tiers[i + 1];
      if (next && t.to === undefined) problems.push(`${where}.tiers[${i}].to: only the last tier may be open-ended`);
      if (next && t.to !== undefined && t.to !== next.from) problems.push(`${where}.tiers[${i + 1}].from: must equal the previous tier's "to" (${t.to})`);
      if (t.to !== undefined && t.to <= t.from) problems.push(`${where}.tiers[${i}].to: must be above "from"`);
      if (!next && t.to !== undefined) problems.push(`${where}.tiers[${i}].to: the last tier must be open-ended`);
    });
    const ref = reference.prices[key].tiers[0].price;
    const first = tiers[0].price;
    if (ref > 0 && first > 0 && (first > ref * 10 || first < ref / 10)) {
      problems.push(`${where}.tiers[0].price: ${figure(first)} USD per ${p.unit} is more than 10× away from us-east-1's ${figure(ref)}; a unit mistake?`);
    }
    prices[key] = { unit: p.unit, tiers, source: p.source, asOf: p.asOf };
  }
  if (problems.length > 0) return { ok: false, problems };
  const out: PriceBook = { region: parsed.data.region, asOf: parsed.data.asOf, source: parsed.data.source, prices };
  if (parsed.data.embeddedFallbacks) out.embeddedFallbacks = parsed.data.embeddedFallbacks;
  return { ok: true, book: out };
}

/** A price as a person writes it: 0.2 / 1e6 is stored as 2.0000000000000002e-7 and said as 2e-7. */
function figure(n: number): string {
  return String(Number(n.toPrecision(10)));
}
