import { describe, expect, it } from 'vitest';
import { Gateway, type Admission, type AdmitRequest } from '../../src/limits/gateway.ts';
import type { Stack } from '../../src/stack/types.ts';
import { makeStack } from '../support/stacks.ts';

/*
 * API Gateway's front door, request by request (the emulator's way: n = 1, over = 0) and as flows
 * (the simulator's way). Order, from AWS: REST "usage plan per method → usage plan per key →
 * stage/method settings → account; every level applies" (AWS docs api-gateway-request-throttling;
 * aws-facts.md "REST order"), WAF in front of API Gateway, API keys checked before usage plans,
 * usage plans "bypassed when the method does not require a key" (api-gateway-api-usage-plans).
 * Each order test is built so that the other order gives a different count (written next to it).
 */

const T0 = 1_767_571_200; // 2026-01-05T00:00:00Z, a Monday (any epoch works; quotas reset at 00:00 UTC)
const get = (path = '/items', extra: Partial<AdmitRequest> = {}): AdmitRequest => ({ method: 'GET', path, client: '203.0.113.7', ...extra });
const KEY = 'dowsim-gold-00000001'; // a synthetic key of plan "gold" (stack/api-keys.ts)

/** One request at `now`; answers which count it landed in. */
function one(g: Gateway, now: number, req: AdmitRequest = get()): keyof Omit<Admission, 'routeKey' | 'authReason'> {
  const a = g.admit(now, 1, 0, req);
  const hit = (['wafBlocked', 'authRejected', 'gatewayThrottled', 'quotaExceeded', 'passed'] as const).filter((k) => a[k] === 1);
  expect(hit, JSON.stringify(a)).toHaveLength(1);
  return hit[0];
}

/** `k` requests at the same instant; how many each outcome got. */
function burst(g: Gateway, now: number, k: number, req: AdmitRequest = get()): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = 0; i < k; i++) {
    const o = one(g, now, req);
    out[o] = (out[o] ?? 0) + 1;
  }
  return out;
}

const keyed = (over: Partial<Stack['api']> = {}, rest: Partial<Stack> = {}) =>
  makeStack({
    ...rest,
    api: {
      apiKeyRequired: true,
      usagePlans: [{ name: 'gold', throttle: { rate: 1, burst: 2 }, quota: { limit: 3, period: 'DAY', offset: 0 } }],
      ...over,
    },
  });

describe('Gateway: AWS test vectors (rate 10,000, burst 5,000)', () => {
  it('10,000 requests in the first millisecond: 5,000 served, 5,000 throttled', () => {
    // AWS's REST throttling page: the bucket starts full (5,000), and 1 ms refills 10 tokens — but
    // all 10,000 arrive at once here, so exactly the burst passes
    const g = new Gateway(makeStack({ api: { stage: { rate: 10_000, burst: 5_000 }, account: { rate: 1e9, burst: 1e9 } } }), { throttled: true });
    expect(burst(g, T0, 10_000)).toEqual({ passed: 5_000, gatewayThrottled: 5_000 });
  });

  it('5,000 at t = 0 then 5,000 100 ms later: 6,000 served', () => {
    // 5,000 from the full bucket; 100 ms × 10,000/s = 1,000 tokens refilled → 1,000 more
    const g = new Gateway(makeStack({ api: { stage: { rate: 10_000, burst: 5_000 }, account: { rate: 1e9, burst: 1e9 } } }), { throttled: true });
    // a clock near 0: at an epoch of 1.7e9 s, 0.1 s is not exact in a double (refill 999.9999 tokens)
    const first = burst(g, 10, 5_000);
    const second = burst(g, 10.1, 5_000);
    expect(first).toEqual({ passed: 5_000 });
    expect(second).toEqual({ passed: 1_000, gatewayThrottled: 4_000 });
  });
});

describe('Gateway: REST evaluation order', () => {
  it('WAF comes first: a blocked IP is wafBlocked even on an unknown route or without a key', () => {
    // limit 2 per 60 s, no delay: 3 requests in second 0 → from second 1 on the window holds 3 > 2
    const stack = keyed({ routes: { 'GET /items': null } }, { waf: { rules: 1, rateLimit: { limit: 2, windowSeconds: 60, key: 'ip', delaySeconds: 0 } } });
    const g = new Gateway(stack, { throttled: true });
    expect(burst(g, T0, 3, get('/items', { apiKey: KEY }))).toEqual({ passed: 2, gatewayThrottled: 1 }); // plan burst 2
    expect(one(g, T0 + 1, get('/nowhere'))).toBe('wafBlocked'); // route → authRejected if WAF came later
    expect(one(g, T0 + 1, get('/items'))).toBe('wafBlocked'); // no key → authRejected if WAF came later
    // another IP is not blocked: the rule is per IP
    expect(g.admit(T0 + 1, 1, 0, get('/nowhere', { client: '198.51.100.1' })).authReason).toBe('unknown-route');
  });

  it('the route comes before the API key: an unknown route is "unknown-route", not "missing-key"', () => {
    const g = new Gateway(keyed({ routes: { 'GET /items': null } }), { throttled: true });
    const a = g.admit(T0, 1, 0, get('/other'));
    expect(a).toMatchObject({ authRejected: 1, passed: 0, authReason: 'unknown-route' });
    expect(g.admit(T0, 1, 0, get('/items')).authReason).toBe('missing-key');
    expect(g.admit(T0, 1, 0, get('/items', { apiKey: 'dowsim-silver-00000001' })).authReason).toBe('invalid-key');
  });

  it('rejected keys take no tokens: 5 missing-key requests leave a stage burst of 1 for the keyed one', () => {
    const g = new Gateway(keyed({ stage: { rate: 0.001, burst: 1 } }), { throttled: true });
    expect(burst(g, T0, 5)).toEqual({ authRejected: 5 });
    expect(one(g, T0, get('/items', { apiKey: KEY }))).toBe('passed');
    expect(one(g, T0, get('/items', { apiKey: KEY }))).toBe('gatewayThrottled'); // stage empty now
  });

  it('usage-plan throttle before quota: throttled requests do not use the quota', () => {
    // plan: rate 1, burst 2; quota 3/day.
    // t0: 4 requests → 2 pass (burst), 2 throttled; quota used 2.
    // t0 + 10 s: the bucket is full again (2); 2 requests → 1 passes (quota 3 − 2), 1 quotaExceeded.
    // (quota first would give t0: 3 pass-the-quota, 2 through the bucket, 1 throttled, 1 quotaExceeded.)
    const g = new Gateway(keyed(), { throttled: true });
    expect(burst(g, T0, 4, get('/items', { apiKey: KEY }))).toEqual({ passed: 2, gatewayThrottled: 2 });
    expect(burst(g, T0 + 10, 2, get('/items', { apiKey: KEY }))).toEqual({ passed: 1, quotaExceeded: 1 });
    // the quota resets at 00:00 UTC the next day (DAY period)
    expect(one(g, T0 + 86_400, get('/items', { apiKey: KEY }))).toBe('passed');
  });

  it('quota-exceeded requests take no stage tokens', () => {
    // quota 1/day, stage burst 2 (rate ≈ 0): key A uses its quota (stage 2 → 1), 3 more of A are
    // quotaExceeded (stage stays 1), so key B still gets the last stage token
    const stack = keyed({ stage: { rate: 0.001, burst: 2 }, usagePlans: [{ name: 'gold', quota: { limit: 1, period: 'DAY', offset: 0 } }] });
    const g = new Gateway(stack, { throttled: true });
    expect(burst(g, T0, 4, get('/items', { apiKey: KEY }))).toEqual({ passed: 1, quotaExceeded: 3 });
    expect(one(g, T0, get('/items', { apiKey: 'dowsim-gold-00000002' }))).toBe('passed');
    expect(one(g, T0, get('/items', { apiKey: 'dowsim-gold-00000003' }))).toBe('gatewayThrottled');
  });

  it.each(['rest', 'http'] as const)('%s: the stage throttle is per route, and a route\'s own throttle takes its place', (kind) => {
    // AWS applies the stage's limits "at the API method level": every route without its own gets a
    // bucket of the stage's size, and a route's own throttle (a method override, an HTTP API's route
    // settings) replaces it. Stage burst 2, every rate ≈ 0 (nothing refills in this test):
    //   GET /a: own burst 1   → passed, throttled
    //   GET /b: stage's size  → passed, passed, throttled
    //   GET /c: stage's size  → passed, passed, throttled (its own 2: /b took none of them)
    //   GET /d: own burst 5, looser than the stage → 5 passed, then throttled
    // (one stage-wide bucket under the routes' own would pass 2 in all: /a 1, /b 1, nothing more)
    const stack = makeStack({
      api: { kind, stage: { rate: 0.001, burst: 2 }, routes: { 'GET /a': { rate: 0.001, burst: 1 }, 'GET /b': null, 'GET /c': null, 'GET /d': { rate: 0.001, burst: 5 } } },
    });
    const g = new Gateway(stack, { throttled: true });
    const seq = (path: string, n: number) => Array.from({ length: n }, () => one(g, T0, get(path)));
    expect(seq('/a', 2)).toEqual(['passed', 'gatewayThrottled']);
    expect(seq('/b', 3)).toEqual(['passed', 'passed', 'gatewayThrottled']);
    expect(seq('/c', 3)).toEqual(['passed', 'passed', 'gatewayThrottled']);
    expect(seq('/d', 6)).toEqual([...Array(5).fill('passed'), 'gatewayThrottled']);
    // the unthrottled variant keeps none of them
    const free = new Gateway(stack, { throttled: false });
    expect(Array.from({ length: 6 }, () => one(free, T0, get('/b')))).toEqual(Array(6).fill('passed'));
  });

  it('a batch of flows on two routes: each route draws on its own stage-sized bucket', () => {
    // stage 100/s burst 100; over 1 s each route's bucket holds 100 + 100 = 200: 300 on /b → 200
    // pass, 150 on /c → all 150 (a shared stage bucket would pass 200 of the 450 in all)
    const stack = makeStack({ api: { stage: { rate: 100, burst: 100 }, routes: { 'GET /b': null, 'GET /c': null } } });
    const g = new Gateway(stack, { throttled: true });
    const out = g.admitBatch(T0 + 1, 1, [{ n: 300, req: get('/b') }, { n: 150, req: get('/c') }]);
    expect(out.map((a) => a.passed)).toEqual([200, 150]);
    expect(out[0].gatewayThrottled).toBeCloseTo(100, 9);
  });

  it('stage before account: a request the stage refuses takes no account token', () => {
    // stage rate 1 burst 1; account rate 0.001 burst 2.
    // t0: #1 passes (stage 0, account 1); #2 refused by the stage (account stays 1).
    // t0 + 1: the stage refilled 1 → #3 passes (account 0). t0 + 2: account has 0.002 → #4 throttled.
    // (account first: #2 would take the account's last token and #3 would be throttled → 1 passed.)
    const g = new Gateway(makeStack({ api: { stage: { rate: 1, burst: 1 }, account: { rate: 0.001, burst: 2 } } }), { throttled: true });
    expect([one(g, T0), one(g, T0), one(g, T0 + 1), one(g, T0 + 2)]).toEqual(['passed', 'gatewayThrottled', 'passed', 'gatewayThrottled']);
  });

  it("a plan's method throttle comes before its own, per key and per method", () => {
    // plan gold: its own throttle burst 3, and GET /a burst 1 (AWS: the usage plan's per-method
    // throttle, ApiStages[].Throttle "/a/GET"); rates ≈ 0, nothing refills. Key 1:
    //   GET /a × 3 → passed, throttled, throttled (the method's burst 1; the 2 refused take none of the plan's 3)
    //   GET /b × 3 → passed, passed, throttled (the plan's 3 less the 1 that /a took)
    // key 2 has buckets of its own: GET /a → passed
    // (the plan's throttle first would leave /a's refused requests holding 2 of its 3 tokens: /b 1 passed;
    //  one method bucket for all keys would throttle key 2's /a)
    const stack = keyed({
      routes: { 'GET /a': null, 'GET /b': null },
      usagePlans: [{ name: 'gold', throttle: { rate: 0.001, burst: 3 }, routes: { 'GET /a': { rate: 0.001, burst: 1 } } }],
    });
    const g = new Gateway(stack, { throttled: true });
    const seq = (path: string, n: number, apiKey = KEY) => Array.from({ length: n }, () => one(g, T0, get(path, { apiKey })));
    expect(seq('/a', 3)).toEqual(['passed', 'gatewayThrottled', 'gatewayThrottled']);
    expect(seq('/b', 3)).toEqual(['passed', 'passed', 'gatewayThrottled']);
    expect(seq('/a', 1, 'dowsim-gold-00000002')).toEqual(['passed']);
    // the unthrottled variant drops it with the plan's other limits
    const free = new Gateway(stack, { throttled: false });
    expect(Array.from({ length: 3 }, () => one(free, T0, get('/a', { apiKey: KEY })))).toEqual(Array(3).fill('passed'));
  });

  it("a plan's method throttle refills, and a method without one is not held by it", () => {
    // GET /a: 2 rps burst 2 per key. 5 at t0 → 2 pass; 5 at t0 + 1 s → 2 more (refilled 2); /b is free
    const stack = keyed({ routes: { 'GET /a': null, 'GET /b': null }, usagePlans: [{ name: 'gold', routes: { 'GET /a': { rate: 2, burst: 2 } } }] });
    const g = new Gateway(stack, { throttled: true });
    expect(burst(g, T0, 5, get('/a', { apiKey: KEY }))).toEqual({ passed: 2, gatewayThrottled: 3 });
    expect(burst(g, T0 + 1, 5, get('/a', { apiKey: KEY }))).toEqual({ passed: 2, gatewayThrottled: 3 });
    expect(burst(g, T0 + 1, 5, get('/b', { apiKey: KEY }))).toEqual({ passed: 5 });
  });

  it('usage plans apply only where a key is required', () => {
    // the same plan with apiKeyRequired false: 10 requests, no plan throttle (burst 2), no quota (3)
    const g = new Gateway(keyed({ apiKeyRequired: false }), { throttled: true });
    expect(burst(g, T0, 10, get('/items', { apiKey: KEY }))).toEqual({ passed: 10 });
  });
});

describe('Gateway: variants and API kinds', () => {
  it('unthrottled drops stage, route and usage-plan limits but keeps the account limit', () => {
    // account burst 3 (rate ≈ 0): 10 keyed requests → 3 pass; the plan (burst 2, quota 3), stage
    // (burst 1) and route (burst 1) would otherwise stop them at 1
    const stack = keyed({ account: { rate: 0.001, burst: 3 }, stage: { rate: 0.001, burst: 1 }, routes: { 'GET /items': { rate: 0.001, burst: 1 } } });
    const un = new Gateway(stack, { throttled: false });
    expect(burst(un, T0, 10, get('/items', { apiKey: KEY }))).toEqual({ passed: 3, gatewayThrottled: 7 });
    const th = new Gateway(stack, { throttled: true });
    expect(burst(th, T0, 10, get('/items', { apiKey: KEY }))).toEqual({ passed: 1, gatewayThrottled: 9 });
  });

  it('unthrottled still needs a valid key: API keys are access control, not throttling', () => {
    const un = new Gateway(keyed(), { throttled: false });
    expect(un.admit(T0, 1, 0, get('/items')).authReason).toBe('missing-key');
  });

  it('unthrottled drops the quota: 100 keyed requests over 100 s all pass (quota 3/day)', () => {
    const un = new Gateway(keyed(), { throttled: false });
    let passed = 0;
    for (let i = 0; i < 100; i++) passed += un.admit(T0 + i, 1, 0, get('/items', { apiKey: KEY })).passed;
    expect(passed).toBe(100);
  });

  it('HTTP API: no WAF and no keys, route → stage → account', () => {
    // a WAF section is ignored on an HTTP API (AWS: no WAF for HTTP APIs); stage burst 2
    const stack = makeStack({
      api: { kind: 'http', stage: { rate: 0.001, burst: 2 }, routes: { 'GET /items': null }, integrationTimeout: 30 },
      waf: { rules: 1, rateLimit: { limit: 1, windowSeconds: 60, key: 'ip', delaySeconds: 0 } },
    });
    const g = new Gateway(stack, { throttled: true });
    expect(burst(g, T0, 3)).toEqual({ passed: 2, gatewayThrottled: 1 });
    expect(burst(g, T0 + 5, 1)).toEqual({ gatewayThrottled: 1 }); // not wafBlocked
    expect(g.admit(T0, 1, 0, get('/x')).authReason).toBe('unknown-route');
  });

  it('function URL: the gateway lets everything through (its limits live in LambdaModel)', () => {
    const g = new Gateway(makeStack({ api: { kind: 'function-url', account: { rate: 1, burst: 1 } } }), { throttled: true });
    expect(burst(g, T0, 50)).toEqual({ passed: 50 });
  });
});

describe('Gateway: flows (the simulator)', () => {
  it('flows share the stage bucket pro rata', () => {
    // stage rate 100 burst 100, bucket full; over 1 s: 100 + 100 × 1 = 200 tokens for 300 + 100
    // requests → half pass: 150 and 50
    const g = new Gateway(makeStack({ api: { stage: { rate: 100, burst: 100 } } }), { throttled: true });
    const [a, b] = g.admitBatch(T0 + 1, 1, [
      { n: 300, req: get() },
      { n: 100, req: get() },
    ]);
    expect(a.passed).toBeCloseTo(150, 9);
    expect(a.gatewayThrottled).toBeCloseTo(150, 9);
    expect(b.passed).toBeCloseTo(50, 9);
    expect(b.gatewayThrottled).toBeCloseTo(50, 9);
  });

  it('per-key limits see n / clients: 10 keys at 100 rps each against a plan of rate 10, burst 20', () => {
    // each key: 20 (burst) + 10 × 1 s = 30 of its 100 → 10 × 30 = 300 pass, 700 throttled
    const stack = keyed({ usagePlans: [{ name: 'gold', throttle: { rate: 10, burst: 20 } }] });
    const g = new Gateway(stack, { throttled: true });
    const [a] = g.admitBatch(T0 + 1, 1, [{ n: 1000, req: get('/items', { apiKey: KEY, clients: 10 }) }]);
    expect(a.passed).toBeCloseTo(300, 9);
    expect(a.gatewayThrottled).toBeCloseTo(700, 9);
  });

  it("a plan's method throttle as flows: n / clients per key, a mix's other route untouched", () => {
    // 10 keys at 100 rps each, a mix of 60 on GET /a and 40 on GET /b; the plan throttles GET /a
    // at 10 rps burst 20 per key. Over 1 s each key passes 20 + 10 = 30 of its 60 on /a, all 40 on
    // /b: 300 and 400 of 600 and 400 (one bucket for all keys would pass 30 of the 600)
    const stack = keyed({ routes: { 'GET /a': null, 'GET /b': null }, usagePlans: [{ name: 'gold', routes: { 'GET /a': { rate: 10, burst: 20 } } }] });
    const g = new Gateway(stack, { throttled: true });
    const [a, b] = g.admitBatch(T0 + 1, 1, [
      { n: 600, req: get('/a', { apiKey: KEY, clients: 10 }) },
      { n: 400, req: get('/b', { apiKey: KEY, clients: 10 }) },
    ]);
    expect(a.passed).toBeCloseTo(300, 9);
    expect(a.gatewayThrottled).toBeCloseTo(300, 9);
    expect(b.passed).toBeCloseTo(400, 9);
    // the next second: the bucket is empty, 10 more per key refill → 100 of /a's 600
    const [a2] = g.admitBatch(T0 + 2, 1, [
      { n: 600, req: get('/a', { apiKey: KEY, clients: 10 }) },
      { n: 400, req: get('/b', { apiKey: KEY, clients: 10 }) },
    ]);
    expect(a2.passed).toBeCloseTo(100, 9);
  });

  it('a batch of one flow and admit() agree, tick after tick', () => {
    // the emulator's and the simulator's entry points must give the same counts for one flow
    const stack = keyed({ stage: { rate: 40, burst: 80 }, usagePlans: [{ name: 'gold', throttle: { rate: 30, burst: 60 }, quota: { limit: 500, period: 'DAY', offset: 0 } }] });
    const a = new Gateway(stack, { throttled: true });
    const b = new Gateway(stack, { throttled: true });
    const req = get('/items', { apiKey: KEY });
    for (let s = 1; s <= 20; s++) {
      const x = a.admit(T0 + s, 70, 1, req);
      const [y] = b.admitBatch(T0 + s, 1, [{ n: 70, req }]);
      expect(y).toEqual(x);
    }
    // 20 ticks of 70: plan 60 + 30/s caps each tick, quota 500 ends it: Σ passed = 500 exactly
    let passed = 0;
    const c = new Gateway(stack, { throttled: true });
    for (let s = 1; s <= 20; s++) passed += c.admit(T0 + s, 70, 1, req).passed;
    expect(passed).toBeCloseTo(500, 9);
  });
});
