import type { Stack } from '../stack/types.ts';
import { stackFunctions } from '../stack/functions.ts';
import { matchRoute } from '../stack/routes.ts';

/** Which resources a tuned stack changes against its base: what a patch must carry (the web ACL: waf-change.ts). */
export interface ChangedParts {
  throttles: boolean; // stage or route throttles
  usagePlans: number[]; // indices of changed plans
  /** Functions whose reserved concurrency changed: "lambda" (the stack's own) or a `functions` name. */
  reservedConcurrency: string[];
}

export function changedParts(base: Stack, tuned: Stack): ChangedParts {
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  return {
    throttles: !same(base.api.stage, tuned.api.stage) || !same(base.api.routes, tuned.api.routes),
    usagePlans: tuned.api.usagePlans.flatMap((p, i) => (same(p, base.api.usagePlans[i]) ? [] : [i])),
    reservedConcurrency: stackFunctions(tuned).flatMap((f, i) => (f.reservedConcurrency === stackFunctions(base)[i]?.reservedConcurrency ? [] : [f.name])),
  };
}

/**
 * Comment lines for the route throttles of `tuned` on routes `base` does not have (the search adds
 * "METHOD /path" beside the route that served the path: a catch-all, `$default`, or every path of a
 * stack that declares none). API Gateway throttles only a route the API has — a REST method of a
 * resource, an HTTP API route key (a setting for any other is refused or matches nothing), so the
 * patch says to create it first.
 */
export function newRouteNotes(base: Stack, tuned: Stack): string[] {
  const out: string[] = [];
  for (const [key, t] of Object.entries(tuned.api.routes)) {
    if (t === null || Object.prototype.hasOwnProperty.call(base.api.routes, key)) continue;
    const [method, path] = key.replace(/[\r\n]/g, ' ').split(' '); // a comment line stays one line
    const now = Object.keys(base.api.routes).length === 0 ? 'the stack declares no routes' : `${matchRoute(base, method, path)?.key ?? 'no route'} serves it now`;
    const create = tuned.api.kind === 'rest' ? `a ${method} method on a ${path} resource, with the same integration` : `the route "${method} ${path}", with the same integration`;
    out.push(`# note: ${method} ${path} is a route of its own only in the tuned stack (${now}): create it first (${create}) if your API does not have it; API Gateway throttles only the routes an API has`);
  }
  return out;
}
