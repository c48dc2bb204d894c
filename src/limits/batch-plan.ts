import type { Stack } from '../stack/types.ts';
import { matchRoute } from '../stack/routes.ts';
import { planForKey } from '../stack/api-keys.ts';
import type { AdmitRequest, Admission } from './gateway.ts';

export type Route = NonNullable<ReturnType<typeof matchRoute>>;

/**
 * What does not change between two batches of the same requests (the simulator's lanes repeat
 * every tick): which flows one client sends together (same client, same key, in first-seen
 * order), each flow's route, each group's usage plan, which flows meet each route's bucket, and
 * the Admission records the batch fills in (reused by callers that read them before the next batch).
 */
export interface BatchPlan {
  reqs: AdmitRequest[];
  groups: ClientGroup[];
  routes: (Route | undefined)[];
  /** Per route key, the flows that take it. */
  byRoute: { key: string; idx: number[] }[];
  all: number[];
  results: Admission[];
}

export interface ClientGroup {
  idx: number[];
  req: AdmitRequest; // the first flow's: client, key and client count are the group's
  clients: number;
  /** The usage plan of the group's key (REST with keys required only). */
  plan?: string;
  /** The group's flows by route key, made when a plan's per-method throttles first need them (gateway.ts). */
  byRoute?: { key: string; idx: number[] }[];
}

/** Whether `plan` was made for these requests (the same objects, in the same order). */
export function planFits(plan: BatchPlan | undefined, flows: readonly { req: AdmitRequest }[]): plan is BatchPlan {
  if (!plan || plan.reqs.length !== flows.length) return false;
  for (let i = 0; i < flows.length; i++) if (flows[i].req !== plan.reqs[i]) return false;
  return true;
}

export function makeBatchPlan(stack: Stack, flows: readonly { req: AdmitRequest }[], route: (req: AdmitRequest) => Route | undefined): BatchPlan {
  if (flows.length === 1) return singlePlan(stack, flows[0].req, route);
  const byClient = new Map<string, number[]>();
  flows.forEach(({ req }, i) => {
    const key = `${req.client}\u0000${req.apiKey ?? ''}`;
    const g = byClient.get(key);
    if (g) g.push(i);
    else byClient.set(key, [i]);
  });
  const keyed = stack.api.kind === 'rest' && stack.api.apiKeyRequired;
  const groups = [...byClient.values()].map((idx): ClientGroup => {
    const req = flows[idx[0]].req;
    const plan = keyed && req.apiKey ? planForKey(stack, req.apiKey) : undefined;
    return { idx, req, clients: Math.max(1, req.clients ?? 1), ...(plan ? { plan } : {}) };
  });
  const routes = flows.map(({ req }) => (stack.api.kind === 'function-url' ? undefined : route(req)));
  const byKey = new Map<string, number[]>();
  routes.forEach((r, i) => {
    if (r) byKey.set(r.key, [...(byKey.get(r.key) ?? []), i]);
  });
  return {
    reqs: flows.map((f) => f.req),
    groups,
    routes,
    byRoute: [...byKey].map(([key, idx]) => ({ key, idx })),
    all: flows.map((_, i) => i),
    results: flows.map(() => blankAdmission(0)),
  };
}

/**
 * The emulator's batch of one request: `plan` (a single plan made before, or undefined) filled in
 * for `req` again, so a request allocates no plan of its own.
 */
export function refillSinglePlan(plan: BatchPlan | undefined, stack: Stack, req: AdmitRequest, route: (req: AdmitRequest) => Route | undefined): BatchPlan {
  if (!plan || plan.reqs.length !== 1) return singlePlan(stack, req, route);
  const keyed = stack.api.kind === 'rest' && stack.api.apiKeyRequired;
  const g = plan.groups[0];
  g.req = req;
  g.clients = Math.max(1, req.clients ?? 1);
  g.plan = keyed && req.apiKey ? planForKey(stack, req.apiKey) : undefined;
  const r = stack.api.kind === 'function-url' ? undefined : route(req);
  plan.reqs[0] = req;
  plan.routes[0] = r;
  if (!r) plan.byRoute.length = 0;
  else if (plan.byRoute.length === 0) plan.byRoute.push({ key: r.key, idx: plan.all });
  else plan.byRoute[0].key = r.key;
  return plan;
}

/** A batch of one request (no maps, no copies). */
function singlePlan(stack: Stack, req: AdmitRequest, route: (req: AdmitRequest) => Route | undefined): BatchPlan {
  const keyed = stack.api.kind === 'rest' && stack.api.apiKeyRequired;
  const plan = keyed && req.apiKey ? planForKey(stack, req.apiKey) : undefined;
  const r = stack.api.kind === 'function-url' ? undefined : route(req);
  const only = [0];
  return {
    reqs: [req],
    groups: [{ idx: only, req, clients: Math.max(1, req.clients ?? 1), ...(plan ? { plan } : {}) }],
    routes: [r],
    byRoute: r ? [{ key: r.key, idx: only }] : [],
    all: only,
    results: [blankAdmission(0)],
  };
}

/**
 * A fresh Admission of `n` passed for a batch (the simulator's ticks, reused tick after tick): all
 * seven fields in one order, counts kept as doubles from the start (see doubles.ts: a tick's shares
 * are fractions), so the simulator's optimised code meets one hidden class only. The emulator's
 * single requests make their own record with whole counts (Gateway.admit).
 */
export function blankAdmission(n: number): Admission {
  const a: Admission = { wafBlocked: 0.5, authRejected: 0.5, gatewayThrottled: 0.5, quotaExceeded: 0.5, passed: 0.5, routeKey: undefined, authReason: undefined };
  a.wafBlocked = 0;
  a.authRejected = 0;
  a.gatewayThrottled = 0;
  a.quotaExceeded = 0;
  a.passed = n;
  return a;
}
