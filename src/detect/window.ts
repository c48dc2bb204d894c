import type { Timeline } from '../model/timeline.ts';
import { addTotals, emptyTotals, TOTAL_KEYS, type Totals } from '../model/totals.ts';

/**
 * The timeline's counts summed over all cohorts, per bucket: what CloudWatch sees (its metrics
 * have no cohort dimension).
 */
export function allCohorts(tl: Timeline): Totals[] {
  const n = Math.max(0, ...tl.cohorts.map((c) => c.buckets.length));
  const out = Array.from({ length: n }, () => emptyTotals());
  for (const c of tl.cohorts) c.buckets.forEach((b, i) => addTotals(out[i], b));
  return out;
}

/**
 * Counts in [from, to) seconds. A bucket cut by either end contributes in proportion to the overlap
 * (arrivals spread evenly within a bucket, the simulator's own assumption); exact when the window's
 * ends fall on bucket boundaries, which the simulator arranges for alarm periods.
 */
export function countsBetween(buckets: Totals[], bucketSeconds: number, from: number, to: number): Totals {
  const out = emptyTotals();
  if (!(to > from) || !(bucketSeconds > 0)) return out;
  const first = Math.max(0, Math.floor(from / bucketSeconds + 1e-9));
  const last = Math.min(buckets.length - 1, Math.ceil(to / bucketSeconds - 1e-9) - 1);
  for (let i = first; i <= last; i++) {
    const s = i * bucketSeconds;
    const share = (Math.min(to, s + bucketSeconds) - Math.max(from, s)) / bucketSeconds;
    if (share <= 0) continue;
    if (share >= 1 - 1e-12) addTotals(out, buckets[i]);
    else for (const k of TOTAL_KEYS) out[k] += buckets[i][k] * share;
  }
  return out;
}
