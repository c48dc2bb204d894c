import { describe, expect, it } from 'vitest';
import { Gateway, type AdmitRequest } from '../../src/limits/gateway.ts';
import type { Stack } from '../../src/stack/types.ts';
import { makeStack } from '../support/stacks.ts';

// GatewayLimits' fast-forward as a whole: fingerprint, snapshot, steadyUntil, shift and skipTo
// over every limiter the front door holds. Account 10,000 rps burst 5,000 (makeStack's default).
const T0 = 1_767_571_200; // Monday 2026-01-05 00:00 UTC
const KEY1 = 'dowsim-gold-00000001';
const KEY2 = 'dowsim-gold-00000002';
const get = (apiKey?: string): AdmitRequest => ({ method: 'GET', path: '/items', client: '192.0.2.1', forwarded: '192.0.2.1', ...(apiKey ? { apiKey } : {}) });
const keyed = (more: Partial<Stack> = {}) =>
  new Gateway(
    makeStack({
      ...more,
      api: { apiKeyRequired: true, usagePlans: [{ name: 'gold', throttle: { rate: 30, burst: 60 }, quota: { limit: 10_000, period: 'DAY', offset: 0 } }] },
    }),
    { throttled: true },
  );
// GET /items takes the stage's throttle (a bucket of its own of that size), POST /items its own
const staged = () => new Gateway(makeStack({ api: { stage: { rate: 100, burst: 100 }, routes: { 'GET /items': null, 'POST /items': { rate: 500, burst: 500 } } } }), { throttled: true });
const post = (): AdmitRequest => ({ ...get(), method: 'POST' });

describe('gateway limits: fingerprint and snapshot', () => {
  it('lists the account\'s and the routes\' buckets\' tokens (a route taking the stage\'s throttle has one of its own)', () => {
    const g = staged();
    // 150 GET and 150 POST over 1 s: GET's stage-sized bucket 100 + 100 − 150 = 50; POST's own
    // 500 + 500 − 150 → 500 (capped); account 5,000 + 10,000 − 300 → 5,000 (capped)
    const out = g.admitBatch(T0 + 1, 1, [{ n: 150, req: get() }, { n: 150, req: post() }]);
    expect(out.map((a) => a.passed)).toEqual([150, 150]);
    expect(g.limits.fingerprint()).toBe('5000|50|500');
    expect(g.limits.snapshot(T0 + 1)).toBe('|5000|GET /items:50|POST /items:500');
  });

  it('and per API key its usage-plan bucket and quota', () => {
    const g = keyed();
    // 70 over 1 s: plan bucket 60 + 30 − 70 = 20; quota 70 used, not spent
    g.admitBatch(T0 + 1, 1, [{ n: 70, req: get(KEY1) }]);
    expect(g.limits.fingerprint()).toBe(`5000|${KEY1}:20:70|in`);
    expect(g.limits.snapshot(T0 + 1)).toBe(`|5000|${KEY1}:20`); // no WAF, no route bucket
  });

  it('holds each WAF key\'s verdict and count per second, even while its window fills; steadyUntil says how long', () => {
    const g = keyed({ waf: { rules: 1, rateLimit: { limit: 100_000, windowSeconds: 60, key: 'ip', delaySeconds: 0 } } });
    const req = get(KEY1);
    g.admitBatch(T0 + 1, 1, [{ n: 10, req }]);
    // the key sends 10 a second, far under 100,000 in any window: quiet for good; the quota (10,000
    // a day, 10 used, 10/s) is the edge: spent after 999 s, one tick short of that
    expect(g.limits.fingerprint()).toBe(`192.0.2.1=q10|5000|${KEY1}:60:10|in`);
    expect(g.limits.steadyUntil(T0)).toBeCloseTo(T0 + 9990 / 10 - 1, 6);
    for (let s = 2; s <= 62; s++) g.admitBatch(T0 + s, 1, [{ n: 10, req }]);
    expect(g.limits.fingerprint()).toBe(`192.0.2.1=q10|5000|${KEY1}:60:10|in`);
  });
});

describe('gateway limits: steadyUntil, shift, skipTo', () => {
  it('steadyUntil is the earliest quota edge; without quotas, forever', () => {
    expect(staged().limits.steadyUntil(T0)).toBe(Infinity);
    const g = keyed();
    g.admitBatch(T0 + 1, 1, [{ n: 70, req: get(KEY1) }]);
    // 70/s with 9,930 left: spent after 141.857 s; one tick short of that
    expect(g.limits.steadyUntil(T0 + 1)).toBeCloseTo(T0 + 1 + 9930 / 70 - 1, 6);
  });

  it('shift adds each quota its own extra count, in the order quotaCounters lists them', () => {
    const g = keyed();
    g.admitBatch(T0 + 1, 1, [{ n: 10, req: get(KEY1) }]);
    g.admitBatch(T0 + 1, 1, [{ n: 20, req: get(KEY2) }]);
    const [q1, q2] = g.limits.quotaCounters();
    g.limits.shift(100, [1000, 2000]);
    expect(q1.usedInPeriod).toBe(1010);
    expect(q2.usedInPeriod).toBe(2020);
  });

  it('skipTo holds a drained stage drained (no refill credited) and repeats the quotas\' use', () => {
    const g = keyed();
    const s = staged();
    // a 300/s flood: stage passes 200 in the first second, then 100 a second
    for (let t = 1; t <= 3; t++) s.admitBatch(T0 + t, 1, [{ n: 300, req: get() }]);
    s.limits.skipTo(T0 + 50);
    expect(s.admitBatch(T0 + 51, 1, [{ n: 300, req: get() }])[0].passed).toBeCloseTo(100, 9);
    // quota: 10/s for 3 s, skipped to 50 → 500 used
    for (let t = 1; t <= 3; t++) g.admitBatch(T0 + t, 1, [{ n: 10, req: get(KEY1) }]);
    g.limits.skipTo(T0 + 50);
    expect(g.limits.quotaCounters()[0].usedInPeriod).toBeCloseTo(500, 9);
  });

  it('shift moves the buckets\' clocks: the state repeats dt later', () => {
    const a = staged();
    const b = staged();
    for (const g of [a, b]) for (let t = 1; t <= 3; t++) g.admitBatch(T0 + t, 1, [{ n: 300, req: get() }]);
    b.limits.shift(1000);
    expect(b.limits.snapshot(T0 + 1003)).toBe(a.limits.snapshot(T0 + 3));
    expect(b.admitBatch(T0 + 1004, 1, [{ n: 300, req: get() }])[0].passed).toBeCloseTo(100, 9);
  });
});
