import type { RecordableHistogram } from 'node:perf_hooks';
import type { LatencySummary } from '../model/timeline.ts';

/** A perf_hooks histogram of microseconds as a latency summary in milliseconds; undefined when empty. */
export function latencySummary(h: RecordableHistogram): LatencySummary | undefined {
  if (h.count === 0) return undefined;
  return {
    count: h.count,
    mean: h.mean / 1000,
    p50: h.percentile(50) / 1000,
    p90: h.percentile(90) / 1000,
    p99: h.percentile(99) / 1000,
    max: h.max / 1000,
  };
}
