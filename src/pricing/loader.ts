import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { EMBEDDED_BOOKS, FALLBACK_REGION } from './embedded.ts';
import type { PriceBook } from './types.ts';
import { validatePriceBook } from './validate.ts';

export { tieredCost, tierLabel, type TierLine } from './tiers.ts';

/** The embedded book for `region`; a Region without its own figures gets us-east-1's, each price saying so. */
export function embeddedPriceBook(region: string): PriceBook {
  const own = EMBEDDED_BOOKS[region];
  if (own) return structuredClone(own);
  const base = structuredClone(EMBEDDED_BOOKS[FALLBACK_REGION]);
  for (const p of Object.values(base.prices)) {
    p.source = `us-east-1 prices used for ${region} (no embedded figures for ${region}; run \`dowsim prices --region ${region} --refresh\`): ${p.source}`;
  }
  return { ...base, region };
}

/** A Region without embedded figures is billed at us-east-1's: the console says so, not only the report's price sources. */
function fallbackWarning(region: string): string[] {
  if (EMBEDDED_BOOKS[region]) return [];
  return [`dowsim has no embedded prices for ${region}: us-east-1's are used (run \`dowsim prices --region ${region} --refresh\` for ${region}'s own)`];
}

/** `$XDG_CACHE_HOME/dowsim/`, else `~/.cache/dowsim/`: where a refresh leaves its price books. */
export function defaultCacheDir(): string {
  const xdg = process.env.XDG_CACHE_HOME;
  return xdg && xdg.trim() !== '' ? join(xdg, 'dowsim') : join(homedir(), '.cache', 'dowsim');
}

/** The cached book for `region`: `prices-<region>.json` (a PriceBook with source "pricing-api"). */
export function priceBookCachePath(region: string, cacheDir: string = defaultCacheDir()): string {
  return join(cacheDir, `prices-${region}.json`);
}

/**
 * The price book to bill with: the refreshed one in the cache when it is there and valid, else the
 * embedded one. A cache that is unreadable, corrupt or for another Region is ignored, never fatal:
 * the reason comes back as a warning for the caller to print.
 */
export function loadPriceBookWithWarnings(region: string, opts: { cacheDir?: string } = {}): { book: PriceBook; warnings: string[] } {
  const path = priceBookCachePath(region, opts.cacheDir);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { book: embeddedPriceBook(region), warnings: fallbackWarning(region) };
    return { book: embeddedPriceBook(region), warnings: [`could not read cached prices ${path} (${code ?? String(err)}); using embedded prices`] };
  }
  const ignored = (why: string) => ({
    book: embeddedPriceBook(region),
    warnings: [`ignored cached prices ${path}: ${why}; using embedded prices (run \`dowsim prices --region ${region} --refresh\` to rebuild it)`],
  });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return ignored(`not valid JSON (${(err as Error).message})`);
  }
  const checked = validatePriceBook(data);
  if (!checked.ok) {
    const shown = checked.problems.slice(0, 5).join('; ');
    const more = checked.problems.length > 5 ? ` (+${checked.problems.length - 5} more)` : '';
    return ignored(`${shown}${more}`);
  }
  if (checked.book.region !== region) return ignored(`it holds prices for ${checked.book.region}, not ${region}`);
  if (checked.book.source !== 'pricing-api') return ignored(`its source is "${checked.book.source}", expected "pricing-api"`);
  return { book: checked.book, warnings: [] };
}

/** As loadPriceBookWithWarnings, without the warnings. */
export function loadPriceBook(region: string, opts: { cacheDir?: string } = {}): PriceBook {
  return loadPriceBookWithWarnings(region, opts).book;
}
