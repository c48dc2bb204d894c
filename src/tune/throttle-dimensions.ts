import type { Stack, Throttle } from '../stack/types.ts';
import { CATCH_ALL_ROUTE, matchRoute } from '../stack/routes.ts';
import { ladderDimension, ladder, spread, type Change, type Dimension, type Rung } from './dimension.ts';
import { peakClientRate, peakRate, type CohortTraffic } from './traffic.ts';

/** Bursts tried for each rate: half, equal and twice the rate (AWS's own default is burst = rate / 2). */
const BURST_FACTORS = [0.5, 1, 2];

/** A token-bucket dimension: `path` as the stack file names it (api.stage, api.routes["GET /x"], …). */
function throttleDimension(opts: {
  path: string;
  base: Throttle | undefined;
  rates: number[];
  maxBurst: number;
  apply: (stack: Stack, t: Throttle | null) => void;
}): Dimension {
  const rungs: Rung<Throttle>[] = [];
  opts.rates.forEach((rate, level) => {
    BURST_FACTORS.forEach((f, variant) => {
      const burst = Math.min(opts.maxBurst, Math.max(1, Math.ceil(rate * f)));
      rungs.push({ value: { rate, burst }, level, variant });
    });
  });
  return ladderDimension<Throttle>({
    id: opts.path,
    base: opts.base ?? null,
    rungs,
    coarse: (rs) => {
      const levels = spread(opts.rates.map((_, i) => i));
      return rs.flatMap((r, i) => (r.variant === 1 && levels.includes(r.level) ? [i] : []));
    },
    same: (a, b) => a.rate === b.rate && a.burst === b.burst,
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

/** The stage-wide throttle: bounded by the legit peak below and by the total peak and the account above. */
export function stageDimension(stack: Stack, traffic: CohortTraffic[]): Dimension | undefined {
  if (stack.api.kind === 'function-url') return undefined;
  const legit = peakRate(traffic, (c) => c.cohort.role === 'legit');
  const all = peakRate(traffic, () => true);
  const rates = ladder(legit, Math.min(all, stack.api.account.rate), { min: 1 });
  if (!rates.length && !stack.api.stage) return undefined;
  return throttleDimension({
    path: 'api.stage',
    base: stack.api.stage,
    rates,
    maxBurst: stack.api.account.burst,
    apply: (s, t) => {
      if (t) s.api.stage = t;
      else delete s.api.stage;
    },
  });
}

/**
 * Per-route throttles, one dimension per route an attack cohort calls that does not carry every
 * request anyway (then it is the stage throttle again). A route the stack does not declare is
 * added as "METHOD /path" beside a catch-all "ANY /{proxy+}", so no other path becomes unknown.
 */
export function routeDimensions(stack: Stack, traffic: CohortTraffic[]): Dimension[] {
  if (stack.api.kind === 'function-url') return [];
  const keys = new Map<string, CohortTraffic[]>();
  for (const c of traffic) {
    const key = routeKeyFor(stack, c.cohort.request.method, c.cohort.request.path);
    if (key !== undefined) keys.set(key, [...(keys.get(key) ?? []), c]);
  }
  const out: Dimension[] = [];
  for (const [key, members] of [...keys].sort(([a], [b]) => a.localeCompare(b))) {
    const attacked = members.some((c) => c.cohort.role === 'attack');
    if (!attacked || members.length === traffic.length) continue;
    const inRoute = (c: CohortTraffic) => members.includes(c);
    const legit = peakRate(traffic, (c) => inRoute(c) && c.cohort.role === 'legit');
    const all = peakRate(traffic, inRoute);
    const rates = ladder(legit, Math.min(all, stack.api.account.rate), { min: 1 });
    const base = stack.api.routes[key] ?? undefined;
    if (!rates.length && !base) continue;
    out.push(
      throttleDimension({
        path: `api.routes["${key}"]`,
        base,
        rates,
        maxBurst: stack.api.account.burst,
        apply: (s, t) => setRoute(s, stack, key, t),
      }),
    );
  }
  return out;
}

/** The route key a request is throttled under: the stack's own matching route, or a new exact one. */
function routeKeyFor(stack: Stack, method: string, path: string): string | undefined {
  const m = matchRoute(stack, method, path);
  if (!m) return undefined; // an unknown route is refused before any throttle
  if (m.key !== CATCH_ALL_ROUTE && !/[{$]/.test(m.key)) return m.key;
  return `${method.toUpperCase()} ${path.split('?')[0]}`;
}

function setRoute(s: Stack, base: Stack, key: string, t: Throttle | null): void {
  const declared = Object.prototype.hasOwnProperty.call(base.api.routes, key);
  if (t) {
    if (Object.keys(s.api.routes).length === 0) s.api.routes = { [CATCH_ALL_ROUTE]: null };
    s.api.routes[key] = t;
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
        apply: (s, t) => {
          if (t) s.api.usagePlans[i].throttle = t;
          else delete s.api.usagePlans[i].throttle;
        },
      }),
    );
  });
  return out;
}
