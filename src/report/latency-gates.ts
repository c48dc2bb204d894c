/**
 * Latency as a gate metric, the way k6 and Artillery users gate on it: `latency.p99>800` trips
 * when any cohort's client-observed p99 is above 800 ms; `latency.legit.p99>800` looks at the
 * legit cohorts only. Latency is a property of a live run (or a k6 import), not of a stack.
 */
import type { ResultDocument } from '../model/result.ts';
import type { LatencySummary } from '../model/timeline.ts';
import type { LatencyStat } from '../gates/latency-metric.ts';

export { LATENCY_METRICS, isLatencyMetric } from '../gates/latency-metric.ts';

type Stat = LatencyStat;

/** The worst (highest) value of the statistic over the cohorts the metric names; undefined without latency data. */
export function latencyValue(doc: ResultDocument, metric: string): { value: number; cohort: string } | undefined {
  const parts = metric.split('.');
  const stat = parts.at(-1) as Stat;
  const role = parts.length === 3 ? parts[1] : undefined;
  let worst: { value: number; cohort: string } | undefined;
  for (const c of doc.measured?.cohorts ?? []) {
    const l: LatencySummary | undefined = c.latency;
    if (!l || l.count === 0 || (role && c.role !== role)) continue;
    if (!worst || l[stat] > worst.value) worst = { value: l[stat], cohort: c.name };
  }
  return worst;
}
