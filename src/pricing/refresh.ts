import type { PricingClient } from '@aws-sdk/client-pricing';
import { InputError } from '../model/errors.ts';
import { writeFileAtomic } from '../io/write-atomic.ts';
import { embeddedPriceBook, priceBookCachePath } from './loader.ts';
import { explainAwsError, isCredentialsError, networkErrorCode } from './price-list-aws-errors.ts';
import { createPricingClient, describePricingEndpoint, getAllProducts } from './price-list-client.ts';
import { parsePriceListItem, type PriceListProduct } from './price-list-parse.ts';
import { CROSS_CHECKS, PRODUCT_MATCHES, SERVICE_QUERIES, matchesUsageType } from './price-list-products.ts';
import { RetriesExhausted, type RetryOptions } from './price-list-retry.ts';
import type { Price, PriceBook, PriceKey } from './types.ts';
import { isRegionCode } from './region-code.ts';
import { PRICE_KEYS, PRICE_UNITS, validatePriceBook } from './validate.ts';

export interface RefreshOptions {
  /** A ready client (tests); otherwise one is built on the SDK's conventions. */
  client?: PricingClient;
  endpointUrl?: string;
  profile?: string;
  /** Where the refreshed book goes; default `$XDG_CACHE_HOME/dowsim` or `~/.cache/dowsim`. */
  cacheDir?: string;
  /** false: build the book, write nothing (default true). */
  write?: boolean;
  retry?: RetryOptions;
  now?: Date;
  onProgress?: (line: string) => void;
}

export interface RefreshResult {
  book: PriceBook;
  /** Prices now from the Price List API. */
  refreshed: PriceKey[];
  /** Prices that stayed embedded (not found, malformed, or their service did not answer). */
  embedded: PriceKey[];
  warnings: string[];
  /** The cache file written, when anything was refreshed. */
  cacheFile?: string;
}

/** Whether `s` looks like an AWS Region code (us-east-1, eu-west-1, us-gov-west-1 …). */
export { isRegionCode };

/**
 * Fetches current prices for `region` from the AWS Price List API (GetProducts, paginated; usage
 * types matched by suffix), builds a book from them — embedded figures where a price was not
 * found or not usable, each named — and caches it atomically for every later command.
 * Nothing usable at all (no credentials, no network) → RuntimeError, and the cache is untouched.
 */
export async function refreshPriceBook(region: string, opts: RefreshOptions = {}): Promise<RefreshResult> {
  if (!isRegionCode(region)) {
    throw new InputError([{ path: '--region', message: `"${region}" is not an AWS Region code (like us-east-1 or eu-west-1)` }]);
  }
  const endpoint = opts.client ? (opts.endpointUrl ?? 'the given client') : describePricingEndpoint(opts.endpointUrl);
  const client = opts.client ?? createPricingClient({ endpointUrl: opts.endpointUrl, profile: opts.profile });
  const what = 'Price List API (GetProducts)';
  const warnings: string[] = [];
  const products = new Map<string, PriceListProduct[]>();
  const failures: { serviceCode: string; error: unknown; attempts?: number }[] = [];
  try {
    for (const q of SERVICE_QUERIES) {
      opts.onProgress?.(`fetching ${q.serviceCode} prices for ${region} from ${endpoint}`);
      let items: unknown[];
      try {
        ({ items } = await getAllProducts(client, q.serviceCode, [{ Field: q.regionField, Value: region }, ...q.filters], opts.retry));
      } catch (err) {
        const inner = err instanceof RetriesExhausted ? err.lastError : err;
        // without credentials or a reachable endpoint the other services would fail the same way
        if (isCredentialsError(inner) || networkErrorCode(inner)) throw explainAwsError(inner, { what, endpoint, profile: opts.profile });
        failures.push({ serviceCode: q.serviceCode, error: inner, attempts: err instanceof RetriesExhausted ? err.attempts : undefined });
        continue;
      }
      const wanted = [...PRODUCT_MATCHES, ...CROSS_CHECKS].filter((m) => m.serviceCode === q.serviceCode).map((m) => m.usageTypeSuffix);
      const list: PriceListProduct[] = [];
      for (const item of items) {
        const parsed = parsePriceListItem(item);
        if (parsed.ok) {
          list.push(parsed.product);
        } else if (parsed.usageType === undefined || wanted.some((s) => matchesUsageType(parsed.usageType as string, s))) {
          // an item we cannot read might have been one we need: say which and why
          warnings.push(`skipped a malformed ${q.serviceCode} Price List item, ${parsed.label}: ${parsed.reason}`);
        }
      }
      products.set(q.serviceCode, list);
    }
  } finally {
    if (!opts.client) client.destroy();
  }
  if (products.size === 0 && failures.length > 0) {
    const f = failures[0];
    throw explainAwsError(f.error, { what, endpoint, profile: opts.profile, attempts: f.attempts });
  }
  for (const f of failures) {
    warnings.push(`${f.serviceCode}: ${explainAwsError(f.error, { what, endpoint, profile: opts.profile, attempts: f.attempts }).message}`);
  }

  const today = (opts.now ?? new Date()).toISOString().slice(0, 10);
  const base = embeddedPriceBook(region);
  const prices = { ...base.prices } as PriceBook['prices'];
  const refreshed = new Set<PriceKey>();
  for (const m of PRODUCT_MATCHES) {
    const list = products.get(m.serviceCode);
    if (!list) continue; // the service failed: its warning says so
    const found = list.filter((p) => matchesUsageType(p.usageType, m.usageTypeSuffix));
    if (found.length === 0) {
      warnings.push(`${m.key}: no ${m.serviceCode} product with usage type "*${m.usageTypeSuffix}" for ${region}; the embedded price stays.`);
      continue;
    }
    const chosen = found[0];
    const disagree = found.filter((p) => JSON.stringify(p.tiers) !== JSON.stringify(chosen.tiers));
    if (disagree.length > 0) {
      warnings.push(
        `${m.key}: ${found.length} products match "*${m.usageTypeSuffix}" with different prices (${found.map((p) => `${p.usageType} sku ${p.sku}`).join(', ')}); used ${chosen.usageType} sku ${chosen.sku}.`,
      );
    }
    prices[m.key] = toPrice(m.key, chosen, today);
    refreshed.add(m.key);
  }
  for (const c of CROSS_CHECKS) {
    const other = products.get(c.serviceCode)?.find((p) => matchesUsageType(p.usageType, c.usageTypeSuffix));
    const mine = prices[c.key];
    if (other && refreshed.has(c.key) && JSON.stringify(other.tiers) !== JSON.stringify(mine.tiers)) {
      warnings.push(`${c.key}: ${other.usageType} is priced differently (${other.tiers[0].price} USD) from the price used (${mine.tiers[0].price} USD); the book has one price for both.`);
    }
  }

  // A refreshed price the book would reject (wrong shape, 10× off) goes back to embedded, named.
  let book = assemble(region, base, prices, refreshed);
  const checked = validatePriceBook(book);
  if (!checked.ok) {
    for (const problem of checked.problems) {
      const key = PRICE_KEYS.find((k) => problem.startsWith(`prices.${k}.`) || problem.startsWith(`prices.${k}:`));
      if (key && refreshed.has(key)) {
        refreshed.delete(key);
        prices[key] = base.prices[key];
        warnings.push(`${key}: the Price List figure was not used (${problem}); the embedded price stays.`);
      } else {
        warnings.push(`price book check: ${problem}`);
      }
    }
    book = assemble(region, base, prices, refreshed);
  }

  const embedded = PRICE_KEYS.filter((k) => !refreshed.has(k));
  const result: RefreshResult = { book, refreshed: PRICE_KEYS.filter((k) => refreshed.has(k)), embedded, warnings };
  if (refreshed.size > 0 && opts.write !== false) {
    const file = priceBookCachePath(region, opts.cacheDir);
    writeFileAtomic(file, JSON.stringify(book, null, 2) + '\n');
    result.cacheFile = file;
  } else if (refreshed.size === 0) {
    warnings.push(`the Price List API returned none of the prices dowsim needs for ${region}; the cache was not written.`);
  }
  return result;
}

function toPrice(key: PriceKey, p: PriceListProduct, today: string): Price {
  const effective = p.effectiveDate ? `, effective ${p.effectiveDate.slice(0, 10)}` : '';
  return {
    unit: PRICE_UNITS[key],
    tiers: p.tiers.map((t) => ({ ...t })),
    source: `AWS Price List API (GetProducts ${p.serviceCode || 'service'}, usagetype ${p.usageType}, sku ${p.sku}${effective}; Price List unit "${p.unit}")`,
    asOf: today,
  };
}

function assemble(region: string, base: PriceBook, prices: PriceBook['prices'], refreshed: Set<PriceKey>): PriceBook {
  const asOf = Object.values(prices)
    .map((p) => p.asOf)
    .sort()[0];
  const book: PriceBook = {
    region,
    asOf: asOf ?? base.asOf,
    source: refreshed.size > 0 ? 'pricing-api' : base.source,
    prices,
  };
  const fallbacks = PRICE_KEYS.filter((k) => !refreshed.has(k));
  if (refreshed.size > 0 && fallbacks.length > 0) book.embeddedFallbacks = fallbacks;
  return book;
}
