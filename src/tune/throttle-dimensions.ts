import type { Stack, Throttle } from '../stack/types.ts';
import { CATCH_ALL_ROUTE, matchRoute } from '../stack/routes.ts';
import { ladderDimension, ladder, spread, type Change, type Dimension, type Rung } from './dimension.ts';
import { peakClientRate, peakRate, requestShares, type CohortTraffic } from './traffic.ts';

/** Bursts tried for each rate: half, equal and twice the rate (AWS's own default is burst = rate / 2). */
const BURST_FACTORS = [0.5, 1, 2];

/**
 * The share of legit requests a tuned token bucket may refuse at the legit peak when they arrive
 * at random (as `dowsim run` sends them, and as real clients do) rather than evenly spaced (as
 * the simulator's fluid ticks see them): 1 in 10,000.
 */
export const RANDOM_ARRIVAL_LOSS = 1e-4;

/**
 * θ > 0 with e^θ − 1 = r·θ (r = rate/λ > 1), by Newton's method from the lower of 2(r − 1) and
 * 2·ln(2r), neither ever below it (e^θ ≥ 1 + θ + θ²/2; e^(2 ln 2r) = 4r² ≥ 1 + 2r·ln 2r): from
 * above, on a convex function, each step stays above the root.
 */
function refillExponent(r: number): number {
  let th = Math.min(2 * (r - 1), 2 * Math.log(2 * r));
  for (let i = 0; i < 100; i++) {
    const step = (Math.expm1(th) - r * th) / (Math.exp(th) - r);
    th -= step;
    if (Math.abs(step) < 1e-12 * th) break;
  }
  return th;
}

/**
 * The least whole burst at which a bucket of `rate` refuses at most RANDOM_ARRIVAL_LOSS of
 * requests arriving at random (Poisson, λ a second); Infinity at rate ≤ λ (no burst keeps up with
 * them for long). The share refused is estimated as (μ/λ) / (e^(θ·burst) − 1), μ = rate − λ, θ
 * solving λ(e^θ − 1) = rate·θ (the exponent at which a Poisson stream outruns a steady refill, a
 * large-deviations estimate), checked against a Monte Carlo in test/tune/random-arrivals.test.ts.
 * The fluid simulator sees none of this: a rate of exactly λ with burst 1 passes evenly spaced
 * arrivals whole, and a live run of random ones against it turned away over half of them.
 */
export function burstForRandomArrivals(lambda: number, rate: number): number {
  if (!(lambda > 0)) return 0;
  const mu = rate - lambda;
  // a rate at the peak (to a part in a million: a curve's top computed in floating point) none
  if (!(mu > 1e-6 * lambda)) return Infinity;
  // (μ/λ) / (e^(θb) − 1) ≤ L  ⇔  b ≥ ln(1 + μ/(λL)) / θ
  return Math.max(1, Math.ceil(Math.log1p(mu / (lambda * RANDOM_ARRIVAL_LOSS)) / refillExponent(rate / lambda) - 1e-9));
}

/** A token-bucket dimension: `path` as the stack file names it (api.stage, api.routes["GET /x"], …). */
function throttleDimension(opts: {
  path: string;
  base: Throttle | undefined;
  rates: number[];
  maxBurst: number;
  /** The legit peak one bucket of this dimension meets (requests a second): no burst is below what its random arrivals need. */
  legitPeak: number;
  apply: (stack: Stack, t: Throttle | null) => void;
  scope?: { route?: string; plan?: string };
  /** "none" hands the requests to this dimension's limit (a route without its own throttle takes the stage's): no looser than a set value unless that one is none too. */
  noneFallsTo?: string;
}): Dimension {
  const rungs: Rung<Throttle>[] = [];
  opts.rates.forEach((rate, level) => {
    // no rung refuses the legit peak's random arrivals more than RANDOM_ARRIVAL_LOSS (a rate at the
    // peak itself none: its bucket empties sooner or later whatever its size)
    const floor = burstForRandomArrivals(opts.legitPeak, rate);
    if (floor > opts.maxBurst) return;
    BURST_FACTORS.forEach((f, variant) => {
      const burst = Math.min(opts.maxBurst, Math.max(1, floor, Math.ceil(rate * f)));
      rungs.push({ value: { rate, burst }, level, variant });
    });
  });
  return ladderDimension<Throttle>({
    id: opts.path,
    base: opts.base ?? null,
    rungs,
    // the tightest, middle and loosest levels that have rungs, each by its burst = rate rung, or the
    // nearest burst where that one is the same as another (a floor for random arrivals above the
    // rate makes ½×, 1× and 2× one rung) and the ladder kept only the first
    coarse: (rs) => {
      const levels = spread([...new Set(rs.flatMap((r) => (r.value !== null && !Number.isNaN(r.level) ? [r.level] : [])))]);
      return levels.map((level) => {
        const at = rs.flatMap((r, i) => (r.value !== null && r.level === level ? [{ i, d: Math.abs(r.variant - 1) }] : []));
        return at.reduce((a, b) => (b.d < a.d ? b : a)).i;
      });
    },
    same: (a, b) => a.rate === b.rate && a.burst === b.burst,
    // a token bucket that refills at least as fast and holds at least as many tokens, fed the same
    // requests, never holds fewer tokens: it refuses nothing the tighter one lets through
    refuses: 'gatewayThrottled',
    ...(opts.scope ? { scope: opts.scope } : {}),
    ...(opts.noneFallsTo !== undefined ? { noneFallsTo: opts.noneFallsTo } : {}),
    looser: (a, b) => b.rate >= a.rate && b.burst >= a.burst,
    apply: opts.apply,
    changes: (from, to) => {
      const out: Change[] = [];
      if ((from?.rate ?? null) !== (to?.rate ?? null)) out.push({ path: `${opts.path}.rate`, from: from?.rate ?? null, to: to?.rate ?? null });
      if ((from?.burst ?? null) !== (to?.burst ?? null)) out.push({ path: `${opts.path}.burst`, from: from?.burst ?? null, to: to?.burst ?? null });
      return out;
    },
    describe: (v) => (v ? `${opts.path} ${v.rate}/${v.burst}` : `${opts.path} none`),
  });
}

const STAGE_PATH = 'api.stage';

/**
 * The stage's throttle (each route's, where it has none of its own). AWS applies it per method, so
 * its bounds are per route: below, the highest legit peak any one route of the stack carries (a
 * rate under it refuses that route's users); above, the highest total peak of one route (and the
 * account). A stack without routes is one catch-all route: all the traffic.
 */
export function stageDimension(stack: Stack, traffic: CohortTraffic[]): Dimension | undefined {
  if (stack.api.kind === 'function-url') return undefined;
  let legit = 0;
  let all = 0;
  for (const members of routeShares(stack, traffic, (matched) => matched).values()) {
    const peaks = routePeaks(traffic, members);
    legit = Math.max(legit, peaks.legit);
    all = Math.max(all, peaks.all);
  }
  const rates = ladder(legit, Math.min(all, stack.api.account.rate), { min: 1 });
  if (!rates.length && !stack.api.stage) return undefined;
  return throttleDimension({
    path: STAGE_PATH,
    base: stack.api.stage,
    rates,
    maxBurst: stack.api.account.burst,
    legitPeak: legit,
    apply: (s, t) => {
      if (t) s.api.stage = t;
      else delete s.api.stage;
    },
  });
}

/**
 * Per-route throttles, one dimension per route an attack cohort calls that does not carry every
 * request anyway (then it is the stage throttle again, unless the route has a throttle of its own:
 * that overrides the stage's, so only the route's dimension can lift it). A route's throttle takes the stage's place
 * for that route (AWS's method override); without one the route gets a bucket of the stage's size.
 * A route the stack does not declare is added as "METHOD /path" beside a catch-all
 * "ANY /{proxy+}", so no other path becomes unknown.
 */
export function routeDimensions(stack: Stack, traffic: CohortTraffic[]): Dimension[] {
  if (stack.api.kind === 'function-url') return [];
  const functionOf = new Map<string, string | undefined>();
  const keys = routeShares(stack, traffic, (matched, method, path) => {
    const key = routeKeyFor(matched, method, path);
    functionOf.set(key, stack.api.routeFunctions?.[matched]);
    return key;
  });
  const out: Dimension[] = [];
  for (const [key, members] of [...keys].sort(([a], [b]) => a.localeCompare(b))) {
    const attacked = [...members.keys()].some((c) => c.cohort.role === 'attack');
    const everything = members.size === traffic.length && [...members.values()].every((share) => share > 1 - 1e-9);
    const base = stack.api.routes[key] ?? undefined;
    // (a route with a throttle of its own is searched even then: the stage cannot stand in for an override)
    if (!attacked || (everything && !base)) continue;
    const { legit, all } = routePeaks(traffic, members);
    const rates = ladder(legit, Math.min(all, stack.api.account.rate), { min: 1 });
    if (!rates.length && !base) continue;
    out.push(
      throttleDimension({
        path: `api.routes["${key}"]`,
        base,
        rates,
        maxBurst: stack.api.account.burst,
        legitPeak: legit,
        apply: (s, t) => setRoute(s, stack, key, t, functionOf.get(key)),
        scope: { route: key },
        // a route without a throttle of its own takes the stage's, which may be the tighter
        noneFallsTo: STAGE_PATH,
      }),
    );
  }
  return out;
}

/**
 * Route key → cohort → the share of that cohort's requests the route carries. `keyOf` names the
 * key a request counts under, from the stack route it matches; a request no route matches is
 * refused before any throttle and counts nowhere.
 */
function routeShares(stack: Stack, traffic: CohortTraffic[], keyOf: (matched: string, method: string, path: string) => string): Map<string, Map<CohortTraffic, number>> {
  const keys = new Map<string, Map<CohortTraffic, number>>();
  for (const c of traffic) {
    for (const r of requestShares(c.cohort)) {
      const m = matchRoute(stack, r.method, r.path);
      if (!m) continue;
      const key = keyOf(m.key, r.method, r.path);
      const members = keys.get(key) ?? new Map<CohortTraffic, number>();
      members.set(c, (members.get(c) ?? 0) + r.share);
      keys.set(key, members);
    }
  }
  return keys;
}

/** The peak rates one route carries (its share of each cohort): of the legit cohorts, and of all. */
function routePeaks(traffic: CohortTraffic[], members: Map<CohortTraffic, number>): { legit: number; all: number } {
  const inRoute = (c: CohortTraffic) => members.get(c) ?? 0;
  return { legit: peakRate(traffic, (c) => (c.cohort.role === 'legit' ? inRoute(c) : 0)), all: peakRate(traffic, inRoute) };
}

/** The route key a request is throttled under: the stack's own matching route, or a new exact one. */
function routeKeyFor(matched: string, method: string, path: string): string {
  if (matched !== CATCH_ALL_ROUTE && !/[{$]/.test(matched)) return matched;
  return `${method.toUpperCase()} ${path.split('?')[0]}`;
}

/** Writes a route throttle; a new route keeps the function of the route that served it before. */
function setRoute(s: Stack, base: Stack, key: string, t: Throttle | null, fn: string | undefined): void {
  const declared = Object.prototype.hasOwnProperty.call(base.api.routes, key);
  if (t) {
    if (Object.keys(s.api.routes).length === 0) s.api.routes = { [CATCH_ALL_ROUTE]: null };
    s.api.routes[key] = t;
    if (!declared && fn !== undefined) s.api.routeFunctions = { ...s.api.routeFunctions, [key]: fn };
  } else if (declared) {
    s.api.routes[key] = null;
  } else {
    delete s.api.routes[key];
  }
}

/** Usage-plan per-key throttles, for the plans whose keys the scenarios' cohorts hold (REST only). */
export function usagePlanDimensions(stack: Stack, traffic: CohortTraffic[]): Dimension[] {
  if (stack.api.kind !== 'rest' || !stack.api.apiKeyRequired) return [];
  const out: Dimension[] = [];
  stack.api.usagePlans.forEach((plan, i) => {
    const holds = (c: CohortTraffic) => c.cohort.apiKey === plan.name;
    if (!traffic.some((c) => holds(c) && c.cohort.role === 'attack')) return;
    const legit = peakClientRate(traffic, (c) => holds(c) && c.cohort.role === 'legit');
    const all = peakClientRate(traffic, holds);
    const rates = ladder(legit, Math.min(all, stack.api.account.rate), { min: 1 });
    if (!rates.length && !plan.throttle) return;
    out.push(
      throttleDimension({
        path: `api.usagePlans[${i}].throttle`,
        base: plan.throttle,
        rates,
        maxBurst: stack.api.account.burst,
        // a plan's bucket is per key: one legit client's arrivals
        legitPeak: legit,
        scope: { plan: plan.name },
        apply: (s, t) => {
          if (t) s.api.usagePlans[i].throttle = t;
          else delete s.api.usagePlans[i].throttle;
        },
      }),
    );
  });
  return out;
}
