import { INVOKED_OUTCOMES } from '../model/outcomes.ts';
import type { CohortTimeline, LatencySummary, Role, Timeline } from '../model/timeline.ts';
import { addTotals, emptyTotals, type Totals } from '../model/totals.ts';
import { emptyDistribution, observe, type Distribution } from './distribution.ts';
import { count, countInCell, latencySummary, mergeCell, newCell, type MetricsCell, type RequestRecord } from './metrics-cell.ts';

const MAX_ROUTES = 100;

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

  /** Records one finished request against the second it arrived in (keeps nothing of `r`: the front refills one object). */
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
    countInCell(cell, r, invoked);
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
