import type { MetricSpec } from './metric-queries.ts';

/** GetMetricData's per-call limits (aws-facts.md). */
export const MAX_QUERIES_PER_CALL = 500;
export const MAX_DATAPOINTS_PER_CALL = 100_800;

export interface PlannedCall {
  queries: MetricSpec[];
  start: number; // epoch seconds, inclusive
  end: number; // epoch seconds, exclusive
}

/**
 * Splits the queries over [start, end) into as few GetMetricData calls as the limits allow.
 * Every call carries `q` queries over a time chunk of at most ⌊100,800 / q⌋ periods; the `q`
 * giving the fewest calls wins (the window is cut only when the queries alone cannot fit).
 * Metrics requested — what AWS bills — is the sum of the calls' query counts.
 */
export function planCalls(specs: MetricSpec[], start: number, end: number, period: number): PlannedCall[] {
  if (specs.length === 0 || end <= start) return [];
  const points = Math.ceil((end - start) / period);
  let best = { calls: Infinity, perCall: 1, chunkPoints: 1 };
  for (let q = Math.min(MAX_QUERIES_PER_CALL, specs.length); q >= 1; q--) {
    const chunkPoints = Math.min(points, Math.floor(MAX_DATAPOINTS_PER_CALL / q));
    if (chunkPoints < 1) continue;
    const calls = Math.ceil(specs.length / q) * Math.ceil(points / chunkPoints);
    // ties go to the larger q (fewer time cuts, fewer metrics billed)
    if (calls < best.calls) best = { calls, perCall: q, chunkPoints };
  }
  const batches = Math.ceil(specs.length / best.perCall);
  const size = Math.ceil(specs.length / batches); // even batches, never above perCall
  const out: PlannedCall[] = [];
  for (let t = start; t < end; t += best.chunkPoints * period) {
    const tEnd = Math.min(end, t + best.chunkPoints * period);
    for (let i = 0; i < specs.length; i += size) out.push({ queries: specs.slice(i, i + size), start: t, end: tEnd });
  }
  return out;
}

/** What the plan will bill: every query of every call is one metric requested. */
export function metricsRequested(calls: PlannedCall[]): number {
  return calls.reduce((s, c) => s + c.queries.length, 0);
}
