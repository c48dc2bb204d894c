/**
 * Cost until detection (DESIGN "result document": `detection`): when each of a stack's alarms and
 * budgets would fire on a variant's timeline, and what the bill had run up to by then.
 */
import type { Detection, StackResult } from '../model/result.ts';
import type { Timeline } from '../model/timeline.ts';
import type { PriceBook } from '../pricing/types.ts';
import type { Alarm } from '../stack/alarm-types.ts';
import type { Stack } from '../stack/types.ts';
import { billFor } from '../cost/bill.ts';
import { budgetFiresAt, estimatedChargesDatapoints, type CostUntil } from './billing.ts';
import { firesAt } from './evaluate.ts';
import { metricDatapoints } from './metrics.ts';
import { CountWindow } from './window.ts';

/**
 * The bill accrued from the start until t (all cohorts), priced by the cost code as a bill of its
 * own over [0, t]: monthly tiers start from zero at the start (a month's first units), fixed monthly
 * fees are prorated to t.
 */
export function accruedCost(w: CountWindow, stack: Stack, book: PriceBook): CostUntil {
  return (t) => (t > 0 ? billFor(w.between(0, t), stack, book, t).total : 0);
}

/** When `alarm` fires on the timeline, in seconds from its start; null: not within the timeline. */
export function alarmFiresAt(alarm: Alarm, w: CountWindow, stack: Stack, costUntil: CostUntil): number | null {
  const points =
    alarm.metric === 'EstimatedCharges'
      ? estimatedChargesDatapoints(costUntil, alarm.periodSeconds, w.durationSeconds)
      : metricDatapoints(w, stack, alarm.metric, alarm.periodSeconds);
  return firesAt(alarm, points, w.durationSeconds);
}

/**
 * Every alarm's and budget's detection on one variant. An alarm that never fires has cost the whole
 * bill by the end: `billTotal` (the variant's bill over the horizon), else what the timeline's
 * whole length cost. Nobody was told.
 */
export function detectionFor(tl: Timeline, stack: Stack, book: PriceBook, billTotal?: number): Detection[] {
  const w = new CountWindow(tl);
  const costUntil = accruedCost(w, stack, book);
  const whole = billTotal ?? costUntil(tl.durationSeconds);
  const entry = (alarm: string, at: number | null): Detection => ({ alarm, firesAtSeconds: at, costBeforeUsd: at === null ? whole : costUntil(at) });
  return [
    ...(stack.alarms ?? []).map((a) => entry(a.name, alarmFiresAt(a, w, stack, costUntil))),
    ...(stack.budgets ?? []).map((b) => entry(b.name, budgetFiresAt(b, costUntil, tl.durationSeconds))),
  ];
}

/**
 * Adds `detection` to both variants of a stack result when the stack has alarms or budgets. The
 * timelines span the horizon (a simulation: "never fires" costs the variant's bill), or, with
 * `runOnly`, just a live run (evaluated over the run; "never fires" costs what the run cost).
 */
export function addDetection(
  result: StackResult,
  stack: Stack,
  book: PriceBook,
  timelines: { throttled: Timeline; unthrottled: Timeline },
  opts: { runOnly?: boolean } = {},
): void {
  if (!stack.alarms?.length && !stack.budgets?.length) return;
  const whole = (v: 'throttled' | 'unthrottled') => (opts.runOnly ? undefined : result[v].bill.total);
  result.throttled.detection = detectionFor(timelines.throttled, stack, book, whole('throttled'));
  result.unthrottled.detection = detectionFor(timelines.unthrottled, stack, book, whole('unthrottled'));
}

/** Beyond this many buckets a simulation gets slow; sub-minute periods then read 1-minute buckets. */
const MAX_DETECTION_BUCKETS = 50_000;

/**
 * The bucket size a simulation over `horizonSeconds` needs so that every alarm period is a whole
 * number of buckets. On long horizons 10 s and 30 s periods are left out of it: they are then read
 * from 1-minute buckets, arrivals spread evenly within each (the simulator's own assumption).
 */
export function detectionBucketSeconds(stack: Stack, bucketSeconds: number, horizonSeconds = 0): number {
  const fit = (periods: number[]) => periods.reduce((g, p) => gcd(g, p), bucketSeconds);
  const periods = (stack.alarms ?? []).map((a) => a.periodSeconds);
  let g = fit(periods);
  if (horizonSeconds / g > MAX_DETECTION_BUCKETS) g = fit(periods.filter((p) => p >= 60));
  return g > 0 ? g : bucketSeconds;
}

function gcd(a: number, b: number): number {
  if (!Number.isInteger(a) || !Number.isInteger(b)) return Math.min(a, b);
  while (b) [a, b] = [b, a % b];
  return a;
}
