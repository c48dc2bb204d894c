import type { Scenario } from '../scenario/types.ts';
import type { Stack } from '../stack/types.ts';
import { matchRoute } from '../stack/routes.ts';
import type { Dimension } from './dimension.ts';

/**
 * Per dimension, whether a scenario's requests can ever meet its limiter: false for a route
 * throttle on a route none of its requests takes, and for a usage plan none of its cohorts holds
 * keys of. Such a setting cannot change anything in that scenario's run: the request that would
 * meet it never comes, every other request takes the same route to the same function whether
 * the route is declared or not (a route tune adds is exact, and the catch-all it adds beside it
 * is the route a stack without routes sends everything to), and none of it is billed. So two
 * candidates that differ only there share the scenario's run. Anything else (stage, WAF,
 * reserved concurrency, which shares the account's pool) is seen by every scenario.
 *
 * `probe(d)` is the base stack with dimension d set to a value other than none (its route declared).
 */
export function dimensionsSeen(dims: readonly Dimension[], scenario: Scenario, probe: (d: number) => Stack | undefined): boolean[] {
  return dims.map((dim, d) => {
    const route = dim.scope?.route;
    if (route !== undefined) {
      const stack = probe(d);
      if (!stack) return true;
      return scenario.cohorts.some((c) => c.requests.some((r) => matchRoute(stack, r.method, r.path)?.key === route));
    }
    const plan = dim.scope?.plan;
    if (plan !== undefined) return scenario.cohorts.some((c) => c.apiKey === plan);
    return true;
  });
}
