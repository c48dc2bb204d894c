import { describe, expect, it } from 'vitest';
import { Gateway, type AdmitRequest } from '../../src/limits/gateway.ts';
import { NO_FLOW } from '../../src/limits/band.ts';
import { syntheticApiKey } from '../../src/stack/api-keys.ts';
import type { Stack } from '../../src/stack/types.ts';
import { makeStack } from '../support/stacks.ts';

// The simulator's way through the gateway: flows of many alike clients, per 1 s tick. Per-client
// limits (WAF, usage-plan keys) see a flow's n / clients; flows from one client and key are one
// group; what a limit refuses is split pro rata.
const T0 = 1_767_571_200; // Monday 00:00 UTC
const K1 = syntheticApiKey('gold', 1);
const K2 = syntheticApiKey('gold', 2);
const req = (client: string, more: Partial<AdmitRequest> = {}): AdmitRequest => ({ method: 'GET', path: '/items', client, forwarded: client, ...more });
const plan = (p: Partial<Stack['api']['usagePlans'][number]>) =>
  new Gateway(makeStack({ api: { apiKeyRequired: true, usagePlans: [{ name: 'gold', ...p }] } }), { throttled: true });

describe('flows: per-client limits see n / clients', () => {
  it('WAF: a cohort of 10 at 100/s is 10/s per client; limit 15 per 60 s blocks it from the third second', () => {
    // per client: second 1 sees 0, second 2 sees 10, second 3 sees 20 > 15
    const g = new Gateway(makeStack({ waf: { rules: 1, rateLimit: { limit: 15, windowSeconds: 60, key: 'ip', delaySeconds: 0 } } }), { throttled: true });
    const r = req('c1', { clients: 10 });
    expect([1, 2, 3].map((s) => g.admitBatch(T0 + s, 1, [{ n: 100, req: r }])[0].passed)).toEqual([100, 100, 0]);
  });

  it('usage-plan bucket: 10 keys at 25/s each into rate 10 burst 20 leave 5 each, then pass 15 each', () => {
    // second 1: 20 + 10 = 30 available, 25 used → 5 left; second 2: 5 + 10 = 15 of 25
    const g = plan({ throttle: { rate: 10, burst: 20 } });
    const r = req('c1', { apiKey: K1, clients: 10 });
    expect(g.admitBatch(T0 + 1, 1, [{ n: 250, req: r }])[0].passed).toBeCloseTo(250, 9);
    expect(g.admitBatch(T0 + 2, 1, [{ n: 250, req: r }])[0].passed).toBeCloseTo(150, 9);
  });

  it('usage-plan quota: 10 keys × 50 of a 100/day quota twice pass, the third time nothing', () => {
    const g = plan({ quota: { limit: 100, period: 'DAY', offset: 0 } });
    const r = req('c1', { apiKey: K1, clients: 10 });
    expect([1, 2, 3].map((s) => g.admitBatch(T0 + s, 1, [{ n: 500, req: r }])[0].passed)).toEqual([500, 500, 0]);
  });
});

describe('flows: grouping by client and key', () => {
  it('flows of one client and key share its bucket; other keys have their own', () => {
    // rate 10 burst 10; second 1: K1 and K2 (one flow each, 100) pass 20 each
    const g = plan({ throttle: { rate: 10, burst: 10 } });
    const a = req('c1', { apiKey: K1 });
    const b = req('c2', { apiKey: K2 });
    expect(g.admitBatch(T0 + 1, 1, [{ n: 100, req: a }, { n: 100, req: b }]).map((x) => x.passed)).toEqual([20, 20]);
    // second 2: two flows of K1 (two routes, one client) share its 0 + 10 tokens: 5 each
    const c = req('c1', { apiKey: K1, path: '/x' });
    const d = req('c1', { apiKey: K1, path: '/y' });
    expect(g.admitBatch(T0 + 2, 1, [{ n: 100, req: c }, { n: 100, req: d }]).map((x) => x.passed)).toEqual([5, 5]);
  });

  it('one client holding two keys is two groups: each key its own bucket', () => {
    const g = plan({ throttle: { rate: 10, burst: 10 } });
    const out = g.admitBatch(T0 + 1, 1, [{ n: 100, req: req('c1', { apiKey: K1 }) }, { n: 100, req: req('c1', { apiKey: K2 }) }]);
    expect(out.map((x) => x.passed)).toEqual([20, 20]);
  });
});

describe('flows: pauses and refusals', () => {
  it('a client that pauses still moves its WAF window on', () => {
    // window 2 s (the rule remembers 4): one second of 10, then 4 silent seconds → all forgotten
    const g = new Gateway(makeStack({ waf: { rules: 1, rateLimit: { limit: 100, windowSeconds: 2, key: 'ip', delaySeconds: 0 } } }), { throttled: true });
    const r = req('c1');
    g.admitBatch(T0 + 1, 1, [{ n: 10, req: r }]);
    for (let s = 2; s <= 5; s++) g.admitBatch(T0 + s, 1, [{ n: 0, req: r }]);
    // silent in its last tick ('s'), and nothing left of its 10 in the 4 seconds it remembers
    expect(g.limits.fingerprint()).toBe('c1=s|5000');
    expect(g.limits.snapshot(T0 + 5)).toBe('c1=0,0,0,0|5000'); // no route bucket
  });

  it('nothing arriving at a gateway without WAF is nothing to count', () => {
    const g = new Gateway(makeStack({ api: { stage: { rate: 10, burst: 10 } } }), { throttled: true });
    expect(g.admitBatch(T0 + 1, 1, [{ n: 0, req: req('c1') }])[0]).toMatchObject({ passed: 0, gatewayThrottled: 0 });
  });

  it('a WAF-blocked request is not also judged for its key', () => {
    const g = new Gateway(
      makeStack({ waf: { rules: 1, rateLimit: { limit: 1, windowSeconds: 60, key: 'ip', delaySeconds: 0 } }, api: { apiKeyRequired: true, usagePlans: [{ name: 'gold' }] } }),
      { throttled: true },
    );
    g.admit(T0, 1, 0, req('c1'));
    g.admit(T0, 1, 0, req('c1'));
    const a = g.admit(T0, 1, 0, req('c1'));
    expect(a.wafBlocked).toBe(1);
    expect(a.authRejected).toBe(0);
    expect(a.authReason).toBeUndefined();
  });
});

describe('strides: what stays steady', () => {
  it('flows that all miss every route pass nothing, even past a stage', () => {
    const g = new Gateway(makeStack({ api: { stage: { rate: 10, burst: 10 }, routes: { 'GET /items': null } } }), { throttled: true });
    expect(g.strideBands(T0 + 10, 10, [{ n: 10, band: { lo: 1, hi: 1 }, req: req('c1', { path: '/nowhere' }) }])).toEqual([NO_FLOW]);
  });

  it('a stride across midnight is an edge for a daily quota', () => {
    const g = plan({ quota: { limit: 1_000_000, period: 'DAY', offset: 0 } });
    const r = req('c1', { apiKey: K1 });
    expect(g.strideBands(T0 + 20, 10, [{ n: 10, band: { lo: 1, hi: 1 }, req: r }])).toEqual([{ lo: 1, hi: 1 }]);
    expect(g.strideBands(T0 + 5, 10, [{ n: 10, band: { lo: 1, hi: 1 }, req: r }])).toBeUndefined();
  });
});
