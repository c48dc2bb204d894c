import type { Stack, Throttle } from './types.ts';
import { matchRank, parseRouteKey, requestSegments, type RouteKey } from './route-key.ts';

/** The key under which every request matches an API without declared routes (or a function URL). */
export const CATCH_ALL_ROUTE = 'ANY /{proxy+}';

const parsedByRoutes = new WeakMap<object, { key: string; route: RouteKey }[]>();

function parsedRoutes(routes: Stack['api']['routes']): { key: string; route: RouteKey }[] {
  let parsed = parsedByRoutes.get(routes);
  if (!parsed) {
    parsed = [];
    for (const key of Object.keys(routes)) {
      const route = parseRouteKey(key);
      if (typeof route !== 'string') parsed.push({ key, route });
    }
    parsedByRoutes.set(routes, parsed);
  }
  return parsed;
}

/**
 * Which route of the stack serves `method path`, and its own throttle if it has one; undefined
 * when no route matches (REST APIs answer 403 "Missing Authentication Token", HTTP APIs 404
 * {"message":"Not Found"}; neither is billed). The most specific route wins,
 * as in API Gateway: per segment an exact name over {param} over {proxy+}, then an exact method
 * over ANY; HTTP APIs' `$default` only when nothing else matches. With no routes declared (and for
 * function URLs) every request matches CATCH_ALL_ROUTE, unthrottled.
 */
export function matchRoute(stack: Stack, method: string, path: string): { key: string; throttle?: Throttle } | undefined {
  const routes = stack.api.routes;
  if (stack.api.kind === 'function-url' || Object.keys(routes).length === 0) return { key: CATCH_ALL_ROUTE };
  const wanted = method.toUpperCase();
  const segments = requestSegments(path);
  let best: { key: string; rank: number[]; exactMethod: boolean; isDefault: boolean } | undefined;
  for (const { key, route } of parsedRoutes(routes)) {
    if (route.method !== 'ANY' && route.method !== wanted) continue;
    const rank = matchRank(route, segments);
    if (!rank) continue;
    const candidate = { key, rank, exactMethod: route.method !== 'ANY', isDefault: route.isDefault };
    if (!best || beats(candidate, best)) best = candidate;
  }
  if (!best) return undefined;
  const throttle = routes[best.key];
  return throttle ? { key: best.key, throttle } : { key: best.key };
}

function beats(
  a: { rank: number[]; exactMethod: boolean; isDefault: boolean },
  b: { rank: number[]; exactMethod: boolean; isDefault: boolean },
): boolean {
  if (a.isDefault !== b.isDefault) return !a.isDefault;
  for (let i = 0; i < Math.min(a.rank.length, b.rank.length); i++) {
    if (a.rank[i] !== b.rank[i]) return a.rank[i] > b.rank[i];
  }
  if (a.rank.length !== b.rank.length) return a.rank.length > b.rank.length;
  return a.exactMethod && !b.exactMethod;
}
