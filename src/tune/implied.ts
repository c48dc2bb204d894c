import type { VariantResult } from '../model/result.ts';
import type { Scenario } from '../scenario/types.ts';
import type { Candidate } from './evaluate.ts';
import type { Dimension, LimiterOutcome } from './dimension.ts';

/**
 * How many requests the limiters refused in a simulated candidate's runs, summed over the
 * scenarios: in all, per route key (gateway token buckets only), and per usage plan (the requests
 * of the cohorts holding its keys).
 */
export interface Refusals {
  total: Record<LimiterOutcome, number>;
  route: Record<string, number>;
  plan: Record<string, Record<LimiterOutcome, number>>;
  /** Per function (stackFunctions order): the peak concurrency its pool's answers compared with its limit, the most over the runs. */
  concurrency: number[];
}

export function noRefusals(): Record<LimiterOutcome, number> {
  return { wafBlocked: 0, gatewayThrottled: 0, quotaExceeded: 0, lambdaThrottled: 0 };
}

/** Nothing refused yet, no demand recorded. */
export function emptyRefusals(): Refusals {
  return { total: noRefusals(), route: {}, plan: {}, concurrency: [] };
}

/**
 * Whether the limiter a dimension sets refused nothing in a run: no request of its scope ended in
 * its outcome. A route throttle's scope is its route (any gateway bucket refusing a request on it
 * counts, the stage's and the account's too), a usage plan's the cohorts holding its keys;
 * everything else sees every request.
 */
export function refusedNothing(dim: Dimension, r: Refusals): boolean {
  const scope = dim.scope;
  if (scope?.route !== undefined) {
    // a route no run counted under that key: judge by every request instead
    const onRoute = r.route[scope.route];
    return onRoute === undefined ? r.total.gatewayThrottled === 0 : onRoute === 0;
  }
  if (scope?.plan !== undefined) return (r.plan[scope.plan]?.[dim.refuses] ?? 0) === 0;
  return r.total[dim.refuses] === 0;
}

/**
 * Whether candidate `c` is bound to do exactly what the simulated candidate `seen` did, so that
 * simulating it would only repeat that run. It is when every setting of `c` is `seen`'s own, or
 * differs on a limiter that refused nothing in `seen`'s run and is either looser
 * (Dimension.looser) or tight enough only to answer that run's questions as before
 * (Dimension.answersAsBefore: a reserved concurrency clear of the run's peak demand).
 *
 * Why: a limiter that refused nothing let every request it saw through. A looser one, shown the
 * same requests, refuses none of them either (a token bucket refilling at least as fast and as
 * deep never runs shorter of tokens; a WAF limit at least as high on the same window is crossed by
 * no more IPs; a quota at least as high on the same period is reached no sooner; a lone function's
 * concurrency cap at least as high is never reached sooner). Every limiter downstream then sees
 * the same requests as before, and every limiter upstream never saw the change: by induction over
 * the chain (WAF → keys and usage plans → stage and route throttles → Lambda) each request ends
 * the same way, with the same duration, cold start and bill. Only what the setting itself costs
 * can differ (a WAF rule and its inspections), and that is priced from the stack, not the run.
 *
 * The simulator's steps are its own, though: a looser limit can let it take a long stride where
 * the tighter one went tick by tick (steps that sum the same seconds differently), so on the
 * search's coarse ticks an implied figure may differ from a simulated one in the eighth digit
 * (seen: 1.5 parts in 10⁷ of a $/hour, `tune botnet-flood leech`, 10-s ticks). On 1-second ticks
 * the tests find them equal. A tighter reservation implies a run only when every answer its pool
 * gave, the stride plan's included, comes out the same (ConcurrencyPool.peakDemand): that run is
 * the simulated one to the last bit.
 */
export function implies(dims: Dimension[], seen: { candidate: Candidate; refusals: Refusals }, c: Candidate): boolean {
  for (let d = 0; d < dims.length; d++) {
    const from = seen.candidate[d];
    if (c[d] === from) continue;
    if (!standsFor(dims[d], from, c[d], seen.refusals, dims, c)) return false;
  }
  return true;
}

/**
 * Whether dimension `dim` at `to` answers a run simulated at `from` as `from` did: its limiter
 * refused nothing there, and `to` is looser, or no tighter than the run's recorded demand needs.
 */
export function standsFor(dim: Dimension, from: number, to: number, r: Refusals, dims: readonly Dimension[], c: Candidate): boolean {
  if (!refusedNothing(dim, r)) return false;
  if (dim.looser(from, to) || (dim.answersAsBefore?.(to, r) ?? false)) return true;
  // "none" hands the requests to another dimension's limit: the loosest when that is none in `c` too
  if (to !== 0 || dim.noneFallsTo === undefined) return false;
  const other = dims.findIndex((x) => x.id === dim.noneFallsTo);
  return other < 0 || c[other] === 0;
}

const LIMITER_OUTCOMES = ['wafBlocked', 'gatewayThrottled', 'quotaExceeded', 'lambdaThrottled'] as const;

/** Adds one scenario's priced run to `into`: totals, routes' gateway refusals, and each plan's keys' refusals. */
export function addRefusals(into: Refusals, run: VariantResult, scenario: Scenario): void {
  for (const o of LIMITER_OUTCOMES) into.total[o] += run.totals[o];
  for (const [key, t] of Object.entries(run.routes ?? {})) into.route[key] = (into.route[key] ?? 0) + t.gatewayThrottled;
  for (const cohort of scenario.cohorts) {
    const t = run.cohorts[cohort.name]?.totals;
    if (!t) continue;
    const plan = (into.plan[cohort.apiKey] ??= noRefusals());
    for (const o of LIMITER_OUTCOMES) plan[o] += t[o];
  }
}

/** Adds one scenario's refusals (addRefusals into a fresh record) to a candidate's across the scenarios. */
export function mergeRefusals(into: Refusals, r: Refusals): void {
  r.concurrency.forEach((x, i) => {
    if (!(x <= into.concurrency[i])) into.concurrency[i] = x;
  });
  for (const o of LIMITER_OUTCOMES) into.total[o] += r.total[o];
  for (const [key, n] of Object.entries(r.route)) into.route[key] = (into.route[key] ?? 0) + n;
  for (const [key, p] of Object.entries(r.plan)) {
    const plan = (into.plan[key] ??= noRefusals());
    for (const o of LIMITER_OUTCOMES) plan[o] += p[o];
  }
}
