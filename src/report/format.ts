// Display formatting only: figures stay unrounded in the result document and are rounded here.

const INT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** "$1,234.56"; amounts under a dollar keep two significant digits ("$0.0042"); "-$3.10". */
export function formatMoney(usd: number): string {
  if (!Number.isFinite(usd)) return String(usd);
  const sign = usd < 0 ? '-' : '';
  const a = Math.abs(usd);
  if (a === 0) return '$0.00';
  if (a >= 0.01) {
    return `${sign}$${a.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  }
  return `${sign}$${smallDecimal(a, 2)}`;
}

/** Most decimals a money column gets: below a millionth of a dollar nothing on a bill is worth reading. */
export const MAX_MONEY_DECIMALS = 6;

/**
 * The decimals one column of amounts is shown with: cents (2), or more when the smallest non-zero
 * amount needs them to show two significant digits ($0.0012 → 4), at most MAX_MONEY_DECIMALS.
 */
export function moneyDecimals(values: Iterable<number>): number {
  let least = Infinity;
  for (const v of values) if (Number.isFinite(v) && v !== 0) least = Math.min(least, Math.abs(v));
  if (least === Infinity) return 2;
  const d = 1 - Math.floor(Math.log10(least)); // two significant digits of `least`
  return Math.min(MAX_MONEY_DECIMALS, Math.max(2, d));
}

/** "$1,234.5600" with exactly `decimals` decimals; "-$3.10". */
export function formatMoneyFixed(usd: number, decimals: number): string {
  if (!Number.isFinite(usd)) return String(usd);
  const text = Math.abs(usd).toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
  return `${usd < 0 && /[1-9]/.test(text) ? '-' : ''}$${text}`;
}

/**
 * A table column of amounts, all with the same decimals (moneyDecimals of the column), so that
 * $0.0012 and $1,234.56 read as "$0.0012" and "$1,234.5600", not as two precisions.
 */
export function formatMoneyColumn(values: readonly number[]): string[] {
  const d = moneyDecimals(values);
  return values.map((v) => formatMoneyFixed(v, d));
}

/** A unit price with up to six significant digits ("$0.0000166667", "$3.50"). */
export function formatUnitPrice(usd: number): string {
  if (!Number.isFinite(usd)) return String(usd);
  if (usd === 0) return '$0';
  if (Math.abs(usd) >= 1) return formatMoney(usd);
  return `${usd < 0 ? '-' : ''}$${smallDecimal(Math.abs(usd), 6)}`;
}

/** The same figure as formatMoney without the currency sign (gate messages, CSV-ish text). */
export function formatAmount(usd: number): string {
  return formatMoney(usd).replace('$', '');
}

// Fixed-point text for 0 < a < 1 with `sig` significant digits, trailing zeros trimmed (no exponent).
function smallDecimal(a: number, sig: number): string {
  const lead = Math.max(0, -Math.floor(Math.log10(a)) - 1); // zeros right after the point
  const digits = Math.min(20, lead + sig);
  let s = a.toFixed(digits);
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  // keep at least two decimals so cents read as money ("0.5" → "0.50")
  const dec = s.split('.')[1] ?? '';
  if (dec.length < 2) s = a.toFixed(2);
  return s;
}

/** Integer count with thousands separators ("1,234,567"). */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return INT.format(Math.round(n));
}

/** Short count for tight columns ("12.3M", "4.1B"); exact below 100,000. */
export function formatCountShort(n: number): string {
  return Math.abs(n) < 100_000 ? formatCount(n) : shortForm(n);
}

/** A count from 1,000 up with its unit ("26.2k", "367k", "12.3M"); exact below. */
function shortForm(n: number): string {
  const a = Math.abs(n);
  for (const [div, suffix] of [[1e12, 'T'], [1e9, 'B'], [1e6, 'M'], [1e3, 'k']] as const) {
    if (a >= div) return `${+(n / div).toFixed(a / div >= 100 ? 0 : 1)}${suffix}`;
  }
  return formatCount(n);
}

/**
 * A column of counts for a tight table, in one form: exact ("26,182") while every one is under
 * 100,000, else every one from 1,000 up short ("367k", "26.2k", "12.3M"; under 1,000 exact), so
 * that a column never mixes "367k" with "26,182".
 */
export function formatCountColumnShort(values: number[]): string[] {
  if (values.every((v) => !Number.isFinite(v) || Math.abs(v) < 100_000)) return values.map(formatCount);
  return values.map((n) => (Number.isFinite(n) ? shortForm(n) : formatCount(n)));
}

/** A number with thousands separators and up to `digits` decimals ("1,234.5"). */
export function formatNumber(n: number, digits = 2): string {
  if (!Number.isFinite(n)) return String(n);
  return n.toLocaleString('en-US', { maximumFractionDigits: digits });
}

/** A share 0..1 as a percentage ("0.42%", "12.5%", "100%"); tiny non-zero shares are not shown as 0. */
export function formatPercent(share: number): string {
  if (!Number.isFinite(share)) return String(share);
  const p = share * 100;
  if (p === 0) return '0%';
  if (Math.abs(p) < 0.01) return p > 0 ? '<0.01%' : '>-0.01%';
  const digits = Math.abs(p) < 10 ? 2 : 1;
  return `${+p.toFixed(digits)}%`;
}

/** A quantity on a bill line: integers with separators, fractions with a few significant digits. */
export function formatQuantity(q: number): string {
  if (!Number.isFinite(q)) return String(q);
  if (Number.isInteger(q) || Math.abs(q) >= 1000) return formatCount(q);
  if (Math.abs(q) >= 1) return formatNumber(q, 2);
  if (q === 0) return '0';
  return String(+q.toPrecision(4));
}

/** A file- and URL-safe slug of user text ("Botnet flood!" → "botnet-flood"); never empty. */
export function slug(text: string, fallback = 'report'): string {
  const s = text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/g, '');
  return s || fallback;
}
