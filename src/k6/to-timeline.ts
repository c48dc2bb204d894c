/**
 * A tally of k6 points → a Timeline (source 'k6'). Each second's requests are classified by
 * status; where the script recorded a hint (the body's message, the error-type header) for a
 * response, that hint decides instead. Hints and requests are separate k6 points a few
 * microseconds apart, so a hint that lands in the next second is matched to its neighbour.
 */
import { GATEWAY_BILLED_OUTCOMES, INVOKED_OUTCOMES, type Outcome } from '../model/outcomes.ts';
import type { CohortTimeline, Role, Timeline } from '../model/timeline.ts';
import { emptyTotals, withInvoked, type Totals } from '../model/totals.ts';
import type { Stack } from '../stack/types.ts';
import { hintFromKey, outcomeOf, type ResponseHint } from './response-hints.ts';
import { billableUnits, serverEstimate } from './server-estimate.ts';
import { latencySummary, type CohortTally, type K6Tally, type SecondTally } from './tally.ts';

/** Cohort of points that carry no `cohort` tag (a k6 script not written by dowsim). */
export const UNTAGGED_COHORT = 'k6';

export interface TimelineOptions {
  stack: Stack;
  /** Cohort order, roles and request sizes when the scenario is known. */
  cohorts?: readonly { name: string; role: Role; requestBytes: number }[];
  /**
   * What a response of a body-telling status without a matching hint said: API Gateway's default
   * body ('default': a script that records no hints) or something else ('unknown-message': a
   * summary, where only the known messages have sub-metrics of their own).
   */
  unhinted: 'default' | 'unknown-message';
  /** Length of one bucket; a summary import has a single bucket covering the run. */
  bucketSeconds?: number;
}

/** The timeline of everything tallied, per second (or per `bucketSeconds`), per cohort. */
export function tallyToTimeline(tally: K6Tally, opts: TimelineOptions): Timeline {
  const bucketSeconds = opts.bucketSeconds ?? 1;
  const first = Number.isFinite(tally.firstSecond) ? tally.firstSecond : 0;
  const last = Number.isFinite(tally.lastSecond) ? tally.lastSecond : first;
  const nBuckets = Math.max(1, Math.floor((last - first) / bucketSeconds) + 1);
  const estimate = serverEstimate(opts.stack);
  const known = new Map((opts.cohorts ?? []).map((c) => [c.name, c]));

  const names = [...(opts.cohorts ?? []).map((c) => c.name).filter((n) => tally.cohorts.has(n)), ...[...tally.cohorts.keys()].filter((n) => !known.has(n))];
  const cohorts: CohortTimeline[] = names.map((name) => {
    const c = tally.cohorts.get(name)!;
    const role: Role = known.get(name)?.role ?? c.role ?? 'attack';
    const units = billableUnits(opts.stack, known.get(name)?.requestBytes ?? 0);
    const buckets: Totals[] = Array.from({ length: nBuckets }, () => emptyTotals());
    const perSecond = classify(c, opts);
    for (const [second, t] of perSecond) {
      const b = buckets[Math.min(nBuckets - 1, Math.floor((second - first) / bucketSeconds))];
      for (const k of Object.keys(t) as (keyof Totals)[]) b[k] += t[k];
    }
    for (const b of buckets) {
      withInvoked(b);
      b.billedApiRequests = GATEWAY_BILLED_OUTCOMES.reduce((s, o) => s + b[o], 0) * units;
      b.gbSeconds = INVOKED_OUTCOMES.reduce((s, o) => s + b[o] * estimate.billedSeconds[o as 'succeeded' | 'failed' | 'timedOut'], 0) * estimate.gb;
    }
    const out: CohortTimeline = { name, role, buckets };
    const latency = latencySummary(c.latency);
    if (latency) out.latency = latency;
    return out;
  });

  return {
    source: 'k6',
    startTime: new Date(first * 1000).toISOString(),
    durationSeconds: runSeconds(tally) ?? nBuckets * bucketSeconds,
    bucketSeconds,
    cohorts,
  };
}

/**
 * How long the run sent for: from the first request sent to the last, stretched by one mean gap
 * (N requests span N − 1 gaps). Undefined without timed requests (a summary).
 */
function runSeconds(tally: K6Tally): number | undefined {
  if (!Number.isFinite(tally.firstMs) || tally.timed < 2) return undefined;
  const span = (tally.lastMs - tally.firstMs) / 1000;
  if (!(span > 0)) return undefined;
  return Math.round(((span * tally.timed) / (tally.timed - 1)) * 1000) / 1000;
}

/** Outcome counts per second of one cohort (gbSeconds and billed units are added by the caller). */
function classify(c: CohortTally, opts: TimelineOptions): Map<number, Totals> {
  const seconds = [...c.seconds.keys()].sort((a, b) => a - b);
  const avail = seconds.map((s) => new Map(c.seconds.get(s)!.statuses));
  const matched: { hint: ResponseHint; n: number }[][] = seconds.map(() => []);
  const leftovers: { i: number; hint: ResponseHint; n: number }[] = [];

  // a hint explains one request of its status in its own second (those from the first
  // milliseconds of a second last, as they may well belong to the second before)…
  seconds.forEach((s, i) => {
    const t = c.seconds.get(s)!;
    for (const [key, count] of [...t.hints, ...t.earlyHints]) {
      const hint = hintFromKey(key);
      const take = Math.min(count, avail[i].get(hint.status) ?? 0);
      if (take > 0) {
        matched[i].push({ hint, n: take });
        avail[i].set(hint.status, (avail[i].get(hint.status) ?? 0) - take);
      }
      if (count > take) leftovers.push({ i, hint, n: count - take });
    }
  });
  // …or in the second before (or after) it, when the two points fell on either side of a boundary
  for (const l of leftovers) {
    for (const j of [l.i - 1, l.i + 1]) {
      if (l.n === 0 || j < 0 || j >= seconds.length || Math.abs(seconds[j] - seconds[l.i]) > 1) continue;
      const take = Math.min(l.n, avail[j].get(l.hint.status) ?? 0);
      if (take > 0) {
        matched[j].push({ hint: l.hint, n: take });
        avail[j].set(l.hint.status, (avail[j].get(l.hint.status) ?? 0) - take);
        l.n -= take;
      }
    }
  }

  const apiKind = opts.stack.api.kind;
  const unhinted = opts.unhinted === 'default' ? undefined : 'unknown-message';
  const out = new Map<number, Totals>();
  seconds.forEach((s, i) => {
    const tally: SecondTally = c.seconds.get(s)!;
    const t = emptyTotals();
    for (const n of tally.statuses.values()) t.offered += n;
    for (const m of matched[i]) t[outcomeOf(apiKind, m.hint.status, m.hint) as Outcome] += m.n;
    for (const [status, n] of avail[i]) {
      if (n <= 0) continue;
      if (status === 0) t.connectionErrors += n; // k6 records status 0 when no HTTP answer came back
      else t[outcomeOf(apiKind, status, unhinted) as Outcome] += n;
    }
    t.bytesOut = tally.bytesIn;
    t.dropped = tally.dropped;
    out.set(s, t);
  });
  return out;
}
