import type { Outcome } from '../model/outcomes.ts';
import { INVOKED_OUTCOMES } from '../model/outcomes.ts';
import type { CohortTimeline, LatencySummary, Role, Timeline } from '../model/timeline.ts';
import { addTotals, emptyTotals, type Totals } from '../model/totals.ts';
import { emptyDistribution, mergeDistribution, observe, percentile, type Distribution } from './distribution.ts';

const MAX_ROUTES = 100;

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

export interface MetricsStoreOptions {
  /** Seconds kept at 1-second resolution (default 3 h, as long as CloudWatch keeps high-resolution data). */
  fineSeconds?: number;
  /** Minutes kept at 60-second resolution after that (default 15 days, CloudWatch's 1-minute retention). */
  coarseMinutes?: number;
}

export interface CohortSummary {
  role: Role;
  totals: Totals;
  latency?: LatencySummary;
}

/** Adds one request to a totals record (in place: this runs for every request of a flood). */
function count(t: Totals, r: RequestRecord, invoked: boolean): void {
  t.offered++;
  t[r.outcome]++;
  if (invoked) t.invoked++;
  if (r.coldStart) t.coldStarts++;
  t.gbSeconds += r.gbSeconds;
  t.initGbSeconds += r.initGbSeconds;
  t.billedApiRequests += r.billedApiRequests;
  t.bytesOut += r.bytesOut;
}

function newCell(start: number, span: number): MetricsCell {
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

function mergeCell(into: MetricsCell, from: MetricsCell): void {
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

/**
 * The emulator's metrics: per-second cells for the last `fineSeconds`, per-minute cells for
 * `coarseMinutes` before that, and exact whole-run totals per cohort. Two fixed-size rings, so
 * memory stays flat however long the emulator runs; a second leaving the fine ring is folded into
 * its minute.
 */
export class MetricsStore {
  private readonly fine: (MetricsCell | undefined)[];
  private readonly coarse: (MetricsCell | undefined)[];
  private readonly run = new Map<string, { role: Role; totals: Totals; latency: Distribution }>();
  /** Whole-run totals per route key; past MAX_ROUTES keys everything new is "other" (bounded memory). */
  private readonly routeRun = new Map<string, Totals>();
  private first: number | undefined;
  private last: number | undefined;
  private inFlightNow = 0;

  constructor(opts: MetricsStoreOptions = {}) {
    this.fine = new Array(Math.max(60, Math.floor(opts.fineSeconds ?? 3 * 3600)));
    this.coarse = new Array(Math.max(1, Math.floor(opts.coarseMinutes ?? 15 * 1440)));
  }

  /** Records one finished request against the second it arrived in. */
  record(arrival: number, r: RequestRecord): void {
    const second = Math.floor(arrival);
    this.first = this.first === undefined ? second : Math.min(this.first, second);
    this.last = this.last === undefined ? second : Math.max(this.last, second);

    const invoked = INVOKED_OUTCOMES.includes(r.outcome);
    let whole = this.run.get(r.cohort);
    if (!whole) this.run.set(r.cohort, (whole = { role: r.role, totals: emptyTotals(), latency: emptyDistribution() }));
    count(whole.totals, r, invoked);
    observe(whole.latency, r.latencyMs);
    if (r.route !== undefined) {
      let rt = this.routeRun.get(r.route);
      if (!rt) {
        const key = this.routeRun.size < MAX_ROUTES ? r.route : 'other';
        rt = this.routeRun.get(key);
        if (!rt) this.routeRun.set(key, (rt = emptyTotals()));
      }
      count(rt, r, invoked);
    }

    const cell = this.cellFor(second);
    if (!cell) return; // older than everything kept
    let ct = cell.cohorts.get(r.cohort);
    if (!ct) cell.cohorts.set(r.cohort, (ct = emptyTotals()));
    count(ct, r, invoked);
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

  /** Invocations in flight changed (an invocation started or ended) at `now`. */
  concurrency(now: number, inFlight: number): void {
    this.inFlightNow = inFlight;
    const cell = this.cellFor(Math.floor(now));
    if (cell && cell.span === 1 && inFlight > cell.concurrencyMax) cell.concurrencyMax = inFlight;
  }

  get inFlight(): number {
    return this.inFlightNow;
  }

  /** First and last second with a recorded request (undefined before any). */
  get span(): { first: number; last: number } | undefined {
    return this.first === undefined || this.last === undefined ? undefined : { first: this.first, last: this.last };
  }

  /** Exact whole-run totals, all cohorts together. */
  totals(): Totals {
    const out = emptyTotals();
    for (const c of this.run.values()) addTotals(out, c.totals);
    return out;
  }

  /** Exact whole-run totals per route key (empty when no request carried its route). */
  routes(): Record<string, Totals> {
    const out: Record<string, Totals> = {};
    for (const [key, t] of this.routeRun) out[key] = { ...t };
    return out;
  }

  /** Exact whole-run totals per cohort, with a latency summary (ms, server-observed). */
  cohorts(): Record<string, CohortSummary> {
    const out: Record<string, CohortSummary> = {};
    for (const [name, c] of this.run) out[name] = { role: c.role, totals: { ...c.totals }, latency: latencySummary(c.latency) };
    return out;
  }

  /** Cells overlapping [from, to): fine seconds and coarse minutes, never the same second twice. */
  cells(from: number, to: number): MetricsCell[] {
    const out: MetricsCell[] = [];
    for (const c of this.fine) if (c && c.start >= from && c.start < to) out.push(c);
    for (const c of this.coarse) if (c && c.start + c.span > from && c.start < to) out.push(c);
    return out;
  }

  /**
   * The recorded traffic as a Timeline (source 'emulator'), per cohort, over [from, to) (default:
   * the first to the last second with traffic). Buckets are 1 s while the range is still held at
   * 1-second resolution, else 60 s, unless `bucketSeconds` says otherwise.
   */
  timeline(opts: { from?: number; to?: number; bucketSeconds?: number } = {}): Timeline {
    const span = this.span;
    const from = Math.floor(opts.from ?? span?.first ?? 0);
    const to = Math.max(from, Math.ceil(opts.to ?? (span ? span.last + 1 : from)));
    const cells = this.cells(from, to);
    const bucketSeconds = Math.max(1, Math.floor(opts.bucketSeconds ?? (cells.some((c) => c.span > 1) ? 60 : 1)));
    const count = Math.max(0, Math.ceil((to - from) / bucketSeconds));
    const cohorts = new Map<string, CohortTimeline>();
    const ensure = (name: string): CohortTimeline => {
      let ct = cohorts.get(name);
      if (!ct) {
        const whole = this.run.get(name);
        ct = { name, role: whole?.role ?? 'attack', buckets: Array.from({ length: count }, () => emptyTotals()) };
        if (whole) ct.latency = latencySummary(whole.latency);
        cohorts.set(name, ct);
      }
      return ct;
    };
    for (const name of this.run.keys()) ensure(name);
    for (const c of cells) {
      const i = Math.min(count - 1, Math.max(0, Math.floor((c.start - from) / bucketSeconds)));
      if (count === 0) break;
      for (const [name, t] of c.cohorts) addTotals(ensure(name).buckets[i], t);
    }
    // per-route totals are whole-run: only a timeline of the whole run carries them
    const whole = opts.from === undefined && opts.to === undefined && this.routeRun.size > 0;
    return {
      source: 'emulator',
      startTime: new Date(from * 1000).toISOString(),
      durationSeconds: to - from,
      bucketSeconds,
      cohorts: [...cohorts.values()],
      ...(whole ? { routes: this.routes() } : {}),
    };
  }

  private cellFor(second: number): MetricsCell | undefined {
    const i = second % this.fine.length;
    const c = this.fine[i];
    if (c && c.start === second) return c;
    if (!c || c.start < second) {
      if (c) this.fold(c);
      const fresh = newCell(second, 1);
      this.fine[i] = fresh;
      return fresh;
    }
    // the ring has moved past this second: it belongs to its minute now
    return this.coarseFor(second - (((second % 60) + 60) % 60));
  }

  private coarseFor(minute: number): MetricsCell | undefined {
    const i = Math.floor(minute / 60) % this.coarse.length;
    const c = this.coarse[i];
    if (c && c.start === minute) return c;
    if (!c || c.start < minute) {
      const fresh = newCell(minute, 60);
      this.coarse[i] = fresh;
      return fresh;
    }
    return undefined;
  }

  private fold(c: MetricsCell): void {
    const into = this.coarseFor(c.start - (((c.start % 60) + 60) % 60));
    if (into) mergeCell(into, c);
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
