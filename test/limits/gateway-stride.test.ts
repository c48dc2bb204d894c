import { describe, expect, it } from 'vitest';
import { Gateway, type AdmitRequest } from '../../src/limits/gateway.ts';
import type { Band } from '../../src/limits/band.ts';
import type { Stack } from '../../src/stack/types.ts';
import { makeStack } from '../support/stacks.ts';

// Gateway.strideBands: what passes of each flow over a 10 s stride, as per-second bands, when every
// limit it meets answers the stride as it would answer its seconds one by one; undefined at an
// edge. Buckets are drained first by a 1 s flood at T0 + 1 (then they hold nothing at T0 + 1 and a
// band always above a rate passes exactly that rate).
const T0 = 1_767_571_200;
const KEY = 'dowsim-gold-00000001';
const req = (path = '/items', more: Partial<AdmitRequest> = {}): AdmitRequest => ({ method: 'GET', path, client: '192.0.2.1', forwarded: '192.0.2.1', ...more });
const gw = (api: Partial<Stack['api']>, more: Partial<Stack> = {}, throttled = true) => new Gateway(makeStack({ ...more, api }), { throttled });
const stride = (g: Gateway, flows: { n?: number; band: Band; req: AdmitRequest }[]) =>
  g.strideBands(T0 + 11, 10, flows.map((f) => ({ n: f.n ?? f.band.hi * 10, band: f.band, req: f.req })));
const drain = (g: Gateway, r: AdmitRequest, n = 100_000) => g.admitBatch(T0 + 1, 1, [{ n, req: r }]);

describe('strideBands: what is refused before any limit', () => {
  it('a function URL has no gateway: every band passes as it is', () => {
    const b = { lo: 5, hi: 7 };
    const out = stride(gw({ kind: 'function-url', integrationTimeout: 29 } as Partial<Stack['api']>), [{ band: b, req: req() }]);
    expect(out).toEqual([b]);
  });

  it('flows that send nothing pass nothing; unknown routes pass nothing', () => {
    const g = gw({ routes: { 'GET /items': null } });
    expect(stride(g, [{ n: 0, band: { lo: 1, hi: 2 }, req: req() }, { band: { lo: 0, hi: 0 }, req: req() }, { band: { lo: 1, hi: 2 }, req: req('/other') }, { band: { lo: 3, hi: 4 }, req: req() }])).toEqual([
      { lo: 0, hi: 0 },
      { lo: 0, hi: 0 },
      { lo: 0, hi: 0 },
      { lo: 3, hi: 4 },
    ]);
  });

  it('where a key is required, flows without a valid one pass nothing', () => {
    const g = gw({ apiKeyRequired: true, usagePlans: [{ name: 'gold' }] });
    expect(stride(g, [{ band: { lo: 1, hi: 2 }, req: req() }, { band: { lo: 1, hi: 2 }, req: req('/items', { apiKey: 'dowsim-silver-00000001' }) }, { band: { lo: 1, hi: 2 }, req: req('/items', { apiKey: KEY }) }])).toEqual([
      { lo: 0, hi: 0 },
      { lo: 0, hi: 0 },
      { lo: 1, hi: 2 },
    ]);
  });
});

describe('strideBands: the WAF rule', () => {
  // limit 1,000 per 60 s: a client stays quiet while its per-second rate × (10 + 1) ≤ 1,000
  const waf = () => gw({}, { waf: { rules: 1, rateLimit: { limit: 1000, windowSeconds: 60, key: 'ip', delaySeconds: 30 } } });

  it('per client: a cohort of 10 at 500/s is 50/s each (550 ≤ 1,000); at 1,000/s, 100/s each (1,100): an edge', () => {
    expect(stride(waf(), [{ band: { lo: 500, hi: 500 }, req: req('/items', { clients: 10 }) }])).toEqual([{ lo: 500, hi: 500 }]);
    expect(stride(waf(), [{ band: { lo: 1000, hi: 1000 }, req: req('/items', { clients: 10 }) }])).toBeUndefined();
  });

  it('a client\'s flows count together: two of 500/s from one cohort of 10 are an edge', () => {
    const two = [{ band: { lo: 500, hi: 500 }, req: req('/items', { clients: 10 }) }, { band: { lo: 500, hi: 500 }, req: req('/b', { clients: 10 }) }];
    expect(stride(waf(), two)).toBeUndefined();
  });
});

describe('strideBands: usage plans', () => {
  // plan throttle rate 10 burst 20 per key; a cohort of 10 clients holds 10 keys
  const plan = (quota?: number, throttled = true) =>
    gw({ apiKeyRequired: true, usagePlans: [{ name: 'gold', throttle: { rate: 10, burst: 20 }, ...(quota ? { quota: { limit: quota, period: 'DAY' as const, offset: 0 } } : {}) }] }, {}, throttled);
  const keyed = (clients = 10) => req('/items', { apiKey: KEY, clients });

  it('a full key bucket is an edge; drained, a band above the rate gets the pro-rata bounds of the rate, per key', () => {
    expect(stride(plan(), [{ band: { lo: 200, hi: 300 }, req: keyed() }])).toBeUndefined();
    const g = plan();
    drain(g, keyed());
    // per key {20, 30} → the bucket passes 10: bounds {20 × 10 / 30, 30 × 10 / 20} = {6.67, 15},
    // × 10 keys = {66.67, 150} (the sharing rule's bounds, which hold the exact 100)
    const [b] = stride(g, [{ band: { lo: 200, hi: 300 }, req: keyed() }])!;
    expect(b.lo).toBeCloseTo(200 / 3, 9);
    expect(b.hi).toBeCloseTo(150, 9);
    // under the rate (5 … 9 per key) everything passes
    expect(stride(g, [{ band: { lo: 50, hi: 90 }, req: keyed() }])).toEqual([{ lo: 50, hi: 90 }]);
  });

  it('a quota that lasts the stride passes the band; a spent one passes nothing; unthrottled ignores both', () => {
    const lasting = plan(1_000_000);
    expect(stride(lasting, [{ band: { lo: 1, hi: 5 }, req: keyed(1) }])).toEqual([{ lo: 1, hi: 5 }]);
    // 5/s for 10 s = 50 > 40 left: an edge
    const short = plan(40);
    expect(stride(short, [{ band: { lo: 1, hi: 5 }, req: keyed(1) }])).toBeUndefined();
    const spent = plan(20);
    drain(spent, keyed(1)); // the key's burst of 20 uses the quota up
    expect(stride(spent, [{ band: { lo: 1, hi: 5 }, req: keyed(1) }])).toEqual([{ lo: 0, hi: 0 }]);
    const un = plan(20, false);
    drain(un, keyed(1));
    expect(stride(un, [{ band: { lo: 1, hi: 5 }, req: keyed(1) }])).toEqual([{ lo: 1, hi: 5 }]);
  });
});

describe('strideBands: shared buckets', () => {
  it('a drained route bucket passes its rate to its route only; unthrottled, nothing binds', () => {
    const api = { routes: { 'GET /items': { rate: 50, burst: 50 }, 'GET /other': null } };
    const g = gw(api);
    drain(g, req());
    // /items {60, 80} into rate 50: {60 × 50 / 80, 80 × 50 / 60} = {37.5, 66.67}; /other untouched
    const [items, other] = stride(g, [{ band: { lo: 60, hi: 80 }, req: req() }, { band: { lo: 10, hi: 20 }, req: req('/other') }])!;
    expect(items.lo).toBeCloseTo(37.5, 9);
    expect(items.hi).toBeCloseTo(200 / 3, 9);
    expect(other).toEqual({ lo: 10, hi: 20 });
    const un = gw(api, {}, false);
    drain(un, req());
    expect(stride(un, [{ band: { lo: 60, hi: 80 }, req: req() }])).toEqual([{ lo: 60, hi: 80 }]);
  });

  it('a drained stage shares its rate pro rata: two {60, 80} flows into 100/s get {37.5, 66.67} each', () => {
    // Σ = {120, 160} → the stage passes {100, 100}; lo: 60 × 100 / 160, hi: 80 × 100 / 120
    const g = gw({ stage: { rate: 100, burst: 100 } });
    drain(g, req());
    const out = stride(g, [{ band: { lo: 60, hi: 80 }, req: req() }, { band: { lo: 60, hi: 80 }, req: req('/b', { client: '192.0.2.2' }) }])!;
    for (const b of out) {
      expect(b.lo).toBeCloseTo(37.5, 9);
      expect(b.hi).toBeCloseTo(200 / 3, 9);
    }
  });

  it('the account binds even unthrottled; a full account bucket is an edge', () => {
    const api = { account: { rate: 100, burst: 100 } };
    expect(stride(gw(api, {}, false), [{ band: { lo: 150, hi: 150 }, req: req() }])).toBeUndefined();
    const g = gw(api, {}, false);
    drain(g, req());
    expect(stride(g, [{ band: { lo: 150, hi: 150 }, req: req() }])).toEqual([{ lo: 100, hi: 100 }]);
  });
});
