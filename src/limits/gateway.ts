import type { Stack } from '../stack/types.ts';
import { matchRoute } from '../stack/routes.ts';
import { planForKey } from '../stack/api-keys.ts';
import type { TokenBucket } from './token-bucket.ts';
import { NO_FLOW, sharedBands, type Band } from './band.ts';
import { refuse, shareBucket } from './pro-rata.ts';
import { GatewayLimits } from './gateway-limits.ts';
type Route = NonNullable<ReturnType<typeof matchRoute>>;

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
 * usage plan (per key: throttle, then quota) → route throttle → stage → account. HTTP API: route →
 * route throttle → stage → account. Function URL: nothing here (its limits live in LambdaModel).
 * The emulator admits one request at a time; the simulator admits flows per cohort per tick, and
 * shared buckets split what passes in proportion to what each flow brought.
 * `throttled: false` is the "unthrottled" variant: stage, route and usage-plan limits removed,
 * the account limit (a regional quota nobody can remove) kept.
 */
export class Gateway {
  readonly stack: Stack;
  readonly throttled: boolean;
  /** The limiters this gateway holds, and their fast-forward (the simulator's steady and periodic skips). */
  readonly limits: GatewayLimits;
  private readonly routeCache = new Map<string, Map<string, Route | null>>();
  private lastGroups?: { reqs: AdmitRequest[]; groups: number[][] };

  constructor(stack: Stack, opts: { throttled: boolean }) {
    this.stack = stack;
    this.throttled = opts.throttled;
    this.limits = new GatewayLimits(stack, opts.throttled);
  }

  /** One flow (the emulator: n = 1, over = 0): a batch of one, through the same code as the simulator's. */
  admit(now: number, n: number, over: number, req: AdmitRequest): Admission {
    return this.admitBatch(now, over, [{ n, req }])[0];
  }

  /** Drops per-IP state nobody has used for a while (the emulator calls this now and then). */
  sweep(now: number): void {
    this.limits.sweep(now);
  }

  /** Several flows arriving over the same interval, sharing the route, stage and account buckets. */
  admitBatch(now: number, over: number, flows: { n: number; req: AdmitRequest }[]): Admission[] {
    const results: Admission[] = new Array(flows.length);
    for (const idx of this.clientGroups(flows)) {
      const adm = this.perClient(now, over, idx.map((i) => flows[i]));
      idx.forEach((i, j) => (results[i] = adm[j]));
    }
    if (!this.limits.account) return results;
    // shared buckets: route (per route key), then stage, then account
    if (this.throttled) {
      const byRoute = new Map<string, number[]>();
      results.forEach((r, i) => {
        if (r.passed > 0 && r.routeKey !== undefined && this.limits.routeBucket(r.routeKey)) {
          const list = byRoute.get(r.routeKey) ?? [];
          list.push(i);
          byRoute.set(r.routeKey, list);
        }
      });
      for (const [key, idx] of byRoute) shareBucket(this.limits.routeBucket(key)!, now, over, idx.map((i) => results[i]));
      if (this.limits.stage) shareBucket(this.limits.stage, now, over, results);
    }
    shareBucket(this.limits.account, now, over, results);
    return results;
  }

  /**
   * For a stride (the simulator's long fluid step over (now − over, now]) of flows whose
   * per-second rates stay within their bands: what passes of each, as bands, if every limit they
   * meet answers the stride exactly as it would answer its seconds one by one — WAF windows stay
   * under their limit, buckets are either never drained or drained throughout, quotas neither
   * reset nor run out midway. Undefined when some limit is at an edge.
   */
  strideBands(now: number, over: number, flows: { n: number; band: Band; req: AdmitRequest }[]): Band[] | undefined {
    const api = this.stack.api;
    if (api.kind === 'function-url') return flows.map((f) => f.band);
    const out: Band[] = [];
    const routed: number[] = [];
    const routeOf: string[] = [];
    // per-client limits see everything one client sends (a cohort's mix is one client, one key)
    const byClient = new Map<string, { clients: number; hi: number }>();
    const byKey = new Map<string, number[]>();
    flows.forEach(({ n, band, req }, i) => {
      out.push(NO_FLOW);
      if (n <= 0 || band.hi <= 0) return;
      const clients = Math.max(1, req.clients ?? 1);
      const wafKey = this.limits.wafKeyOf(req);
      if (wafKey !== undefined) {
        const c = byClient.get(wafKey) ?? { clients, hi: 0 };
        c.hi += band.hi;
        byClient.set(wafKey, c);
      }
      const route = this.route(req);
      if (!route) return; // refused before any limit
      if (api.kind === 'rest' && api.apiKeyRequired) {
        const plan = req.apiKey ? planForKey(this.stack, req.apiKey) : undefined;
        if (!plan) return;
        if (this.throttled) byKey.set(req.apiKey!, [...(byKey.get(req.apiKey!) ?? []), i]);
      }
      out[i] = band;
      routed.push(i);
      routeOf[i] = route.key;
    });
    if (this.limits.waf) for (const [key, c] of byClient) if (!this.limits.waf.quietFor(key, c.hi / c.clients, over)) return undefined;
    for (const [key, idx] of byKey) if (!this.keyBands(key, now, over, out, idx, flows[idx[0]].req)) return undefined;
    if (this.throttled) {
      const byRoute = new Map<string, number[]>();
      for (const i of routed) if (this.limits.routeBucket(routeOf[i])) byRoute.set(routeOf[i], [...(byRoute.get(routeOf[i]) ?? []), i]);
      for (const [key, idx] of byRoute) if (!this.shareBands(this.limits.routeBucket(key)!, now, over, out, idx)) return undefined;
      if (this.limits.stage && !this.shareBands(this.limits.stage, now, over, out, routed)) return undefined;
    }
    if (this.limits.account && !this.shareBands(this.limits.account, now, over, out, routed)) return undefined;
    return out;
  }

  /** One key's usage-plan bucket and quota over a stride, for the flows `idx` that present it. */
  private keyBands(key: string, now: number, over: number, out: Band[], idx: number[], req: AdmitRequest): boolean {
    const limits = this.limits.keyLimits(key, planForKey(this.stack, key)!);
    const clients = Math.max(1, req.clients ?? 1);
    let per: Band[] | undefined = idx.map((i) => ({ lo: out[i].lo / clients, hi: out[i].hi / clients }));
    if (limits.bucket) per = sharedBands(limits.bucket, now, over, per);
    if (per && limits.quota) {
      const total = per.reduce((t, b) => ({ lo: t.lo + b.lo, hi: t.hi + b.hi }), { lo: 0, hi: 0 });
      const q = limits.quota.strideBand(now - over, over, total);
      per = q === undefined ? undefined : q === NO_FLOW ? per.map(() => NO_FLOW) : per;
    }
    if (!per) return false;
    idx.forEach((i, k) => (out[i] = { lo: per[k].lo * clients, hi: per[k].hi * clients }));
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

  /** Flows grouped by the client and key they come from (indices, in first-seen order); the simulator's lanes repeat, so the last grouping is kept. */
  private clientGroups(flows: readonly { req: AdmitRequest }[]): number[][] {
    if (flows.length === 1) return [[0]];
    const last = this.lastGroups;
    if (last && last.reqs.length === flows.length && flows.every((f, i) => f.req === last.reqs[i])) return last.groups;
    const groups = new Map<string, number[]>();
    flows.forEach(({ req }, i) => {
      const key = `${req.client}\u0000${req.apiKey ?? ''}`;
      const g = groups.get(key);
      if (g) g.push(i);
      else groups.set(key, [i]);
    });
    this.lastGroups = { reqs: flows.map((f) => f.req), groups: [...groups.values()] };
    return this.lastGroups.groups;
  }

  /**
   * The steps that belong to one client: WAF, route lookup, API key, usage plan. `group` holds the
   * flows one client sends at once (a cohort's weighted mix: same client, same key, several
   * routes); per-client limits see their sum, and what they refuse is split pro rata.
   */
  private perClient(now: number, over: number, group: readonly { n: number; req: AdmitRequest }[]): Admission[] {
    const out: Admission[] = group.map(({ n }) => ({ wafBlocked: 0, authRejected: 0, gatewayThrottled: 0, quotaExceeded: 0, passed: Math.max(0, n) }));
    const api = this.stack.api;
    if (api.kind === 'function-url') return out;
    const first = group[0].req;
    const clients = Math.max(1, first.clients ?? 1);
    const waf = this.limits.waf;
    const wafKey = this.limits.wafKeyOf(first);
    // a client that sent nothing still moves its WAF window on: a paused key is no steady sender
    if (waf && wafKey !== undefined && !out.some((f) => f.passed > 0)) waf.silent(now, over, wafKey);
    else if (waf && wafKey !== undefined) refuse(out, 'wafBlocked', (total) => waf.take(now, total / clients, over, wafKey) * clients);
    group.forEach(({ req }, i) => {
      const route = this.route(req);
      if (route) {
        out[i].routeKey = route.key;
      } else {
        out[i].authRejected = out[i].passed;
        out[i].authReason = 'unknown-route';
        out[i].passed = 0;
      }
    });
    if (api.kind !== 'rest' || !api.apiKeyRequired) return out;
    const routed = out.filter((a) => a.routeKey !== undefined && a.passed > 0);
    if (routed.length === 0) return out;
    const plan = first.apiKey ? planForKey(this.stack, first.apiKey) : undefined;
    if (!plan) {
      for (const a of routed) {
        a.authRejected = a.passed;
        a.authReason = first.apiKey ? 'invalid-key' : 'missing-key';
        a.passed = 0;
      }
      return out;
    }
    // usage plans only apply where the method requires a key
    if (this.throttled) {
      const { bucket: b, quota: q } = this.limits.keyLimits(first.apiKey!, plan);
      if (b) refuse(routed, 'gatewayThrottled', (total) => b.take(now, total / clients, over) * clients);
      if (q) refuse(routed, 'quotaExceeded', (total) => q.take(now, total / clients, over) * clients);
    }
    return out;
  }
}
