import { z } from 'zod';
import { describeValue } from './describe-value.ts';
import { formatDuration, parseDuration } from '../model/units.ts';

/** The largest rate any shape may reach; far beyond any real flood, it keeps the arithmetic finite. */
export const MAX_RATE = 1e9;

/**
 * A duration with a unit ("250ms", "90s", "5m", "24h", "30d") or a plain 0 (0 or "0"), read as seconds.
 * `positive` rejects 0; `min`/`max`/`oneOf` are in seconds.
 */
export function duration(opts: { positive?: boolean; min?: number; max?: number; oneOf?: number[] } = {}) {
  return z.unknown().transform((value, ctx) => {
    // a plain 0, written as a number or quoted ("0")
    const seconds = value === 0 || (typeof value === 'string' && /^\s*0+(\.0+)?\s*$/.test(value)) ? 0 : parseDuration(value);
    const fail = (message: string) => {
      ctx.addIssue({ code: 'custom', message, input: value });
      return z.NEVER;
    };
    if (seconds === undefined) return fail(durationMessage(value));
    if (opts.positive && seconds <= 0) return fail(`expected a duration longer than 0, got ${describeValue(value)}`);
    if (opts.min !== undefined && seconds < opts.min) {
      return fail(`expected at least ${formatDuration(opts.min)}, got ${describeValue(value)}`);
    }
    if (opts.max !== undefined && seconds > opts.max) {
      return fail(`expected at most ${formatDuration(opts.max)}, got ${describeValue(value)}`);
    }
    if (opts.oneOf && !opts.oneOf.includes(seconds)) {
      return fail(`expected one of ${opts.oneOf.map(formatDuration).join(', ')}, got ${describeValue(value)}`);
    }
    return seconds;
  });
}

function durationMessage(value: unknown): string {
  const expected = 'expected a duration like "5m"';
  if (value === undefined) return `missing: ${expected}`;
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) {
    return `${expected}, got the number ${value} (a duration needs a unit, e.g. "${value}s")`;
  }
  if (typeof value === 'string') {
    return `${expected} (a number and one of ms, s, m, h, d, w), got ${describeValue(value)}`;
  }
  return `${expected}, got ${describeValue(value)}`;
}

/** Requests per second: a finite number ≥ 0. */
export function rate() {
  return z.number().min(0).max(MAX_RATE);
}

/** A whole number ≥ `min`. */
export function wholeNumber(min: number, max?: number) {
  const n = z.number().int().min(min);
  return max === undefined ? n : n.max(max);
}

/** A non-empty string. */
export function text(max = 200) {
  return z.string().min(1).max(max);
}
