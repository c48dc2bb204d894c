/** Parses durations like "250ms", "90s", "5m", "24h", "30d" (also "1.5h"); returns seconds or undefined. */
export function parseDuration(input: unknown): number | undefined {
  if (typeof input !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)\s*$/.exec(input);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2] as keyof typeof UNIT_SECONDS;
  const v = n * UNIT_SECONDS[unit];
  return Number.isFinite(v) ? v : undefined;
}

const UNIT_SECONDS = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800 } as const;

/** Formats seconds back into the shortest exact unit string ("5m", "250ms", "1.5h"). */
export function formatDuration(seconds: number): string {
  if (seconds === 0) return '0s';
  for (const [u, s] of [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    if (seconds >= s && Number.isInteger(seconds / s)) return `${seconds / s}${u}`;
  }
  if (seconds < 1) return `${+(seconds * 1000).toFixed(3)}ms`;
  return `${+seconds.toFixed(3)}s`;
}

/** Seconds in AWS's pricing month (730 hours), used to prorate monthly fees and tiers. */
export const PRICING_MONTH_SECONDS = 730 * 3600;
