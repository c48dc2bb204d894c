import type { Stack, Throttle } from '../stack/types.ts';
import { TokenBucket } from './token-bucket.ts';
import { QuotaCounter } from './quota.ts';
import { WafRateRule } from './waf-rate-rule.ts';
import type { AdmitRequest } from './gateway.ts';
import type { WafVerdicts } from './types.ts';

/**
 * Whether the stack has a limit the "unthrottled" variant removes (stage, route or usage-plan
 * throttle or quota): without one, both variants are the same simulation.
 */
export function hasRemovableLimits(stack: Stack): boolean {
  const api = stack.api;
  if (api.kind === 'function-url') return false;
  if (api.stage) return true;
  if (Object.values(api.routes).some((t) => t?.rate !== undefined)) return true;
  return api.kind === 'rest' && api.apiKeyRequired === true && api.usagePlans.some((p) => p.throttle || p.quota || p.routes);
}

export interface KeyLimits {
  bucket?: TokenBucket;
  quota?: QuotaCounter;
  /** The plan's per-method throttles for this key, by route key (met before `bucket`). */
  routes?: Map<string, TokenBucket>;
}

/**
 * The limiters of one stack's front door — WAF rate rule, account, stage, route buckets, and per
 * API key a usage-plan bucket and quota (made when first met) — and their fast-forward as a whole.
 * `throttled: false` leaves out the stage, route and usage-plan limits (the "unthrottled" variant).
 */
export class GatewayLimits {
  readonly waf?: WafRateRule;
  /**
   * The WAF rule's verdicts worked out ahead for the whole run (the simulator's, simulate/waf-trace.ts):
   * when set, the gateway reads them instead of asking `waf`, which then holds nothing.
   */
  wafTrace?: WafVerdicts;
  /** What the WAF rule counts a request by: its source IP, or its first X-Forwarded-For hop. */
  readonly wafKey: 'ip' | 'forwarded-ip' = 'ip';
  readonly account?: TokenBucket;
  /**
   * Route buckets by route key: the route's own throttle, else one of the stage's (API Gateway
   * applies the stage's throttle per method, a method override in its place); null: neither.
   */
  private readonly routes = new Map<string, TokenBucket | null>();
  private readonly keys = new Map<string, KeyLimits>();

  constructor(
    private readonly stack: Stack,
    readonly throttled: boolean,
  ) {
    const api = stack.api;
    if (api.kind === 'function-url') return;
    this.account = bucket(api.account);
    if (api.kind === 'rest' && stack.waf?.rateLimit) {
      const r = stack.waf.rateLimit;
      this.waf = new WafRateRule({ limit: r.limit, windowSeconds: r.windowSeconds, delaySeconds: r.delaySeconds });
      this.wafKey = r.key;
    }
  }

  /** The WAF key of a request; undefined when the rule cannot block it (see AdmitRequest.forwarded). */
  wafKeyOf(req: AdmitRequest): string | undefined {
    return this.wafKey === 'ip' ? req.client : req.forwarded;
  }

  /**
   * The bucket a route's requests take (the "unthrottled" variant: none): its own throttle, or a
   * bucket of its own with the stage's rate and burst. AWS applies a stage's throttle "at the API
   * method level": each method (HTTP API: each route) gets the stage's limits, not a share of one
   * stage-wide bucket, and a method's override replaces them.
   */
  routeBucket(key: string): TokenBucket | undefined {
    const existing = this.routes.get(key);
    if (existing !== undefined) return existing ?? undefined;
    // route keys come from the stack's own routes (or the catch-all), so "no bucket" is remembered too (bounded)
    const api = this.stack.api;
    const t = api.routes[key];
    const own = t && t.rate !== undefined ? t : undefined;
    const th = !this.throttled || api.kind === 'function-url' ? undefined : (own ?? api.stage);
    const b = th ? bucket(th) : null;
    this.routes.set(key, b);
    return b ?? undefined;
  }

  keyLimits(key: string, planName: string): KeyLimits {
    let l = this.keys.get(key);
    if (l) return l;
    const plan = this.stack.api.usagePlans.find((p) => p.name === planName);
    l = {
      bucket: plan?.throttle ? bucket(plan.throttle) : undefined,
      quota: plan?.quota ? new QuotaCounter({ limit: plan.quota.limit, period: plan.quota.period, offset: plan.quota.offset }) : undefined,
      routes: plan?.routes ? new Map(Object.entries(plan.routes).map(([route, t]) => [route, bucket(t)])) : undefined,
    };
    this.keys.set(key, l);
    return l;
  }

  /** Reads the WAF rule's verdicts from `trace` from now on (a rule the stack has; its trace already forgets rotating clients). */
  useWafTrace(trace: WafVerdicts): void {
    if (this.waf) this.wafTrace = trace;
  }

  /** An attacker moved to a fresh IP: per-IP state for its requests starts over. */
  forgetClient(req: AdmitRequest): void {
    if (this.wafTrace) return;
    const key = this.wafKeyOf(req);
    if (key !== undefined) this.waf?.forget(key);
  }

  /** Drops per-IP state nobody has used for a while (the emulator calls this now and then). */
  sweep(now: number): void {
    this.waf?.sweep(now);
  }

  /** Steady-state fingerprint for fast-forwarding; undefined while some window is still moving. */
  fingerprint(): string | undefined {
    const parts: string[] = [];
    if (this.waf && !this.wafTrace) {
      const w = this.waf.fingerprint();
      if (w === undefined) return undefined;
      parts.push(w);
    }
    for (const b of [this.account, ...this.routes.values()]) if (b) parts.push(b.fingerprint());
    for (const [k, l] of this.keys) parts.push(`${k}:${l.bucket?.fingerprint() ?? ''}:${l.quota?.fingerprint() ?? ''}${methodParts(l)}`);
    return parts.join('|');
  }

  /** Until when the current steady flows may be repeated (quota resets and exhaustion, WAF verdicts turning). */
  steadyUntil(now: number): number {
    let until = this.wafTrace ? this.wafTrace.steadyUntil(now) : this.waf ? this.waf.steadyUntil() : Infinity;
    for (const l of this.keys.values()) if (l.quota) until = Math.min(until, l.quota.steadyUntil(now));
    return until;
  }

  /** Full state relative to `now`, quotas' counts aside (for the simulator's periodic check). */
  snapshot(now: number): string {
    // a trace's verdicts are a function of time, not of a state that could repeat: never the same
    const parts: string[] = [this.wafTrace ? `trace@${now}` : (this.waf?.snapshot(now) ?? '')];
    parts.push(this.account ? this.account.fingerprint() : '');
    for (const k of [...this.routes.keys()].sort()) {
      const b = this.routes.get(k);
      if (b) parts.push(`${k}:${b.fingerprint()}`);
    }
    for (const k of [...this.keys.keys()].sort()) parts.push(`${k}:${this.keys.get(k)!.bucket?.fingerprint() ?? ''}${methodParts(this.keys.get(k)!)}`);
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
    if (!this.wafTrace) this.waf?.shift(dt);
    for (const b of [this.account, ...this.routes.values()]) b?.shift(dt);
    let i = 0;
    for (const l of this.keys.values()) {
      l.bucket?.shift(dt);
      if (l.routes) for (const b of l.routes.values()) b.shift(dt);
      if (l.quota) l.quota.shift(dt, quotaExtra[i++] ?? 0);
    }
  }

  skipTo(t: number): void {
    if (!this.wafTrace) this.waf?.skipTo(t);
    for (const b of [this.account, ...this.routes.values()]) b?.skipTo(t);
    for (const l of this.keys.values()) {
      l.bucket?.skipTo(t);
      if (l.routes) for (const b of l.routes.values()) b.skipTo(t);
      l.quota?.skipTo(t);
    }
  }
}

/** A key's per-method buckets in a fingerprint or snapshot (route keys in the plan's order: the same for every key). */
function methodParts(l: KeyLimits): string {
  if (!l.routes) return '';
  let s = '';
  for (const [route, b] of l.routes) s += `:${route}=${b.fingerprint()}`;
  return s;
}

function bucket(t: Throttle): TokenBucket {
  return new TokenBucket({ rate: t.rate, burst: t.burst });
}
