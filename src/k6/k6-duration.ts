/**
 * Seconds as a k6 duration string ("90s" → "1m30s", 0.25 → "250ms"). k6 parses these with Go's
 * time.ParseDuration, which knows h, m, s and ms but not days, so "1d" is never written.
 * Precision is one millisecond: the stage planner only ever cuts at whole milliseconds.
 */
export function k6Duration(seconds: number): string {
  const totalMs = Math.round(seconds * 1000);
  if (totalMs <= 0) return '0s';
  if (totalMs < 1000) return `${totalMs}ms`;
  const h = Math.floor(totalMs / 3_600_000);
  const m = Math.floor((totalMs % 3_600_000) / 60_000);
  const ms = totalMs % 60_000;
  let out = '';
  if (h) out += `${h}h`;
  if (m) out += `${m}m`;
  if (ms) out += ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(3).replace(/0+$/, '')}s`;
  return out;
}

/** Parses what k6Duration writes (and Go-style "1h30m", "250ms") back into seconds. */
export function parseK6Duration(s: string): number {
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
  let total = 0;
  let consumed = 0;
  for (const m of s.matchAll(re)) {
    const n = Number(m[1]);
    total += m[2] === 'h' ? n * 3600 : m[2] === 'm' ? n * 60 : m[2] === 's' ? n : n / 1000;
    consumed += m[0].length;
  }
  if (consumed !== s.length) throw new RangeError(`not a k6 duration: "${s}"`);
  return total;
}
