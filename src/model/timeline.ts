import type { Totals } from './totals.ts';
import { emptyTotals, addTotals, sumTotals } from './totals.ts';

export type Role = 'legit' | 'attack';
export type Source = 'simulated' | 'emulator' | 'staging' | 'cloudwatch' | 'k6';

/** Latency summary in milliseconds (client- or server-observed). */
export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface CohortTimeline {
  name: string;
  role: Role;
  /** buckets[i] covers [i·bucketSeconds, (i+1)·bucketSeconds) seconds after the start. */
  buckets: Totals[];
  latency?: LatencySummary;
}

/**
 * The shared currency (DESIGN.md "Timeline"): outcome counts per time bucket per cohort.
 * Simulator, emulator, load driver, k6 importer and CloudWatch collector all produce one;
 * cost and reports only consume one.
 */
export interface Timeline {
  source: Source;
  /** ISO time of the first bucket's start for live data; absent for simulated (virtual) time. */
  startTime?: string;
  durationSeconds: number;
  bucketSeconds: number;
  cohorts: CohortTimeline[];
  /**
   * Whole-run totals per route key ("GET /items"; "METHOD /path (no route)" for requests no route
   * matched), when the producer knows routes (simulator, emulator). Absent: unknown.
   */
  routes?: Record<string, Totals>;
}

export function timelineTotals(tl: Timeline): Totals {
  return sumTotals(tl.cohorts.map((c) => cohortTotals(c)));
}

export function cohortTotals(c: CohortTimeline): Totals {
  return sumTotals(c.buckets);
}

/** Re-buckets a timeline to a coarser bucket size (a whole multiple of the current one). */
export function rebucket(tl: Timeline, bucketSeconds: number): Timeline {
  const factor = Math.max(1, Math.round(bucketSeconds / tl.bucketSeconds));
  if (factor === 1) return tl;
  return {
    ...tl,
    bucketSeconds: tl.bucketSeconds * factor,
    cohorts: tl.cohorts.map((c) => {
      const buckets: Totals[] = [];
      c.buckets.forEach((b, i) => {
        const j = Math.floor(i / factor);
        buckets[j] ??= emptyTotals();
        addTotals(buckets[j], b);
      });
      return { ...c, buckets };
    }),
  };
}

/** A bucket size that keeps a run of `durationSeconds` under about `maxBuckets` buckets. */
export function chooseBucketSeconds(durationSeconds: number, maxBuckets = 1440): number {
  const nice = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];
  for (const s of nice) if (durationSeconds / s <= maxBuckets) return s;
  return 86400 * Math.ceil(durationSeconds / 86400 / maxBuckets);
}
