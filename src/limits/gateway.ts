import type { Stack } from '../stack/types.ts';
import { matchRoute } from '../stack/routes.ts';
import { planForKey } from '../stack/api-keys.ts';
import type { TokenBucket } from './token-bucket.ts';
import { band, NO_FLOW, sharedBands, type Band } from './band.ts';
import { passedOf, refuseShare, shareBucket } from './pro-rata.ts';
import { blankAdmission, makeBatchPlan, planFits, refillSinglePlan, type BatchPlan, type ClientGroup, type Route } from './batch-plan.ts';
import { GatewayLimits } from './gateway-limits.ts';

/** A request (or a flow of alike requests) at the front door. */
export interface AdmitRequest {
  method: string;
  path: string;
  apiKey?: string; // the x-api-key value presented, if any
  client: string; // the source IP (what a WAF rule keyed on `ip` counts)
  /**
   * The first X-Forwarded-For address (what a rule keyed on `forwarded-ip` counts). Absent: the
   * request has no such header, or its first hop is forged afresh each time — either way a
   * `forwarded-ip` rule never blocks it (AWS WAF skips the rule without the header; a key seen once
   * never exceeds a limit).
   */
  forwarded?: string;
  /** How many alike clients this flow stands for (simulator); per-client limits see n / clients. */
  clients?: number;
}

const ROUTE_CACHE_SIZE = 10_000;

export type AuthReason = 'missing-key' | 'invalid-key' | 'unknown-route';

/** What the gateway did with a flow of n requests; the counts add up to n. */
export interface Admission {
  wafBlocked: number;
  authRejected: number;
  gatewayThrottled: number;
  quotaExceeded: number;
  passed: number; // sent to the integration (Lambda)
  routeKey?: string;
  authReason?: AuthReason;
}

/**
 * API Gateway's front door for one stack, in AWS's evaluation order. REST: WAF → route → API key →
 * usage plan (per key: the plan's throttle of the method, its own throttle, then quota) → method throttle → account. HTTP API: route →
 * route throttle → account. A method's (route's) throttle is its own, or else the stage's, which
 * AWS applies per method: every route without its own gets a bucket of the stage's size.
 * Function URL: nothing here (its limits live in LambdaModel).
 * The emulator admits one request at a time; the simulator admits flows per cohort per tick, and
 * shared buckets split what passes in proportion to what each flow brought.
 * `throttled: false` is the "unthrottled" variant: stage, route and usage-plan limits removed,
 * the account limit (a regional quota nobody can remove) kept.
 */
export class Gateway {
  readonly stack: Stack;
  // read once: stacks differ in shape (optional parts), and a per-batch read of stack.api met many hidden classes
  private readonly functionUrl: boolean;
  readonly throttled: boolean;
  /** The limiters this gateway holds, and their fast-forward (the simulator's steady and periodic skips). */
  readonly limits: GatewayLimits;
  private readonly routeCache = new Map<string, Map<string, Route | null>>();
  private plan?: BatchPlan;
  /** The emulator's batch of one: its plan and flow list are filled in again for every request. */
  private single?: BatchPlan;
  private readonly one: Admission[] = [];

  constructor(stack: Stack, opts: { throttled: boolean }) {
    this.stack = stack;
    this.functionUrl = stack.api.kind === 'function-url';
    this.throttled = opts.throttled;
    this.limits = new GatewayLimits(stack, opts.throttled);
  }

  /** One flow (the emulator: n = 1, over = 0): a batch of one, through the same code as the simulator's. */
  admit(now: number, n: number, over: number, req: AdmitRequest): Admission {
    const plan = (this.single = refillSinglePlan(this.single, this.stack, req, (r) => this.route(r)));
    // a fresh record: callers may keep it; only the plan is reused
    // whole requests: small-integer fields (no boxed doubles per request, unlike the simulator's records)
    const a: Admission = { wafBlocked: 0, authRejected: 0, gatewayThrottled: 0, quotaExceeded: 0, passed: Math.max(0, n), routeKey: undefined, authReason: undefined };
    this.one[0] = a;
    this.evaluate(now, over, this.one, plan);
    return a;
  }

  /** Drops per-IP state nobody has used for a while (the emulator calls this now and then). */
  sweep(now: number): void {
    this.limits.sweep(now);
  }

  /**
   * Several flows arriving over the same interval, sharing the route and account buckets.
   * `reuse`: the caller reads the answers before its next batch (the simulator's ticks), so the
   * same records are filled in again instead of new ones.
   */
  admitBatch(now: number, over: number, flows: readonly { n: number; req: AdmitRequest }[], reuse = false): Admission[] {
    const plan = planFits(this.plan, flows) ? this.plan : (this.plan = makeBatchPlan(this.stack, flows, (req) => this.route(req)));
    const results = reuse ? plan.results : flows.map(() => blankAdmission(0));
    for (let i = 0; i < flows.length; i++) {
      const r = results[i];
      r.wafBlocked = 0;
      r.authRejected = 0;
      r.gatewayThrottled = 0;
      r.quotaExceeded = 0;
      r.passed = Math.max(0, flows[i].n);
      r.routeKey = undefined;
      r.authReason = undefined;
    }
    return this.evaluate(now, over, results, plan);
  }

  /** AWS's evaluation order over a batch whose records start with everything passed. */
  private evaluate(now: number, over: number, results: Admission[], plan: BatchPlan): Admission[] {
    if (this.functionUrl) return results;
    for (const g of plan.groups) this.perClient(now, over, results, g, plan);
    const account = this.limits.account;
    if (!account) return results;
    // shared buckets: per route key (its own throttle, or the stage's per method), then account
    if (this.throttled) {
      // a route nobody sends to still refills (shareBucket takes nothing from it): left untouched, its
      // tokens would look steady to the simulator's fast-forward, which then loses the refill
      for (const { key, idx } of plan.byRoute) {
        const b = this.limits.routeBucket(key);
        if (b) shareBucket(b, now, over, results, idx);
      }
    }
    shareBucket(account, now, over, results, plan.all);
    return results;
  }

  /**
   * For a stride (the simulator's long fluid step over (now − over, now]) of flows whose
   * per-second rates stay within their bands: what passes of each, as bands, if every limit they
   * meet answers the stride exactly as it would answer its seconds one by one — each WAF key
   * stays under the limit throughout or is blocked throughout (its flows then pass nothing),
   * buckets are either never drained or drained throughout, quotas neither reset nor run out
   * midway. Undefined when some limit is at an edge. The answer is valid until the next call
   * (its array is filled in again).
   */
  strideBands(now: number, over: number, flows: { n: number; band: Band; req: AdmitRequest }[]): Band[] | undefined {
    const api = this.stack.api;
    if (api.kind === 'function-url') return flows.map((f) => f.band);
    // per-client limits see everything one client sends (a cohort's mix is one client, one key);
    // the groupings and lists are kept from call to call (the simulator asks at most once a step,
    // and reads the answer before asking again)
    const groups = this.strideGroups;
    // (setting an array's length is a runtime call, and a fresh array's elements change kind as
    // they fill: the lists are made full once per flow count and written in full)
    if (groups.out.length !== flows.length) {
      groups.out = Array.from({ length: flows.length }, () => NO_FLOW);
      groups.wafKeys = Array.from({ length: flows.length }, (): string | undefined => undefined);
    }
    const { clientHi, clientLo, clientCount, byKey, byRoute, wafKeys, wafBlocked, out, routeOf, reqs, routes } = groups;
    const routed: number[] = [];
    if (clientHi.size) clientHi.clear();
    if (clientLo.size) clientLo.clear();
    if (clientCount.size) clientCount.clear();
    if (wafBlocked.size) wafBlocked.clear();
    if (byKey.size) byKey.clear();
    if (byRoute.size) byRoute.clear();
    const waf = this.limits.waf;
    const trace = this.limits.wafTrace;
    for (let i = 0; i < flows.length; i++) {
      const { n, band, req } = flows[i];
      out[i] = NO_FLOW;
      wafKeys[i] = undefined;
      if (n <= 0 || band.hi <= 0) continue;
      // a traced rule needs each flow's key alone; the live one, what each client sends in all
      const wafKey = waf ? this.limits.wafKeyOf(req) : undefined;
      if (trace) wafKeys[i] = wafKey!;
      else if (wafKey !== undefined) {
        if (!clientCount.has(wafKey)) clientCount.set(wafKey, Math.max(1, req.clients ?? 1));
        clientHi.set(wafKey, (clientHi.get(wafKey) ?? 0) + band.hi);
        clientLo.set(wafKey, (clientLo.get(wafKey) ?? 0) + band.lo);
        wafKeys[i] = wafKey;
      }
      // the same request as at the last call (the simulator's flows keep theirs): the same route
      if (reqs[i] !== req) {
        reqs[i] = req;
        routes[i] = this.route(req);
      }
      const route = routes[i];
      if (!route) continue; // refused before any limit
      if (api.kind === 'rest' && api.apiKeyRequired) {
        const plan = req.apiKey ? planForKey(this.stack, req.apiKey) : undefined;
        if (!plan) continue;
        if (this.throttled) pushTo(byKey, req.apiKey!, i);
      }
      out[i] = band;
      routed.push(i);
      routeOf[i] = route.key;
    }
    if (trace) {
      // the verdicts are known: a client unblocked throughout passes, one blocked throughout
      // reaches nothing (a flow refused before any limit passes nothing either way)
      for (const i of routed) {
        const key = wafKeys[i];
        if (key === undefined) continue;
        const share = trace.share(key, now, over);
        if (share === 0) continue;
        if (share !== 1) return undefined;
        out[i] = NO_FLOW;
      }
    } else if (waf) {
      // every client stays under the rule throughout, or is blocked throughout: its requests then
      // reach nothing behind the WAF
      for (const [key, hi] of clientHi) {
        const clients = clientCount.get(key)!;
        if (waf.quietFor(key, hi / clients, over)) continue;
        if (!waf.blockedFor(key, clientLo.get(key)! / clients, now, over)) return undefined;
        wafBlocked.add(key);
      }
      if (wafBlocked.size)
        for (const i of routed) {
          const key = wafKeys[i];
          if (key !== undefined && wafBlocked.has(key)) out[i] = NO_FLOW;
        }
    }
    for (const [key, idx] of byKey) if (!this.keyBands(key, now, over, out, idx, flows[idx[0]].req)) return undefined;
    if (this.throttled) {
      for (const i of routed) if (this.limits.routeBucket(routeOf[i])) pushTo(byRoute, routeOf[i], i);
      for (const [key, idx] of byRoute) if (!this.shareBands(this.limits.routeBucket(key)!, now, over, out, idx)) return undefined;
    }
    if (this.limits.account && !this.shareBands(this.limits.account, now, over, out, routed)) return undefined;
    return out;
  }

  /** strideBands' groupings of the flows (by WAF client, API key, route), emptied at each call. */
  private readonly strideGroups = {
    clientHi: new Map<string, number>(),
    clientLo: new Map<string, number>(),
    /** Per flow, its WAF key (where the rule has one), and the keys blocked throughout the stride. */
    wafKeys: [] as (string | undefined)[],
    wafBlocked: new Set<string>(),
    clientCount: new Map<string, number>(),
    byKey: new Map<string, number[]>(),
    byRoute: new Map<string, number[]>(),
    /** The answer, and each flow's route key. */
    out: [] as Band[],
    routeOf: [] as string[],
    /** Each flow's request at the last call and its route. */
    reqs: [] as (AdmitRequest | undefined)[],
    routes: [] as (Route | undefined)[],
  };

  private keyBands(key: string, now: number, over: number, out: Band[], idx: number[], req: AdmitRequest): boolean {
    const limits = this.limits.keyLimits(key, planForKey(this.stack, key)!);
    const clients = Math.max(1, req.clients ?? 1);
    let per: Band[] | undefined = idx.map((i) => band(out[i].lo / clients, out[i].hi / clients));
    // the plan's per-method throttles first, each over what the key sends to its route
    if (limits.routes)
      for (const [route, mb] of limits.routes) {
        if (!per) break;
        const on: number[] = [];
        idx.forEach((i, k) => {
          if (this.strideGroups.routeOf[i] === route) on.push(k);
        });
        if (!on.length) continue;
        const shared = sharedBands(mb, now, over, on.map((k) => per![k]));
        if (!shared) per = undefined;
        else on.forEach((k, j) => (per![k] = shared[j]));
      }
    if (per && limits.bucket) per = sharedBands(limits.bucket, now, over, per);
    if (per && limits.quota) {
      const total = per.reduce((t, b) => band(t.lo + b.lo, t.hi + b.hi), band(0, 0));
      const q = limits.quota.strideBand(now - over, over, total);
      per = q === undefined ? undefined : q === NO_FLOW ? per.map(() => NO_FLOW) : per;
    }
    if (!per) return false;
    idx.forEach((i, k) => (out[i] = band(per[k].lo * clients, per[k].hi * clients)));
    return true;
  }

  private shareBands(b: TokenBucket, now: number, over: number, out: Band[], idx: number[]): boolean {
    if (!idx.length) return true;
    const shared = sharedBands(b, now, over, idx.map((i) => out[i]));
    if (!shared) return false;
    idx.forEach((i, k) => (out[i] = shared[k]));
    return true;
  }

  /** The route a request takes, looked up once per method and path (bounded: paths may be attacker-chosen). */
  private route(req: AdmitRequest): Route | undefined {
    let byPath = this.routeCache.get(req.method);
    if (!byPath) this.routeCache.set(req.method, (byPath = new Map()));
    const hit = byPath.get(req.path);
    if (hit !== undefined) return hit ?? undefined;
    const route = matchRoute(this.stack, req.method, req.path);
    if (byPath.size < ROUTE_CACHE_SIZE) byPath.set(req.path, route ?? null);
    return route;
  }

  /**
   * The steps that belong to one client: WAF, route lookup, API key, usage plan. A group holds the
   * flows one client sends at once (a cohort's weighted mix: same client, same key, several
   * routes); per-client limits see their sum, and what they refuse is split pro rata.
   */
  private perClient(now: number, over: number, out: Admission[], g: ClientGroup, plan: BatchPlan): void {
    const { idx, req: first, clients } = g;
    const waf = this.limits.waf;
    const wafKey = this.limits.wafKeyOf(first);
    const trace = this.limits.wafTrace;
    if (trace && wafKey !== undefined) {
      const total = passedOf(out, idx);
      if (total > 0) {
        const share = trace.share(wafKey, now, over);
        if (share > 0) refuseShare(out, idx, 'wafBlocked', total, total * (1 - share));
      }
    } else if (waf && wafKey !== undefined) {
      const total = passedOf(out, idx);
      // a client that sent nothing still moves its WAF window on: a paused key is no steady sender
      if (!(total > 0)) waf.silent(now, over, wafKey);
      else refuseShare(out, idx, 'wafBlocked', total, waf.take(now, total / clients, over, wafKey) * clients);
    }
    let routed = 0;
    for (const i of idx) {
      const route = plan.routes[i];
      const a = out[i];
      if (route) {
        a.routeKey = route.key;
        if (a.passed > 0) routed++;
      } else {
        a.authRejected = a.passed;
        a.authReason = 'unknown-route';
        a.passed = 0;
      }
    }
    const api = this.stack.api;
    if (api.kind !== 'rest' || !api.apiKeyRequired) return;
    if (routed === 0) {
      // a key that sends nothing now still refills its usage-plan bucket (as an idle route does)
      if (g.plan && this.throttled) {
        const l = this.limits.keyLimits(first.apiKey!, g.plan);
        if (l.routes) for (const mb of l.routes.values()) mb.take(now, 0, over);
        l.bucket?.take(now, 0, over);
      }
      return;
    }
    // the flows without a route pass nothing by now: the key's checks may run over the whole group
    if (!g.plan) {
      for (const i of idx) {
        const a = out[i];
        if (a.routeKey === undefined || !(a.passed > 0)) continue;
        a.authRejected = a.passed;
        a.authReason = first.apiKey ? 'invalid-key' : 'missing-key';
        a.passed = 0;
      }
      return;
    }
    // usage plans only apply where the method requires a key
    if (!this.throttled) return;
    const { bucket: b, quota: q, routes: methods } = this.limits.keyLimits(first.apiKey!, g.plan);
    // the plan's per-method throttles first (AWS: usage plan per method, then per key), each over
    // what this key sends to its route
    if (methods)
      for (const [route, mb] of methods) {
        const on = groupRoutes(g, plan).find((r) => r.key === route)?.idx;
        const total = on ? passedOf(out, on) : 0;
        if (total > 0) refuseShare(out, on!, 'gatewayThrottled', total, mb.take(now, total / clients, over) * clients);
        else mb.take(now, 0, over);
      }
    if (b) {
      const total = passedOf(out, idx);
      if (total > 0) refuseShare(out, idx, 'gatewayThrottled', total, b.take(now, total / clients, over) * clients);
      else b.take(now, 0, over);
    }
    if (q) {
      const total = passedOf(out, idx);
      if (total > 0) refuseShare(out, idx, 'quotaExceeded', total, q.take(now, total / clients, over) * clients);
    }
  }
}

/**
 * A client group's flows by route key: a batch of one request (the emulator's) is its plan's own
 * list; a larger batch's group makes its lists once (plans are kept tick after tick).
 */
function groupRoutes(g: ClientGroup, plan: BatchPlan): readonly { key: string; idx: number[] }[] {
  if (plan.reqs.length === 1) return plan.byRoute;
  if (!g.byRoute) {
    const by = new Map<string, number[]>();
    for (const i of g.idx) {
      const key = plan.routes[i]?.key;
      if (key !== undefined) pushTo(by, key, i);
    }
    g.byRoute = [...by].map(([key, idx]) => ({ key, idx }));
  }
  return g.byRoute;
}

/** Appends i to the list under `key` (a new list for a new key). */
function pushTo(groups: Map<string, number[]>, key: string, i: number): void {
  const list = groups.get(key);
  if (list) list.push(i);
  else groups.set(key, [i]);
}
