import { scenarioDuration } from '../scenario/profile.ts';
import { diurnalPeriods } from '../scenario/repetition.ts';
import { sampleArrivals } from './arrival-samples.ts';
import type { Cohort, Scenario } from '../scenario/types.ts';
import { judgedSpan } from './span.ts';

/** A cohort's arrivals second by second (per `step` seconds for very long scenarios). */
export interface CohortTraffic {
  scenario: number; // index into the scenarios
  cohort: Cohort;
  step: number; // seconds per sample
  arrivals: Float64Array; // requests in [i·step, (i+1)·step)
  seconds: number; // the span judged (span.ts): the scenario repeated until its traffic comes round
}

/** At most this many samples per cohort: a 30-day scenario is sampled every 13 s, not every second. */
const MAX_SAMPLES = 200_000;

/**
 * Every cohort's arrivals over the span its scenario is judged over (span.ts: repetition k plays
 * the profile k·S ahead, so a diurnal curve's peak hours count), sampled once: the search bounds
 * come from these.
 */
export function scenarioTraffic(scenarios: Scenario[]): CohortTraffic[] {
  const out: CohortTraffic[] = [];
  const fills: { once: number; fill: () => void }[] = [];
  scenarios.forEach((s, i) => {
    const S = Math.max(1, scenarioDuration(s));
    const span = judgedSpan(s).seconds;
    const step = Math.max(1, Math.ceil(span / MAX_SAMPLES));
    const n = Math.max(1, Math.ceil(span / step));
    // a profile without a moving diurnal curve plays the same every repetition: when the samples
    // fit a repetition exactly, its first repetition's samples are every repetition's
    const perRun = Number.isInteger(S) && S % step === 0 ? S / step : 0;
    for (const cohort of s.cohorts) {
      const arrivals = new Float64Array(n);
      const once = perRun > 0 && diurnalPeriods([cohort.rate]).length === 0 ? Math.min(n, perRun) : n;
      const fill = () => {
        sampleArrivals(cohort.rate, arrivals, once, step, span, S);
        for (let k = once; k < n; k += once) arrivals.copyWithin(k, 0, Math.min(once, n - k));
      };
      fills.push({ once, fill });
      out.push({ scenario: i, cohort, step, arrivals, seconds: span });
    }
  });
  // shortest first: the sampler meets every shape before a long curve makes V8 optimise it for
  // the shapes seen so far (a day's diurnal samples first, then a ramp, undid that code)
  fills.sort((a, b) => a.once - b.once).forEach((f) => f.fill());
  return out;
}

/** peakRate's answers per traffic and shares: the dimensions ask the same sums several times (the legit peak for the stage, a route all of them take, each function). */
const peaks = new WeakMap<CohortTraffic[], Map<string, number>>();

/**
 * The highest total rate (requests per second) of the traffic `pick` selects, at any moment of any
 * scenario: `pick` answers for each cohort whether (true) or which share (0..1, a request mix's
 * weight) of its requests count.
 */
export function peakRate(traffic: CohortTraffic[], pick: (c: CohortTraffic) => boolean | number): number {
  const shares = traffic.map((c) => Number(pick(c)));
  let known = peaks.get(traffic);
  if (!known) peaks.set(traffic, (known = new Map()));
  const key = shares.join(',');
  let peak = known.get(key);
  if (peak !== undefined) return peak;
  const byScenario = new Map<number, { a: Float64Array; share: number }[]>();
  traffic.forEach((c, i) => {
    if (shares[i] > 0) byScenario.set(c.scenario, [...(byScenario.get(c.scenario) ?? []), { a: c.arrivals, share: shares[i] }]);
  });
  peak = 0;
  for (const list of byScenario.values()) {
    const step = traffic.find((c) => c.arrivals === list[0].a)!.step;
    // the largest sum, then divided: dividing by step > 0 keeps the order, so it is the largest quotient
    peak = Math.max(peak, largestSum(list) / step);
  }
  known.set(key, peak);
  return peak;
}

/**
 * The largest of Σ share·a[k] over the samples k, each sum added cohort by cohort from 0 (as a
 * per-sample loop would). One loop per count of cohorts, each optimised once by V8 (one function
 * with three branches was compiled again for each branch a later call took).
 */
function largestSum(list: { a: Float64Array; share: number }[]): number {
  if (list.length === 1) return largestOne(list[0].a, list[0].share);
  if (list.length === 2) return largestTwo(list[0].a, list[0].share, list[1].a, list[1].share);
  let top = 0;
  for (let k = 0; k < list[0].a.length; k++) {
    let sum = 0;
    for (const { a, share } of list) sum += a[k] * share;
    top = Math.max(top, sum);
  }
  return top;
}

function largestOne(a: Float64Array, share: number): number {
  let top = 0;
  for (let k = 0; k < a.length; k++) top = Math.max(top, a[k] * share);
  return top;
}

function largestTwo(a: Float64Array, sa: number, b: Float64Array, sb: number): number {
  let top = 0;
  for (let k = 0; k < a.length; k++) top = Math.max(top, a[k] * sa + b[k] * sb);
  return top;
}

/** The share of a cohort's requests that go to each "METHOD path" of its mix (one request: 1). */
export function requestShares(cohort: Cohort): { method: string; path: string; share: number }[] {
  const total = cohort.requests.reduce((s, r) => s + r.weight, 0);
  return cohort.requests.map((r) => ({ method: r.method, path: r.path, share: total > 0 ? r.weight / total : 1 / cohort.requests.length }));
}

/** The highest per-client rate (requests per second) of the cohorts `pick` selects. */
export function peakClientRate(traffic: CohortTraffic[], pick: (c: CohortTraffic) => boolean): number {
  let peak = 0;
  for (const c of traffic) {
    if (!pick(c)) continue;
    // the largest sample, then divided (division by a positive number keeps the order)
    let top = 0;
    for (const a of c.arrivals) top = Math.max(top, a);
    peak = Math.max(peak, top / c.step / c.cohort.clients);
  }
  return peak;
}

/**
 * The most requests one client of the picked cohorts sends within any `window` seconds — what a
 * per-IP WAF rate rule counts. A rotating client's count starts over with each fresh IP, so its
 * window is at most the rotation period.
 */
export function peakClientWindowCount(traffic: CohortTraffic[], pick: (c: CohortTraffic) => boolean, window: number): number {
  let peak = 0;
  for (const c of traffic) {
    if (!pick(c)) continue;
    const w = Math.max(1, Math.round(Math.min(window, c.cohort.rotate ?? Infinity) / c.step));
    // divided once: division by a positive number keeps the order
    peak = Math.max(peak, largestWindow(c.arrivals, w) / c.cohort.clients);
  }
  return peak;
}

/**
 * The largest running sum of w consecutive samples. A loop of its own: V8 optimises it once for
 * every cohort and window, where inside the loop over cohorts each new cohort's pick and fields
 * undid the optimised code (five compiles in a fresh process).
 */
function largestWindow(a: Float64Array, w: number): number {
  let sum = 0;
  let top = 0;
  for (let k = 0; k < a.length; k++) {
    sum += a[k];
    if (k >= w) sum -= a[k - w];
    top = Math.max(top, sum);
  }
  return top;
}

/** The most requests one client (one API key) of the picked cohorts sends over its scenario's judged span. */
export function peakClientCount(traffic: CohortTraffic[], pick: (c: CohortTraffic) => boolean): number {
  let peak = 0;
  for (const c of traffic) {
    if (!pick(c)) continue;
    let sum = 0;
    for (const a of c.arrivals) sum += a;
    peak = Math.max(peak, sum / c.cohort.clients);
  }
  return peak;
}

/**
 * The most requests one client of the picked cohorts can send within `period` seconds when its
 * scenario repeats back to back (what a usage-plan quota over that period must leave it).
 */
export function peakClientPeriodCount(traffic: CohortTraffic[], pick: (c: CohortTraffic) => boolean, period: number): number {
  let peak = 0;
  for (const c of traffic) {
    if (!pick(c)) continue;
    // a repeating run of S seconds puts its whole count in any k·S seconds, and at most that in less
    const runs = Math.max(1, Math.ceil(period / Math.max(1, c.seconds) - 1e-9));
    peak = Math.max(peak, peakClientCount([c], () => true) * runs);
  }
  return peak;
}
