/**
 * Stack rules that are AWS facts spanning several keys (aws-facts.md), checked on the raw file
 * data so they are reported together with the schema's problems.
 */
import type { RawProblem } from '../input/problems.ts';
import { child, finite, has, isMapValue, list, seconds } from '../input/raw.ts';
import { accountDefaults } from './account-defaults.ts';
import { functionRules } from './function-rules.ts';
import { parseRouteKey, routeShape } from './route-key.ts';


export function stackRules(data: Record<string, unknown>): RawProblem[] {
  const problems: RawProblem[] = [];
  const add = (path: (string | number)[], message: string) => problems.push({ path, message });
  const api = child(data, 'api');
  const kind = api?.kind;
  const region = typeof data.region === 'string' ? data.region : 'us-east-1';

  if (api && (kind === 'http' || kind === 'function-url')) {
    const what = kind === 'http' ? 'HTTP APIs' : 'function URLs';
    if (list(api, 'usagePlans').length > 0) {
      add(['api', 'usagePlans'], `expected no usage plans: ${what} have none (usage plans are REST only; remove them or use kind: rest)`);
    }
    if (api.apiKeyRequired === true) {
      add(['api', 'apiKeyRequired'], `expected false: ${what} have no API keys (REST only)`);
    }
  }
  if (has(data, 'waf') && (kind === 'http' || kind === 'function-url')) {
    add(['waf'], `expected no waf: AWS WAF attaches to REST APIs, not to ${kind === 'http' ? 'HTTP APIs' : 'function URLs'}`);
  }
  if (api && kind === 'function-url') {
    for (const key of ['stage', 'routes', 'account'] as const) {
      if (has(api, key)) {
        add(['api', key], `expected no ${key}: a function URL has no API Gateway throttles; its only throttle is lambda.reservedConcurrency`);
      }
    }
    if (has(api, 'integrationTimeout')) {
      add(['api', 'integrationTimeout'], 'expected no integrationTimeout: a function URL waits for the function up to lambda.timeout');
    }
  }
  if (api && kind === 'http') {
    const t = seconds(api.integrationTimeout);
    if (t !== undefined && t > 30) add(['api', 'integrationTimeout'], `expected at most 30s for an HTTP API, got ${t}s`);
  }

  // Stage, route and usage-plan limits cannot exceed the account's (aws-facts.md).
  const accountRaw = child(api, 'account');
  const account = {
    rate: finite(accountRaw?.rate) ?? accountDefaults(region).rate,
    burst: finite(accountRaw?.burst) ?? accountDefaults(region).burst,
  };
  const withinAccount = (throttle: Record<string, unknown> | undefined, path: (string | number)[]) => {
    if (!throttle) return;
    const rate = finite(throttle.rate);
    const burst = finite(throttle.burst);
    const hint = accountRaw ? '' : ' (raise api.account if your account quota was raised)';
    if (rate !== undefined && rate > account.rate) add([...path, 'rate'], `expected at most the account's rate (${account.rate})${hint}, got ${rate}`);
    if (burst !== undefined && burst > account.burst) add([...path, 'burst'], `expected at most the account's burst (${account.burst})${hint}, got ${burst}`);
  };
  if (kind !== 'function-url') {
    withinAccount(child(api, 'stage'), ['api', 'stage']);
    list(api, 'usagePlans').forEach((plan, i) => {
      withinAccount(child(plan, 'throttle'), ['api', 'usagePlans', i, 'throttle']);
      for (const [key, t] of Object.entries(child(plan, 'routes') ?? {})) if (isMapValue(t)) withinAccount(t, ['api', 'usagePlans', i, 'routes', key]);
    });
  }

  const routes = child(api, 'routes');
  /** Each declared route's shape (what API Gateway tells apart) → its key as written. */
  const shapes = new Map<string, string>();
  if (routes && kind !== 'function-url') {
    for (const [key, value] of Object.entries(routes)) {
      const route = parseRouteKey(key);
      if (typeof route === 'string') {
        add(['api', 'routes', key], route);
      } else {
        if (route.isDefault && kind !== 'http') add(['api', 'routes', key], 'expected "METHOD /path": $default exists only on HTTP APIs');
        const shape = routeShape(route);
        const same = shapes.get(shape);
        if (same !== undefined) add(['api', 'routes', key], `expected a distinct route, but "${same}" is the same route to API Gateway`);
        else shapes.set(shape, key);
      }
      if (isMapValue(value)) {
        if (has(value, 'rate') !== has(value, 'burst')) {
          add(['api', 'routes', key], 'expected both rate and burst, or {} for a route without its own throttle');
        }
        withinAccount(value, ['api', 'routes', key]);
      }
    }
  }

  const plans = list(api, 'usagePlans');
  const planAt = new Map<string, number>();
  const keyAt = new Map<string, string>();
  plans.forEach((plan, i) => {
    if (!isMapValue(plan)) return;
    if (typeof plan.name === 'string') {
      if (plan.name === 'none' || plan.name === 'invalid') {
        add(['api', 'usagePlans', i, 'name'], `expected a plan name other than "${plan.name}", which a scenario's apiKey uses for another meaning`);
      }
      const first = planAt.get(plan.name);
      if (first !== undefined) add(['api', 'usagePlans', i, 'name'], `expected a unique plan name, but usagePlans[${first}] is also "${plan.name}"`);
      else planAt.set(plan.name, i);
    }
    // AWS's offset is the day a period starts: WEEK 0 = Sunday … 6 = Saturday (the schema bounds MONTH's day)
    const quota = child(plan, 'quota');
    const offset = finite(quota?.offset);
    if (quota?.period === 'WEEK' && offset !== undefined && offset > 6) {
      add(['api', 'usagePlans', i, 'quota', 'offset'], `expected a day of the week, 0 (Sunday) to 6 (Saturday), got ${offset}`);
    }
    // a plan's method throttles name methods of this API: its declared routes
    for (const key of Object.keys(child(plan, 'routes') ?? {})) {
      const r = parseRouteKey(key);
      const written = typeof r === 'string' ? undefined : shapes.get(routeShape(r));
      if (typeof r === 'string') add(['api', 'usagePlans', i, 'routes', key], r);
      else if (written === undefined) {
        const names = [...shapes.values()].map((k) => `"${k}"`).join(', ');
        add(['api', 'usagePlans', i, 'routes', key], shapes.size ? `expected one of the routes in api.routes (${names})` : 'expected a route declared in api.routes (it has none)');
      } else if (written !== key) add(['api', 'usagePlans', i, 'routes', key], `expected the route as api.routes writes it: "${written}"`);
    }
    list(plan, 'keys').forEach((key, j) => {
      if (typeof key !== 'string') return;
      const here = `usagePlans[${i}].keys[${j}]`;
      const first = keyAt.get(key);
      // never echo the key itself: only where its twin is
      if (first !== undefined) add(['api', 'usagePlans', i, 'keys', j], `expected a unique key, but ${first} holds the same one`);
      else keyAt.set(key, here);
    });
  });

  const waf = child(data, 'waf');
  if (waf && has(waf, 'rateLimit') && finite(waf.rules) === 0) {
    add(['waf', 'rules'], 'expected at least 1: the rate-based rule is itself a rule of the web ACL');
  }

  problems.push(...functionRules(data));
  return problems;
}
