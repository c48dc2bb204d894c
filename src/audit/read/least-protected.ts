/**
 * An API with several stages has an invoke URL per stage, each with its own throttles and web
 * ACL: a flood goes to the least protected. The audit models one stage per API, so the readers
 * (cfn-stages.ts, tf-stages.ts) pick that one before the stages are read: the stage where some
 * route has no throttle at all (its own, else the stage-wide one), else the one whose loosest route
 * lets the most through; among equals one no web ACL is associated with; then the last written
 * (the one the readers kept before). The others are left out.
 */

/** The name of a stage whose name the source leaves open (a parameter or variable without a default). */
export const NAME_LEFT_OPEN = '(a name left open)';

/** One stage of an API, as the choice sees it: `address` names it in the source (logical id, Terraform address). */
export interface StageCandidate {
  address: string;
  name: string;
  /** The most one route lets through a second (loosestRoute; Infinity: a route with no throttle). */
  rate: number;
  /** A web ACL is associated with it. */
  waf: boolean;
}

/** The stage a flood would choose among `list` (two or more), and the assumption that says so, naming the others. */
export function leastProtected<T extends StageCandidate>(api: string, list: T[]): { chosen: T; others: T[]; message: string } {
  const chosen = list.reduce((a, b) => (b.rate > a.rate || (b.rate === a.rate && (a.waf || !b.waf)) ? b : a));
  const others = list.filter((c) => c !== chosen);
  const why = chosen.rate === Infinity ? 'a route with no throttle' : `its loosest route limited to ${chosen.rate} rps`;
  const message = `${api} has ${list.length} stages (${list.map((c) => (c.name === NAME_LEFT_OPEN ? `${c.name}` : `"${c.name}"`)).join(', ')}), each an invoke URL of its own with its own throttles and web ACL; the audit reads ${chosen.name === NAME_LEFT_OPEN ? 'the one whose name is left open' : `"${chosen.name}"`} (${chosen.address}), the least protected (${why}${chosen.waf ? '' : ', no web ACL'}), as a flood would choose it, and leaves ${others.map((c) => c.address).join(', ')} out`;
  return { chosen, others, message };
}

/**
 * A stage's throttles as the choice reads them: the stage-wide rate and each route's own, by route
 * key ("GET /orders"; "ANY /orders" for every method of a path). A negative rate (-1: "throttling
 * disabled") or one that cannot be evaluated is none.
 */
export interface StageLimits {
  wide?: number;
  routes: Map<string, number>;
}

/** The most a flood gets through the stage on one of `routeKeys`: each route at its own limit, else the stage-wide one; Infinity when one has neither. */
export function loosestRoute(limits: StageLimits, routeKeys: string[]): number {
  const set = (r: number | undefined) => (r !== undefined && Number.isFinite(r) && r >= 0 ? r : undefined);
  const wide = set(limits.wide) ?? Infinity;
  if (!routeKeys.length) return wide;
  let most = 0;
  for (const key of routeKeys) {
    const path = key.slice(key.indexOf(' ') + 1);
    most = Math.max(most, set(limits.routes.get(key)) ?? set(limits.routes.get(`ANY ${path}`)) ?? wide);
  }
  return most;
}
