import type { Stack, Throttle } from '../stack/types.ts';
import { matchRoute } from '../stack/routes.ts';
import { planForKey } from '../stack/api-keys.ts';
import { TokenBucket } from './token-bucket.ts';
import { QuotaCounter } from './quota.ts';
import { WafRateRule } from './waf-rate-rule.ts';
import { NO_FLOW, bucketBand, sharedBands, type Band } from './band.ts';

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
    const r = this.perClient(now, over, n, req);
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
    const results: Admission[] = flows.map(({ n, req }) => this.perClient(now, over, n, req));
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
    for (const { n, band, req } of flows) {
      const i = out.length;
      out.push(NO_FLOW);
      if (n <= 0 || band.hi <= 0) continue;
      const clients = Math.max(1, req.clients ?? 1);
      if (this.waf && !this.waf.quietFor(req.client, band.hi / clients, over)) return undefined;
      const route = matchRoute(this.stack, req.method, req.path);
      if (!route) continue; // refused before any limit
      let b: Band | undefined = band;
      if (api.kind === 'rest' && api.apiKeyRequired) {
        const plan = req.apiKey ? planForKey(this.stack, req.apiKey) : undefined;
        if (!plan) continue;
        if (this.throttled) {
          b = this.keyBand(req.apiKey!, plan, now, over, b, clients);
          if (!b) return undefined;
        }
      }
      out[i] = b;
      routed.push(i);
      routeOf[i] = route.key;
    }
    if (this.throttled) {
      const byRoute = new Map<string, number[]>();
      for (const i of routed) if (this.routeBucket(routeOf[i])) byRoute.set(routeOf[i], [...(byRoute.get(routeOf[i]) ?? []), i]);
      for (const [key, idx] of byRoute) if (!this.shareBands(this.routeBucket(key)!, now, over, out, idx)) return undefined;
      if (this.stage && !this.shareBands(this.stage, now, over, out, routed)) return undefined;
    }
    if (this.account && !this.shareBands(this.account, now, over, out, routed)) return undefined;
    return out;
  }

  private keyBand(key: string, plan: string, now: number, over: number, band: Band, clients: number): Band | undefined {
    const limits = this.keyLimits(key, plan);
    let per: Band | undefined = { lo: band.lo / clients, hi: band.hi / clients };
    if (limits.bucket) per = bucketBand(limits.bucket, now, over, per);
    if (per && limits.quota) per = limits.quota.strideBand(now - over, over, per);
    return per && { lo: per.lo * clients, hi: per.hi * clients };
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

  /** The steps that belong to one client: WAF, route lookup, API key, usage plan. */
  private perClient(now: number, over: number, n: number, req: AdmitRequest): Admission {
    const out: Admission = { wafBlocked: 0, authRejected: 0, gatewayThrottled: 0, quotaExceeded: 0, passed: 0 };
    if (n <= 0) {
      this.waf?.silent(now, over, req.client);
      return out;
    }
    const api = this.stack.api;
    if (api.kind === 'function-url') {
      out.passed = n;
      return out;
    }
    const clients = Math.max(1, req.clients ?? 1);
    let left = n;
    if (this.waf) {
      const through = this.waf.take(now, left / clients, over, req.client) * clients;
      out.wafBlocked = left - through;
      left = through;
    }
    const route = matchRoute(this.stack, req.method, req.path);
    if (!route) {
      out.authRejected = left;
      out.authReason = 'unknown-route';
      return out;
    }
    out.routeKey = route.key;
    if (api.kind === 'rest' && api.apiKeyRequired && left > 0) {
      const plan = req.apiKey ? planForKey(this.stack, req.apiKey) : undefined;
      if (!plan) {
        out.authRejected = left;
        out.authReason = req.apiKey ? 'invalid-key' : 'missing-key';
        return out;
      }
      // usage plans only apply where the method requires a key
      if (this.throttled) {
        const limits = this.keyLimits(req.apiKey!, plan);
        if (limits.bucket) {
          const through = limits.bucket.take(now, left / clients, over) * clients;
          out.gatewayThrottled += left - through;
          left = through;
        }
        if (limits.quota) {
          const through = limits.quota.take(now, left / clients, over) * clients;
          out.quotaExceeded += left - through;
          left = through;
        }
      }
    }
    out.passed = left;
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
