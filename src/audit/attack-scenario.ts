/**
 * The standard attacks an audit prices every API under: one hour of a flood at the Region's
 * account-level API Gateway limit (the most API Gateway lets through before any throttle of the
 * user's own), beside a trickle of legit users — aimed at the API's most exposed route, and, for an
 * API with several routes equally exposed, spread over them all (AWS applies a stage's throttle per
 * method: each route lets the stage's rate through). The worse of the two is the API's risk.
 */
import { parseScenario } from '../scenario/parse.ts';
import type { Scenario } from '../scenario/types.ts';
import { matchRoute } from '../stack/routes.ts';
import type { Stack, UsagePlan } from '../stack/types.ts';
import type { ApiModel, RouteModel } from './model.ts';

export const STANDARD_SCENARIO = 'account-limit-flood';
export const SPREAD_SCENARIO = 'account-limit-spread';
/** The most routes a spread flood calls (the most exposed first): a bound on the audit's work. */
export const SPREAD_MAX_ROUTES = 64;
/** Legit users in the standard scenario (requests per second). */
export const LEGIT_RATE = 20;

/** A concrete request path for a route key: parameters filled with "x", $default → "/". */
export function concretePath(key: string): { method: string; path: string } {
  if (key === '$default') return { method: 'GET', path: '/' };
  const [method, path] = key.split(' ');
  return { method: method === 'ANY' ? 'GET' : method, path: path.replace(/\{[^}]+\}/g, 'x') };
}

const exposure = (r: RouteModel) => (r.auth === 'none' ? 0 : 1) * 1e12 - (r.throttle ? Math.min(r.throttle.rate, 1e9) : 1e10);

/** The routes an attacker can call, the most exposed first: public before protected, unthrottled before throttled, loosest first. */
function byExposure(api: ApiModel): RouteModel[] {
  return [...api.routes].filter((r) => r.key === '$default' || r.key.includes(' /')).sort((a, b) => exposure(a) - exposure(b));
}

/** The route an attacker would pick: public before protected, unthrottled before throttled, loosest first. */
export function attackedRoute(api: ApiModel): RouteModel | undefined {
  return byExposure(api)[0];
}

/** The standard scenarios for one derived stack (Scenarios, parsed by the project's own parser): the flood of the most exposed route, and the spread one where there is one. */
export function standardScenarios(stack: Stack, api: ApiModel): Scenario[] {
  const spread = spreadScenario(stack, api);
  return spread ? [standardScenario(stack, api), spread] : [standardScenario(stack, api)];
}

/** The flood of the most exposed route. */
export function standardScenario(stack: Stack, api: ApiModel): Scenario {
  const route = attackedRoute(api);
  const { method, path } = route && api.kind !== 'function-url' ? concretePath(route.key) : { method: 'GET', path: '/' };
  const rate = stack.api.account.rate; // function URLs have no account throttle: the same flood, for comparison
  return floodScenario(stack, STANDARD_SCENARIO, `A 1-hour flood at the Region's account limit (${rate} rps) on ${method} ${path}, beside ${LEGIT_RATE} rps of users.`, { method, path }, [{ method, path }]);
}

/**
 * The same flood spread evenly over every route as exposed as the most exposed one (public ones
 * when there are any; at most SPREAD_MAX_ROUTES of them), the users on the most exposed route as
 * in the standard one. Undefined when fewer than two routes qualify (or for a function URL).
 */
export function spreadScenario(stack: Stack, api: ApiModel): Scenario | undefined {
  if (api.kind === 'function-url') return undefined;
  const routes = byExposure(api);
  if (routes.length < 2) return undefined;
  const publicFirst = routes[0].auth === 'none' ? routes.filter((r) => r.auth === 'none') : routes;
  const seen = new Set<string>();
  const requests: { method: string; path: string }[] = [];
  for (const r of publicFirst) {
    const q = concretePath(r.key);
    const id = `${q.method} ${q.path}`;
    if (seen.has(id)) continue;
    seen.add(id);
    requests.push(q);
    if (requests.length === SPREAD_MAX_ROUTES) break;
  }
  if (requests.length < 2) return undefined;
  const rate = stack.api.account.rate;
  const users = concretePath(routes[0].key);
  return floodScenario(stack, SPREAD_SCENARIO, `A 1-hour flood at the Region's account limit (${rate} rps) spread evenly over ${requests.length} routes, beside ${LEGIT_RATE} rps of users on ${users.method} ${users.path}.`, users, requests);
}

function floodScenario(stack: Stack, name: string, description: string, users: { method: string; path: string }, bots: { method: string; path: string }[]): Scenario {
  const plans = stack.api.usagePlans;
  // API keys are identification, not authorization (AWS says so): the attacker holds one key of the
  // plan that lets the most of the bots' requests through: its own throttle, or the sum of its
  // per-method throttles on the routes they call, whichever is lower
  const routeKeys = bots.map((q) => matchRoute(stack, q.method, q.path)?.key);
  const allows = (p: UsagePlan) => {
    const methods = routeKeys.reduce((sum, k) => sum + ((k !== undefined ? p.routes?.[k]?.rate : undefined) ?? Infinity), 0);
    return Math.min(p.throttle?.rate ?? Infinity, methods);
  };
  const loosest = [...plans].sort((a, b) => allows(b) - allows(a))[0];
  const keyed = stack.api.apiKeyRequired && loosest;
  const rate = stack.api.account.rate;
  const doc = {
    name,
    description,
    request: users,
    cohorts: [
      { name: 'users', role: 'legit', clients: 100, apiKey: keyed ? loosest.name : 'none', rate: [{ duration: '1h', rate: LEGIT_RATE }] },
      { name: 'bots', role: 'attack', clients: keyed ? 1 : 1000, apiKey: keyed ? loosest.name : 'none', ...(bots.length > 1 ? { requests: bots } : {}), rate: [{ duration: '1h', rate }] },
    ],
  };
  return parseScenario(JSON.stringify(doc), undefined);
}
