import type { Stack, Throttle } from '../stack/types.ts';
import { matchRoute } from '../stack/routes.ts';
import { planForKey } from '../stack/api-keys.ts';
import { TokenBucket } from './token-bucket.ts';
import { QuotaCounter } from './quota.ts';
import { WafRateRule } from './waf-rate-rule.ts';
import { NO_FLOW, sharedBands, type Band } from './band.ts';

/** A request (or a flow of alike requests) at the front door. */
export interface AdmitRequest {
  method: string;
  path: string;
  apiKey?: string; // the x-api-key value presented, if any
  client: string; // identity for per-IP limits (source or forwarded IP)
  /** How many alike clients this flow stands for (simulator); per-client limits see n / clients. */
  clients?: number;
}

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

interface KeyLimits {
  bucket?: TokenBucket;
  quota?: QuotaCounter;
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
  private readonly waf?: WafRateRule;
  private readonly account?: TokenBucket;
  private readonly stage?: TokenBucket;
  private readonly routes = new Map<string, TokenBucket>();
  private readonly keys = new Map<string, KeyLimits>();

  constructor(stack: Stack, opts: { throttled: boolean }) {
    this.stack = stack;
    this.throttled = opts.throttled;
    const api = stack.api;
    if (api.kind === 'function-url') return;
    this.account = bucket(api.account);
    if (this.throttled && api.stage) this.stage = bucket(api.stage);
    if (api.kind === 'rest' && stack.waf?.rateLimit) {
      const r = stack.waf.rateLimit;
      this.waf = new WafRateRule({ limit: r.limit, windowSeconds: r.windowSeconds, delaySeconds: r.delaySeconds });
    }
  }

  /** One flow (the emulator: n = 1, over = 0). */
  admit(now: number, n: number, over: number, req: AdmitRequest): Admission {
    // the emulator's hot path: one flow, no grouping to do
    const r = this.perClient(now, over, [{ n, req }])[0];
    if (!this.account) return r;
    if (this.throttled) {
      const route = r.passed > 0 && r.routeKey !== undefined ? this.routeBucket(r.routeKey) : undefined;
      if (route) takeShared(route, now, over, r);
      if (this.stage) takeShared(this.stage, now, over, r);
    }
    takeShared(this.account, now, over, r);
    return r;
  }

  /** Several flows arriving over the same interval, sharing the route, stage and account buckets. */
  admitBatch(now: number, over: number, flows: { n: number; req: AdmitRequest }[]): Admission[] {
    const results: Admission[] = new Array(flows.length);
    for (const idx of clientGroups(flows)) {
      const adm = this.perClient(now, over, idx.map((i) => flows[i]));
      idx.forEach((i, j) => (results[i] = adm[j]));
    }
    if (!this.account) return results;
    // shared buckets: route (per route key), then stage, then account
    if (this.throttled) {
      const byRoute = new Map<string, number[]>();
      results.forEach((r, i) => {
        if (r.passed > 0 && r.routeKey !== undefined && this.routeBucket(r.routeKey)) {
          const list = byRoute.get(r.routeKey) ?? [];
          list.push(i);
          byRoute.set(r.routeKey, list);
        }
      });
      for (const [key, idx] of byRoute) shareBucket(this.routeBucket(key)!, now, over, idx.map((i) => results[i]));
      if (this.stage) shareBucket(this.stage, now, over, results);
    }
    shareBucket(this.account, now, over, results);
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
      const c = byClient.get(req.client) ?? { clients, hi: 0 };
      c.hi += band.hi;
      byClient.set(req.client, c);
      const route = matchRoute(this.stack, req.method, req.path);
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
    if (this.waf) for (const [client, c] of byClient) if (!this.waf.quietFor(client, c.hi / c.clients, over)) return undefined;
    for (const [key, idx] of byKey) if (!this.keyBands(key, now, over, out, idx, flows[idx[0]].req)) return undefined;
    if (this.throttled) {
      const byRoute = new Map<string, number[]>();
      for (const i of routed) if (this.routeBucket(routeOf[i])) byRoute.set(routeOf[i], [...(byRoute.get(routeOf[i]) ?? []), i]);
      for (const [key, idx] of byRoute) if (!this.shareBands(this.routeBucket(key)!, now, over, out, idx)) return undefined;
      if (this.stage && !this.shareBands(this.stage, now, over, out, routed)) return undefined;
    }
    if (this.account && !this.shareBands(this.account, now, over, out, routed)) return undefined;
    return out;
  }

  /** One key's usage-plan bucket and quota over a stride, for the flows `idx` that present it. */
  private keyBands(key: string, now: number, over: number, out: Band[], idx: number[], req: AdmitRequest): boolean {
    const limits = this.keyLimits(key, planForKey(this.stack, key)!);
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

  /** An attacker moved to a fresh IP: per-IP state for `client` starts over. */
  forgetClient(client: string): void {
    this.waf?.forget(client);
  }

  /** Drops per-IP state nobody has used for a while (the emulator calls this now and then). */
  sweep(now: number): void {
    this.waf?.sweep(now);
  }

  /** Steady-state fingerprint for fast-forwarding; undefined while some window is still moving. */
  fingerprint(): string | undefined {
    const parts: string[] = [];
    if (this.waf) {
      const w = this.waf.fingerprint();
      if (w === undefined) return undefined;
      parts.push(w);
    }
    for (const b of [this.account, this.stage, ...this.routes.values()]) if (b) parts.push(b.fingerprint());
    for (const [k, l] of this.keys) parts.push(`${k}:${l.bucket?.fingerprint() ?? ''}:${l.quota?.fingerprint() ?? ''}`);
    return parts.join('|');
  }

  /** Until when the current steady flows may be repeated (quota resets and exhaustion). */
  steadyUntil(now: number): number {
    let until = Infinity;
    for (const l of this.keys.values()) if (l.quota) until = Math.min(until, l.quota.steadyUntil(now));
    return until;
  }

  /** Full state relative to `now`, quotas' counts aside (for the simulator's periodic check). */
  snapshot(now: number): string {
    const parts: string[] = [this.waf?.snapshot(now) ?? ''];
    for (const b of [this.account, this.stage]) parts.push(b ? b.snapshot() : '');
    for (const k of [...this.routes.keys()].sort()) parts.push(`${k}:${this.routes.get(k)!.snapshot()}`);
    for (const k of [...this.keys.keys()].sort()) parts.push(`${k}:${this.keys.get(k)!.bucket?.snapshot() ?? ''}`);
    return parts.join('|');
  }

  /** The usage-plan quota counters in use (the simulator checks them across periodic skips). */
  quotaCounters(): QuotaCounter[] {
    const out: QuotaCounter[] = [];
    for (const l of this.keys.values()) if (l.quota) out.push(l.quota);
    return out;
  }

  /** Moves every clock forward by dt; quotas count `quotaExtra` (per counter, same order) more. */
  shift(dt: number, quotaExtra: number[] = []): void {
    this.waf?.shift(dt);
    for (const b of [this.account, this.stage, ...this.routes.values()]) b?.shift(dt);
    let i = 0;
    for (const l of this.keys.values()) {
      l.bucket?.shift(dt);
      if (l.quota) l.quota.shift(dt, quotaExtra[i++] ?? 0);
    }
  }

  skipTo(t: number): void {
    this.waf?.skipTo(t);
    for (const b of [this.account, this.stage, ...this.routes.values()]) b?.skipTo(t);
    for (const l of this.keys.values()) {
      l.bucket?.skipTo(t);
      l.quota?.skipTo(t);
    }
  }

  private routeBucket(key: string): TokenBucket | undefined {
    const existing = this.routes.get(key);
    if (existing) return existing;
    const t = this.stack.api.routes[key];
    if (!t || t.rate === undefined) return undefined;
    const b = bucket(t);
    this.routes.set(key, b);
    return b;
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
    const waf = this.waf;
    // a client that sent nothing still moves its WAF window on: a paused key is no steady sender
    if (waf && !out.some((f) => f.passed > 0)) waf.silent(now, over, first.client);
    else if (waf) refuse(out, 'wafBlocked', (total) => waf.take(now, total / clients, over, first.client) * clients);
    group.forEach(({ req }, i) => {
      const route = matchRoute(this.stack, req.method, req.path);
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
      const { bucket: b, quota: q } = this.keyLimits(first.apiKey!, plan);
      if (b) refuse(routed, 'gatewayThrottled', (total) => b.take(now, total / clients, over) * clients);
      if (q) refuse(routed, 'quotaExceeded', (total) => q.take(now, total / clients, over) * clients);
    }
    return out;
  }

  private keyLimits(key: string, planName: string): KeyLimits {
    let l = this.keys.get(key);
    if (l) return l;
    const plan = this.stack.api.usagePlans.find((p) => p.name === planName);
    l = {
      bucket: plan?.throttle ? bucket(plan.throttle) : undefined,
      quota: plan?.quota ? new QuotaCounter({ limit: plan.quota.limit, period: plan.quota.period, offset: plan.quota.offset }) : undefined,
    };
    this.keys.set(key, l);
    return l;
  }
}

function bucket(t: Throttle): TokenBucket {
  return new TokenBucket({ rate: t.rate, burst: t.burst });
}

/** One flow through a shared bucket. */
function takeShared(b: TokenBucket, now: number, over: number, f: Admission): void {
  const through = b.take(now, f.passed, over);
  f.gatewayThrottled += f.passed - through;
  f.passed = through;
}

/** Runs the flows' combined `passed` through one shared bucket and splits what is refused pro rata. */
function shareBucket(b: TokenBucket, now: number, over: number, flows: Admission[]): void {
  let total = 0;
  for (const f of flows) total += f.passed;
  if (total <= 0) {
    b.take(now, 0, over);
    return;
  }
  const through = b.take(now, total, over);
  if (through >= total) return;
  const keep = through / total;
  for (const f of flows) {
    const refused = f.passed * (1 - keep);
    f.gatewayThrottled += refused;
    f.passed -= refused;
  }
}

/** Flows grouped by the client and key they come from (indices, in first-seen order). */
function clientGroups(flows: readonly { req: AdmitRequest }[]): number[][] {
  if (flows.length === 1) return [[0]];
  const groups = new Map<string, number[]>();
  flows.forEach(({ req }, i) => {
    const key = `${req.client}\u0000${req.apiKey ?? ''}`;
    const g = groups.get(key);
    if (g) g.push(i);
    else groups.set(key, [i]);
  });
  return [...groups.values()];
}

/** A per-client limit over flows: `through(total)` answers how much of their sum passes; the rest is refused pro rata as `as`. */
function refuse(flows: Admission[], as: 'wafBlocked' | 'gatewayThrottled' | 'quotaExceeded', through: (total: number) => number): void {
  let total = 0;
  for (const f of flows) total += f.passed;
  if (!(total > 0)) return;
  const passed = through(total);
  if (passed >= total) return;
  const keep = passed / total;
  for (const f of flows) {
    const refused = f.passed * (1 - keep);
    f[as] += refused;
    f.passed -= refused;
  }
}
