/**
 * The standard attack an audit prices every API under: one hour of a flood at the Region's
 * account-level API Gateway limit (the most API Gateway lets through before any throttle of the
 * user's own), aimed at the API's most exposed route, beside a trickle of legit users.
 */
import { parseScenario } from '../scenario/parse.ts';
import type { Scenario } from '../scenario/types.ts';
import type { Stack } from '../stack/types.ts';
import type { ApiModel, RouteModel } from './model.ts';

export const STANDARD_SCENARIO = 'account-limit-flood';
/** Legit users in the standard scenario (requests per second). */
export const LEGIT_RATE = 20;

/** A concrete request path for a route key: parameters filled with "x", $default → "/". */
export function concretePath(key: string): { method: string; path: string } {
  if (key === '$default') return { method: 'GET', path: '/' };
  const [method, path] = key.split(' ');
  return { method: method === 'ANY' ? 'GET' : method, path: path.replace(/\{[^}]+\}/g, 'x') };
}

/** The route an attacker would pick: public before protected, unthrottled before throttled, loosest first. */
export function attackedRoute(api: ApiModel): RouteModel | undefined {
  const exposure = (r: RouteModel) => (r.auth === 'none' ? 0 : 1) * 1e12 - (r.throttle ? Math.min(r.throttle.rate, 1e9) : 1e10);
  return [...api.routes].filter((r) => r.key === '$default' || r.key.includes(' /')).sort((a, b) => exposure(a) - exposure(b))[0];
}

/** The standard scenario for one derived stack (a Scenario, parsed by the project's own parser). */
export function standardScenario(stack: Stack, api: ApiModel): Scenario {
  const route = attackedRoute(api);
  const { method, path } = route && api.kind !== 'function-url' ? concretePath(route.key) : { method: 'GET', path: '/' };
  const plans = stack.api.usagePlans;
  // API keys are identification, not authorization (AWS says so): the attacker holds one key of the loosest plan
  const loosest = [...plans].sort((a, b) => (b.throttle?.rate ?? Infinity) - (a.throttle?.rate ?? Infinity))[0];
  const keyed = stack.api.apiKeyRequired && loosest;
  const rate = stack.api.account.rate; // function URLs have no account throttle: the same flood, for comparison
  const doc = {
    name: STANDARD_SCENARIO,
    description: `A 1-hour flood at the Region's account limit (${rate} rps) on ${method} ${path}, beside ${LEGIT_RATE} rps of users.`,
    request: { method, path },
    cohorts: [
      { name: 'users', role: 'legit', clients: 100, apiKey: keyed ? loosest.name : 'none', rate: [{ duration: '1h', rate: LEGIT_RATE }] },
      { name: 'bots', role: 'attack', clients: keyed ? 1 : 1000, apiKey: keyed ? loosest.name : 'none', rate: [{ duration: '1h', rate }] },
    ],
  };
  return parseScenario(JSON.stringify(doc), undefined);
}
