/**
 * One cell of the emulator's metrics (a second or a minute) and one request as recorded: how a
 * request is counted into totals and a cell, and how cells fold together.
 */
import type { Outcome } from '../model/outcomes.ts';
import type { LatencySummary, Role } from '../model/timeline.ts';
import { addTotals, emptyTotals, type Totals } from '../model/totals.ts';
import { emptyDistribution, mergeDistribution, observe, percentile, type Distribution } from './distribution.ts';

/** What the emulator knows about one finished request. */
export interface RequestRecord {
  cohort: string;
  role: Role;
  /** The route key that served it ("METHOD /path (no route)" when none matched), when known. */
  route?: string;
  outcome: Outcome;
  status: number;
  /** false when WAF blocked it: API Gateway never saw it, so its metrics do not count it. */
  reachedGateway: boolean;
  latencyMs: number;
  /** Time spent in the integration (Lambda), when the request got that far. */
  integrationLatencyMs?: number;
  /** How long the function ran (ms), for invocations. */
  durationMs?: number;
  /** The function itself failed (threw, or hit its own timeout): Lambda's `Errors`. */
  functionError?: boolean;
  coldStart: boolean;
  gbSeconds: number;
  initGbSeconds: number;
  billedApiRequests: number;
  bytesIn: number;
  bytesOut: number;
}

/** Everything recorded for one second (fine tier) or one minute (coarse tier). */
export interface MetricsCell {
  start: number; // epoch seconds
  span: number; // 1 or 60
  cohorts: Map<string, Totals>;
  requests: number; // reached API Gateway (its `Count`)
  err4: number;
  err5: number;
  bytesProcessed: number; // request + response bytes (HTTP API `DataProcessed`)
  invocations: number;
  errors: number;
  throttles: number;
  latency: Distribution;
  integrationLatency: Distribution;
  duration: Distribution;
  /** One sample per second: the most invocations in flight during that second. */
  concurrency: Distribution;
  /** Fine cells: the running maximum for this second (−1: nothing in flight was seen). */
  concurrencyMax: number;
}

/** Adds one request to a totals record (in place: this runs for every request of a flood). */
export function count(t: Totals, r: RequestRecord, invoked: boolean): void {
  t.offered++;
  t[r.outcome]++;
  if (invoked) t.invoked++;
  if (r.coldStart) t.coldStarts++;
  t.gbSeconds += r.gbSeconds;
  t.initGbSeconds += r.initGbSeconds;
  t.billedApiRequests += r.billedApiRequests;
  t.bytesOut += r.bytesOut;
}

export function newCell(start: number, span: number): MetricsCell {
  return {
    start,
    span,
    cohorts: new Map(),
    requests: 0,
    err4: 0,
    err5: 0,
    bytesProcessed: 0,
    invocations: 0,
    errors: 0,
    throttles: 0,
    latency: emptyDistribution(),
    integrationLatency: emptyDistribution(),
    duration: emptyDistribution(),
    concurrency: emptyDistribution(),
    concurrencyMax: -1,
  };
}

/** The concurrency samples of a cell, the fine tier's running maximum included. */
export function cellConcurrency(c: MetricsCell): Distribution {
  if (c.concurrencyMax < 0) return c.concurrency;
  const d = emptyDistribution();
  mergeDistribution(d, c.concurrency);
  observe(d, c.concurrencyMax);
  return d;
}

export function mergeCell(into: MetricsCell, from: MetricsCell): void {
  for (const [name, t] of from.cohorts) {
    let mine = into.cohorts.get(name);
    if (!mine) into.cohorts.set(name, (mine = emptyTotals()));
    addTotals(mine, t);
  }
  into.requests += from.requests;
  into.err4 += from.err4;
  into.err5 += from.err5;
  into.bytesProcessed += from.bytesProcessed;
  into.invocations += from.invocations;
  into.errors += from.errors;
  into.throttles += from.throttles;
  mergeDistribution(into.latency, from.latency);
  mergeDistribution(into.integrationLatency, from.integrationLatency);
  mergeDistribution(into.duration, from.duration);
  mergeDistribution(into.concurrency, cellConcurrency(from));
}

/** Adds one request to a cell's CloudWatch-style counters (its totals are counted by the caller). */
export function countInCell(cell: MetricsCell, r: RequestRecord, invoked: boolean): void {
  if (r.reachedGateway) {
    cell.requests++;
    if (r.status >= 400 && r.status < 500) cell.err4++;
    else if (r.status >= 500) cell.err5++;
    cell.bytesProcessed += r.bytesIn + r.bytesOut;
    observe(cell.latency, r.latencyMs);
    if (r.integrationLatencyMs !== undefined) observe(cell.integrationLatency, r.integrationLatencyMs);
  }
  if (r.outcome === 'lambdaThrottled') cell.throttles++;
  if (invoked) {
    cell.invocations++;
    if (r.functionError) cell.errors++;
    if (r.durationMs !== undefined) observe(cell.duration, r.durationMs);
  }
}

export function latencySummary(d: Distribution): LatencySummary | undefined {
  if (d.n === 0) return undefined;
  return {
    count: d.n,
    mean: d.sum / d.n,
    p50: percentile(d, 0.5) ?? d.max,
    p90: percentile(d, 0.9) ?? d.max,
    p99: percentile(d, 0.99) ?? d.max,
    max: d.max,
  };
}
