/**
 * Measured (client) vs server-side vs predicted (simulator) counts of one live run: the deviation
 * per outcome, and the plain warnings a reader needs — above all when a throttle the stack
 * declares did not take effect on the target.
 */
import { OUTCOMES } from '../model/outcomes.ts';
import type { LiveComparison } from '../model/result.ts';
import { cohortTotals, timelineTotals, type Timeline } from '../model/timeline.ts';
import { addTotals, emptyTotals, type Totals } from '../model/totals.ts';
import { formatDuration } from '../model/units.ts';
import { CLOUDWATCH_BLIND } from '../collect/to-timeline.ts';
import type { Scenario } from '../scenario/types.ts';
import { matchRoute } from '../stack/routes.ts';
import type { Stack, Throttle } from '../stack/types.ts';

export type Deviation = NonNullable<LiveComparison['deviation']>;

const COMPARED = ['offered', ...OUTCOMES, 'invoked'] as const;

/** Per outcome: measured, server (when known) and predicted counts, and measured vs predicted. */
export function deviation(measured: Timeline, predicted: Timeline, server?: Timeline): Deviation {
  const m = timelineTotals(measured);
  const p = timelineTotals(predicted);
  const s = server ? timelineTotals(server) : undefined;
  // CloudWatch's 0 for what it cannot tell from a throttle is no count: no server figure there
  const blind: readonly string[] = server?.source === 'cloudwatch' ? CLOUDWATCH_BLIND : [];
  const out: Deviation = {};
  for (const k of COMPARED) {
    const row: Deviation[string] = { measured: m[k], predicted: p[k], relative: relative(m[k], p[k]) };
    if (s && !blind.includes(k)) row.server = s[k];
    out[k] = row;
  }
  return out;
}

/** (measured − predicted) / predicted; 0 when both are 0, 1 when only the measurement has any. */
function relative(measured: number, predicted: number): number {
  if (predicted === 0) return measured === 0 ? 0 : 1;
  return (measured - predicted) / predicted;
}

/** Requests that got past API Gateway's throttles (the integration saw them). */
function passedGateway(t: Totals): number {
  return t.lambdaThrottled + t.succeeded + t.failed + t.timedOut;
}

/** How far above a throttle's allowance the served count must be to call the throttle ineffective. */
const SLACK = 1.5;

/**
 * Checks every throttle the stack declares against what the client saw pass: a token bucket of
 * rate r and burst b lets through at most b + r × T in T seconds. Served far above that means
 * the deployed API does not enforce what the stack file says.
 */
export function throttleWarnings(scenario: Scenario, stack: Stack, measured: Timeline): string[] {
  const T = measured.durationSeconds;
  if (!(T > 0) || stack.api.kind === 'function-url') return [];
  const byCohort = new Map(measured.cohorts.map((c) => [c.name, cohortTotals(c)]));
  const warnings: string[] = [];
  const check = (what: string, th: Throttle, passed: number, keys = 1, each = 'keys') => {
    const allowed = keys * (th.burst + th.rate * T);
    if (passed > SLACK * allowed + 10) {
      warnings.push(
        `${what} throttle (rate ${th.rate}/s, burst ${th.burst}${keys > 1 ? `, ${keys.toLocaleString('en-US')} ${each}` : ''}) did not take effect: ` +
          `${passed.toLocaleString('en-US')} requests got through in ${formatDuration(round(T))}, far above the ` +
          `${Math.round(allowed).toLocaleString('en-US')} it allows. The target does not enforce what the stack file declares: check its throttling settings.`,
      );
    }
  };

  // each cohort's requests, as the routes they land on (undefined: no route, refused)
  const routesOf = new Map(scenario.cohorts.map((c) => [c.name, c.requests.map((q) => matchRoute(stack, q.method, q.path))]));

  // The stage's throttle applies per route (AWS: "at the API method level"), to the routes without
  // their own: the cohorts whose every request lands on such routes, against one allowance per route.
  const stage = stack.api.stage;
  if (stage) {
    const routes = new Set<string>();
    const served = emptyTotals();
    for (const c of scenario.cohorts) {
      const matched = routesOf.get(c.name)!;
      const t = byCohort.get(c.name);
      if (!t || matched.some((r) => !r || r.throttle)) continue;
      for (const r of matched) routes.add(r!.key);
      addTotals(served, t);
    }
    if (routes.size) check('The stage', stage, passedGateway(served), routes.size, 'routes');
  }

  // Route throttles: the cohorts whose requests land on each throttled route.
  const perRoute = new Map<string, { throttle: Throttle; totals: Totals }>();
  for (const c of scenario.cohorts) {
    // a cohort whose mix spans several routes cannot be split by the client's counts: skipped
    const matched = routesOf.get(c.name)!;
    if (new Set(matched.map((r) => r?.key)).size !== 1) continue;
    const r = matched[0];
    const t = byCohort.get(c.name);
    if (!r?.throttle || !t) continue;
    const entry = perRoute.get(r.key) ?? { throttle: r.throttle, totals: emptyTotals() };
    addTotals(entry.totals, t);
    perRoute.set(r.key, entry);
  }
  for (const [key, { throttle, totals }] of perRoute) check(`The route "${key}"`, throttle, passedGateway(totals));

  // Usage-plan throttles apply per key: a cohort's clients each hold one.
  if (stack.api.kind === 'rest') {
    for (const c of scenario.cohorts) {
      const plan = stack.api.usagePlans.find((p) => p.name === c.apiKey);
      const t = byCohort.get(c.name);
      if (!plan?.throttle || !t || !stack.api.apiKeyRequired) continue;
      check(`Usage plan "${plan.name}" (cohort ${c.name})`, plan.throttle, passedGateway(t), Math.max(1, c.clients));
    }
  }
  return warnings;
}

function round(s: number): number {
  return Math.round(s * 10) / 10;
}
