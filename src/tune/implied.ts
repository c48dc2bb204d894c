import type { Candidate } from './evaluate.ts';
import type { Dimension, LimiterOutcome } from './dimension.ts';

/** Per limiter outcome: whether no request of any cohort in any scenario ended in it. */
export type Quiet = Record<LimiterOutcome, boolean>;

/**
 * Whether candidate `c` is bound to do exactly what the simulated candidate `seen` did, so that
 * simulating it would only repeat that run. It is when every setting of `c` is `seen`'s own, or a
 * looser one (Dimension.looser) of a kind that refused nothing in `seen`'s run (no request in any
 * scenario ended as that limiter's outcome).
 *
 * Why: a limiter that refused nothing let every request it saw through. A looser one, shown the
 * same requests, refuses none of them either (a token bucket refilling at least as fast and as
 * deep never runs shorter of tokens; a WAF limit at least as high on the same window is crossed by
 * no more IPs; a lone function's concurrency cap at least as high is never reached sooner). Every
 * limiter downstream then sees the same requests as before, and every limiter upstream never saw
 * the change: by induction over the chain (WAF → keys and usage plans → stage and route throttles
 * → Lambda) each request ends the same way, with the same duration, cold start and bill. Only
 * what the setting itself costs can differ (a WAF rule and its inspections), and that is priced
 * from the stack, not from the run.
 */
export function implies(dims: Dimension[], seen: { candidate: Candidate; quiet: Quiet }, c: Candidate): boolean {
  for (let d = 0; d < dims.length; d++) {
    const from = seen.candidate[d];
    if (c[d] === from) continue;
    if (!seen.quiet[dims[d].refuses] || !dims[d].looser(from, c[d])) return false;
  }
  return true;
}

/** Which limiter outcomes no request met, from per-scenario totals. */
export function quietOf(totals: Record<LimiterOutcome, number>[]): Quiet {
  const none = (k: LimiterOutcome) => totals.every((t) => t[k] === 0);
  return { wafBlocked: none('wafBlocked'), gatewayThrottled: none('gatewayThrottled'), quotaExceeded: none('quotaExceeded'), lambdaThrottled: none('lambdaThrottled') };
}
