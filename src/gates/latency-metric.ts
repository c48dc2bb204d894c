/** Latency gate metric names (`latency.p99`, `latency.legit.p99`): milliseconds, client-observed. */
export const LATENCY_STATS = ['p50', 'p90', 'p99', 'max', 'mean'] as const;
export type LatencyStat = (typeof LATENCY_STATS)[number];

export const LATENCY_METRICS = [
  ...LATENCY_STATS.map((s) => `latency.${s}`),
  ...(['legit', 'attack'] as const).flatMap((r) => LATENCY_STATS.map((s) => `latency.${r}.${s}`)),
];

export function isLatencyMetric(metric: string): boolean {
  return LATENCY_METRICS.includes(metric);
}
