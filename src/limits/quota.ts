import { NO_FLOW, type Band } from './band.ts';
import type { FastForward, Limiter } from './types.ts';

export type QuotaPeriod = 'DAY' | 'WEEK' | 'MONTH';

/**
 * Start (epoch seconds) of the usage-plan quota period that contains `t`, in UTC.
 * AWS's `offset` is the day a period starts: WEEK 0 = Sunday … 6 = Saturday; MONTH: day of month − 1.
 */
export function periodStart(t: number, period: QuotaPeriod, offset = 0): number {
  const d = new Date(Math.floor(t) * 1000);
  const dayStart = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) / 1000;
  if (period === 'DAY') return dayStart;
  if (period === 'WEEK') {
    const back = (d.getUTCDay() - offset + 7) % 7;
    return dayStart - back * 86400;
  }
  // MONTH: the period starts on day (offset + 1), clamped to the month's length
  const here = monthStart(d.getUTCFullYear(), d.getUTCMonth(), offset);
  if (here <= t) return here;
  return monthStart(d.getUTCFullYear(), d.getUTCMonth() - 1, offset);
}

/** Start of the period after the one containing `t`. */
export function nextPeriodStart(t: number, period: QuotaPeriod, offset = 0): number {
  const start = periodStart(t, period, offset);
  if (period === 'DAY') return start + 86400;
  if (period === 'WEEK') return start + 7 * 86400;
  const d = new Date(start * 1000);
  return monthStart(d.getUTCFullYear(), d.getUTCMonth() + 1, offset);
}

function monthStart(y: number, m: number, offset: number): number {
  const days = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return Date.UTC(y, m, Math.min(offset + 1, days)) / 1000;
}

/**
 * A usage-plan quota for one API key: at most `limit` requests per UTC period; the count resets
 * when a new period starts. Requests refused here are `quotaExceeded`.
 */
export class QuotaCounter implements Limiter, FastForward {
  readonly limit: number;
  readonly period: QuotaPeriod;
  readonly offset: number;
  private used = 0;
  private currentStart: number | undefined;

  constructor(opts: { limit: number; period: QuotaPeriod; offset?: number }) {
    this.limit = opts.limit;
    this.period = opts.period;
    this.offset = opts.offset ?? 0;
  }

  private roll(t: number): void {
    const start = periodStart(t, this.period, this.offset);
    if (this.currentStart === undefined || start > this.currentStart) {
      this.currentStart = start;
      this.used = 0;
    }
  }

  // the last take, for fast-forwarding a steady flow
  private lastUse = 0;
  private lastOver = 0;
  private lastTime: number | undefined;

  private takeAt(t: number, n: number): number {
    this.roll(t);
    const passed = Math.max(0, Math.min(n, this.limit - this.used));
    this.used += passed;
    return passed;
  }

  take(now: number, n: number, over = 0): number {
    const passed = this.takeSpread(now, n, over);
    this.lastUse = passed;
    this.lastOver = over;
    this.lastTime = now;
    return passed;
  }

  private takeSpread(now: number, n: number, over: number): number {
    if (n <= 0) return 0;
    if (over <= 0) return this.takeAt(now, n);
    const from = now - over;
    const boundary = nextPeriodStart(from, this.period, this.offset);
    if (boundary >= now) return this.takeAt(from, n);
    // arrivals are spread evenly: the share before the boundary counts against the old period
    const before = (n * (boundary - from)) / over;
    return this.takeAt(from, before) + this.takeAt(boundary, n - before);
  }

  /** Fingerprint of what makes the next tick behave like the last (the count itself moves on). */
  fingerprint(): string {
    return `${this.lastUse}|${this.used >= this.limit ? 'out' : 'in'}`;
  }

  /** Until when the last tick's flow can be repeated without the quota changing its answer. */
  steadyUntil(now: number): number {
    const reset = nextPeriodStart(now, this.period, this.offset);
    if (this.lastUse <= 0 || this.lastOver <= 0) return reset;
    const perSecond = this.lastUse / this.lastOver;
    // stop one tick short of exhaustion so the tick that crosses the limit is computed exactly
    const exhausted = now + (this.limit - this.used) / perSecond - this.lastOver;
    return Math.min(reset, exhausted);
  }

  /** Requests counted in the current period. */
  get usedInPeriod(): number {
    return this.used;
  }

  /** Periodic fast-forward: `extra` more requests counted and the clock moved by dt (no reset crossed). */
  shift(dt: number, extra: number): void {
    this.used = Math.min(this.limit, this.used + extra);
    if (this.lastTime !== undefined) this.lastTime += dt;
  }

  /** Fast-forward: repeat the last tick's take until `t`. */
  skipTo(t: number): void {
    if (this.lastTime === undefined || t <= this.lastTime || this.lastOver <= 0) return;
    this.used = Math.min(this.limit, this.used + (this.lastUse * (t - this.lastTime)) / this.lastOver);
    this.lastTime = t;
  }

  /**
   * What the quota passes of a band (per-second rates) over [from, from + over] if it gives one
   * answer throughout: all of it while the period neither ends nor runs out, none while it is
   * spent and does not reset; undefined (an edge) otherwise.
   */
  strideBand(from: number, over: number, band: Band): Band | undefined {
    if (this.nextReset(from) < from + over) return undefined;
    const left = this.remaining(from);
    if (left <= 0) return NO_FLOW;
    return left >= band.hi * over ? band : undefined;
  }

  remaining(now: number): number {
    this.roll(now);
    return this.limit - this.used;
  }

  /** When the quota next resets (epoch seconds). */
  nextReset(now: number): number {
    return nextPeriodStart(now, this.period, this.offset);
  }
}
