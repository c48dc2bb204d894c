import { describe, expect, it } from 'vitest';
import { Gateway, type AdmitRequest } from '../../src/limits/gateway.ts';
import { syntheticApiKey } from '../../src/stack/api-keys.ts';
import { parseStack } from '../../src/stack/parse.ts';
import { makeStack } from '../support/stacks.ts';

// GatewayLimits with plans that hold only a throttle or only a quota, several routes and keys,
// and without a WAF: every member copes with what is absent, and lists what is present in order.
const T0 = 1_767_571_200;
const GOLD = syntheticApiKey('gold', 1); // throttle only
const SILVER = syntheticApiKey('silver', 1); // quota only
const get = (path: string, apiKey?: string): AdmitRequest => ({ method: 'GET', path, client: '192.0.2.1', forwarded: '192.0.2.1', ...(apiKey ? { apiKey } : {}) });
const plans = () =>
  new Gateway(
    makeStack({
      api: {
        apiKeyRequired: true,
        routes: { 'GET /a': { rate: 10, burst: 10 }, 'GET /b': { rate: 20, burst: 20 } },
        usagePlans: [
          { name: 'gold', throttle: { rate: 1, burst: 1 } },
          { name: 'silver', quota: { limit: 100, period: 'DAY', offset: 0 } },
        ],
      },
    }),
    { throttled: true },
  );

describe('gateway limits: plans with one limit each', () => {
  it('each key gets its own plan\'s limits: gold is throttled after 1, silver is not', () => {
    const g = plans();
    expect([1, 2, 3].map(() => g.admit(T0, 1, 0, get('/a', GOLD)).passed)).toEqual([1, 0, 0]);
    expect([1, 2, 3].map(() => g.admit(T0, 1, 0, get('/a', SILVER)).passed)).toEqual([1, 1, 1]);
  });

  it('fingerprint, snapshot, steadyUntil and quotaCounters list only what each key has', () => {
    const g = plans();
    // routes met in the order b, a; keys in the order silver, gold
    g.admitBatch(T0 + 1, 1, [{ n: 5, req: get('/b', SILVER) }]);
    g.admitBatch(T0 + 1, 1, [{ n: 0.5, req: get('/a', GOLD) }]);
    // account 5,000 (full); route b: 20 + 20 − 5 → 20; route a: 10; gold: 1 + 1 − 0.5 → 1;
    // silver: quota 5 used of 100
    expect(g.limits.fingerprint()).toBe(`5000|20|10|${SILVER}::5|in|${GOLD}:1:`);
    // the snapshot sorts routes and keys (dowsim-gold… < dowsim-silver…)
    expect(g.limits.snapshot(T0 + 1)).toBe(`|5000|GET /a:10|GET /b:20|${GOLD}:1|${SILVER}:`);
    expect(g.limits.quotaCounters().map((q) => q.usedInPeriod)).toEqual([5]);
    // silver at 5/s with 95 left: one tick short of running out at T0 + 1 + 19
    expect(g.limits.steadyUntil(T0 + 1)).toBeCloseTo(T0 + 19, 9);
  });

  it('shift and skipTo move every limit and leave quotas alone without extras', () => {
    const g = plans();
    g.admitBatch(T0 + 1, 1, [{ n: 5, req: get('/b', SILVER) }]);
    g.admitBatch(T0 + 1, 1, [{ n: 0.5, req: get('/a', GOLD) }]);
    g.limits.shift(10);
    expect(g.limits.quotaCounters()[0].usedInPeriod).toBe(5);
    // the quota's last take is now at T0 + 11: skipping to T0 + 13 repeats 2 ticks of 5
    g.limits.skipTo(T0 + 13);
    expect(g.limits.quotaCounters()[0].usedInPeriod).toBe(15);
  });

  it('a route without a rate has no bucket; a plan name nobody has gives no limits', () => {
    const stack = parseStack(`name: r
api: { kind: rest, routes: { "GET /free": {}, "GET /slow": { rate: 1, burst: 1 } } }
lambda: { memoryMb: 128 }
`, 'r.yaml');
    const g = new Gateway(stack, { throttled: true });
    expect(g.limits.routeBucket('GET /free')).toBeUndefined();
    expect(g.limits.routeBucket('GET /slow')?.rate).toBe(1);
    // with a stage throttle the free route gets a bucket of the stage's size, the other keeps its own;
    // the unthrottled variant has neither
    const staged = parseStack(`name: r
api: { kind: rest, stage: { rate: 7, burst: 9 }, routes: { "GET /free": {}, "GET /slow": { rate: 1, burst: 1 } } }
lambda: { memoryMb: 128 }
`, 'r.yaml');
    const s = new Gateway(staged, { throttled: true });
    expect([s.limits.routeBucket('GET /free')?.rate, s.limits.routeBucket('GET /free')?.burst]).toEqual([7, 9]);
    expect(s.limits.routeBucket('GET /slow')?.rate).toBe(1);
    expect(new Gateway(staged, { throttled: false }).limits.routeBucket('GET /free')).toBeUndefined();
    expect(g.limits.keyLimits('k', 'no-such-plan')).toEqual({ bucket: undefined, quota: undefined });
  });
});

describe('gateway limits without a WAF', () => {
  it('forgetting a client and sweeping are harmless', () => {
    const g = plans();
    g.limits.forgetClient(get('/a'));
    g.sweep(T0 + 1000);
    expect(g.admit(T0 + 1000, 1, 0, get('/a', SILVER)).passed).toBe(1);
  });

  it('with a WAF, sweeping drops the keys nobody used for longer than the rule remembers', () => {
    const g = new Gateway(makeStack({ waf: { rules: 1, rateLimit: { limit: 10, windowSeconds: 60, key: 'ip', delaySeconds: 30 } } }), { throttled: true });
    g.admitBatch(T0 + 1, 1, [{ n: 1, req: get('/items') }]); // counted in second T0
    expect(g.limits.waf!.trackedKeys).toBe(1);
    expect(g.limits.snapshot(T0).startsWith('192.0.2.1=')).toBe(true);
    // 60 + 30 + 2 = 92 s remembered
    g.sweep(T0 + 92);
    expect(g.limits.waf!.trackedKeys).toBe(1);
    g.sweep(T0 + 93);
    expect(g.limits.waf!.trackedKeys).toBe(0);
  });
});
