import { InputError } from '../model/errors.ts';
import { parseDuration } from '../model/units.ts';

/**
 * A `--start`/`--end` value as a Date: ISO 8601 ("2026-11-28T10:00Z", "2026-11-28"), "now",
 * a time relative to now ("-1h", "now-90m"), or epoch seconds. ISO times without a zone are
 * read as UTC, as CloudWatch and AWS consoles' UTC mode show them — never the machine's zone.
 */
export function parseTime(value: string, flag: string, nowMs: number = Date.now()): Date {
  const v = value.trim();
  if (v === 'now') return new Date(nowMs);
  const rel = /^(?:now)?\s*-\s*(.+)$/.exec(v);
  if (rel) {
    const s = parseDuration(rel[1]);
    if (s !== undefined) return new Date(nowMs - s * 1000);
  }
  if (/^\d{9,11}$/.test(v)) return new Date(Number(v) * 1000);
  if (/^\d{4}-\d{2}-\d{2}/.test(v)) {
    const zoned = /T.*(Z|[+-]\d{2}:?\d{2})$/i.test(v) || !v.includes('T') ? v : `${v}Z`;
    const ms = Date.parse(zoned);
    if (Number.isFinite(ms)) return new Date(ms);
  }
  throw new InputError([
    { path: flag, message: `"${value}" is not a time: use ISO 8601 like 2026-11-28T10:00Z, "now", a time relative to now like -1h, or epoch seconds` },
  ]);
}
