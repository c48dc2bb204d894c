/** Route keys as written in stack files: "GET /items/{id}", "ANY /{proxy+}", or "$default" (HTTP APIs). */
export const ROUTE_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY'] as const;

export type RoutePart = { kind: 'exact'; value: string } | { kind: 'param' } | { kind: 'greedy' };

export interface RouteKey {
  /** Upper case, or "ANY"; "ANY" for $default. */
  method: string;
  parts: RoutePart[];
  /** HTTP APIs' catch-all `$default` route: matches what no other route does. */
  isDefault: boolean;
}

const EXACT = /^[A-Za-z0-9._~!$&'()*+,;=:@%-]+$/;
const PARAM = /^\{([A-Za-z0-9._-]+)\}$/;
const GREEDY = /^\{([A-Za-z0-9._-]+)\+\}$/;

/** Parses a route key; a string answer is the reason it is not one (for the user's error message). */
export function parseRouteKey(key: string): RouteKey | string {
  if (key === '$default') return { method: 'ANY', parts: [], isDefault: true };
  const m = /^(\S+) (\S+)$/.exec(key);
  if (!m) return 'expected a route key like "GET /items/{id}": a method, one space, a path';
  const [, method, path] = m;
  if (!(ROUTE_METHODS as readonly string[]).includes(method)) {
    return `expected the method to be one of ${ROUTE_METHODS.join(', ')} (upper case), got "${method}"`;
  }
  if (!path.startsWith('/')) return `expected the path to start with "/", got "${path}"`;
  if (path === '/') return { method, parts: [], isDefault: false };
  if (path.endsWith('/')) return 'expected a path without a trailing "/"';
  const parts: RoutePart[] = [];
  const segments = path.slice(1).split('/');
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i];
    if (s === '') return 'expected a path without empty segments ("//")';
    if (GREEDY.test(s)) {
      if (i !== segments.length - 1) return `expected the greedy "${s}" to be the last segment of the path`;
      parts.push({ kind: 'greedy' });
    } else if (PARAM.test(s)) parts.push({ kind: 'param' });
    else if (EXACT.test(s)) parts.push({ kind: 'exact', value: s });
    else return `expected path segments of URL characters or {param} / {proxy+}, got "${s}"`;
  }
  return { method, parts, isDefault: false };
}

/** Two keys with the same shape ("GET /a/{id}" and "GET /a/{name}") are the same route to AWS. */
export function routeShape(route: RouteKey): string {
  if (route.isDefault) return '$default';
  const path = route.parts.map((p) => (p.kind === 'exact' ? p.value : p.kind === 'param' ? '{}' : '{+}')).join('/');
  return `${route.method} /${path}`;
}

/** Splits a request path into segments: the query string dropped, a trailing slash ignored. */
export function requestSegments(path: string): string[] {
  const cut = path.search(/[?#]/);
  const bare = cut >= 0 ? path.slice(0, cut) : path;
  return bare.split('/').filter((s) => s !== '');
}

/**
 * How specifically `route` matches the request segments: per path segment 2 (exact), 1 ({param})
 * or 0 ({proxy+}); undefined when it does not match. Compared left to right, higher wins.
 */
export function matchRank(route: RouteKey, segments: readonly string[]): number[] | undefined {
  if (route.isDefault) return [];
  const rank: number[] = [];
  for (let i = 0; i < route.parts.length; i++) {
    const part = route.parts[i];
    if (part.kind === 'greedy') {
      if (segments.length - i < 1) return undefined; // {proxy+} needs at least one segment
      rank.push(0);
      return rank;
    }
    if (i >= segments.length) return undefined;
    if (part.kind === 'exact') {
      if (segments[i] !== part.value) return undefined;
      rank.push(2);
    } else rank.push(1);
  }
  return route.parts.length === segments.length ? rank : undefined;
}
