import type { Scenario, Cohort } from '../scenario/types.ts';
import type { Stack } from '../stack/types.ts';
import type { AdmitRequest } from '../limits/gateway.ts';
import { arrivalsBetween, constantUntil, profileDuration } from '../scenario/profile.ts';
import { functionIndexOfRoute } from '../stack/functions.ts';
import { matchRoute } from '../stack/routes.ts';
import { representativeAddresses, representativeKey } from './identities.ts';
import { NF } from './fields.ts';

/**
 * One lane: what one cohort sends to one request of its mix (a share weight / Σ weights of the
 * cohort's arrivals), through one route to one function. A cohort without a mix is one lane.
 * Everything a tick needs that does not change (route, function, identity) is worked out here once.
 */
export interface Lane {
  cohort: Cohort;
  cohortIndex: number;
  share: number;
  bodyBytes: number;
  req: AdmitRequest;
  /** The route that serves it, or "METHOD /path (no route)". */
  routeKey: string;
  routed: boolean;
  fn: number; // index into the stack's functions
  lastEpoch: number;
  duration: number;
  buckets: Float64Array; // nb × NF fluid counts
}

/** The cohorts a run simulates (`onlyRole` keeps one role's) and their lanes, each with `nb` output buckets. */
export function buildLanes(scenario: Scenario, stack: Stack, onlyRole: 'legit' | 'attack' | undefined, nb: number): { cohorts: Cohort[]; lanes: Lane[] } {
  const cohorts = scenario.cohorts.filter((c) => !onlyRole || c.role === onlyRole);
  const lanes: Lane[] = [];
  scenario.cohorts.forEach((cohort, i) => {
    if (onlyRole && cohort.role !== onlyRole) return;
    const weights = cohort.requests.reduce((sum, r) => sum + r.weight, 0);
    for (const r of cohort.requests) {
      const route = matchRoute(stack, r.method, r.path);
      lanes.push({
        cohort,
        cohortIndex: cohorts.indexOf(cohort),
        share: r.weight / weights,
        bodyBytes: r.bodyBytes,
        req: { method: r.method, path: r.path, apiKey: representativeKey(cohort, i), ...representativeAddresses(cohort), clients: cohort.clients },
        routeKey: route ? route.key : `${r.method} ${r.path} (no route)`,
        routed: route !== undefined,
        fn: functionIndexOfRoute(stack, route?.key),
        lastEpoch: 0,
        duration: profileDuration(cohort.rate),
        buckets: new Float64Array(nb * NF),
      });
    }
  });
  return { cohorts, lanes };
}

/** A lane's cohort's arrivals over [a, b), its profile repeating every S seconds (repetition k k·S ahead). */
export function repeatingArrivals(r: Lane, a: number, b: number, S: number): number {
  let total = 0;
  let s = a;
  while (s < b - 1e-12) {
    const k = Math.floor(s / S + 1e-9);
    const local = s - k * S;
    const e = Math.min(b, (k + 1) * S);
    const lb = local + (e - s);
    if (local < r.duration) total += arrivalsBetween(r.cohort.rate, local, Math.min(lb, r.duration), k * S);
    s = e;
  }
  return total;
}

/** Until when from t the lane's rate stays the same (its profile repeating every S seconds). */
export function repeatingConstantUntil(r: Lane, t: number, S: number): number {
  const k = Math.floor(t / S + 1e-9);
  const local = t - k * S;
  const periodEnd = (k + 1) * S;
  if (local >= r.duration - 1e-9) return periodEnd; // silent until the scenario starts over
  const cu = constantUntil(r.cohort.rate, local, k * S);
  if (cu <= local) return t;
  return Math.min(periodEnd, t + (cu - local));
}
