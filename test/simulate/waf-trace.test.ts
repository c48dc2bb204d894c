import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/parse.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { simulate } from '../../src/simulate/engine.ts';
import { cohortTotals, timelineTotals } from '../../src/model/timeline.ts';
import { conservationGap } from '../../src/model/totals.ts';
import { WafRateRule } from '../../src/limits/waf-rate-rule.ts';
import { WafWindow } from '../../src/limits/waf-window.ts';
import { Gateway } from '../../src/limits/gateway.ts';
import { buildLanes } from '../../src/simulate/lanes.ts';
import { buildWafTrace, wafTraceFor } from '../../src/simulate/waf-trace.ts';
import { makeStack } from '../support/stacks.ts';

// The simulator's WAF trace (simulate/waf-trace.ts): a rule's verdicts worked out once per scenario
// and read by every run, instead of judged again in each. The references are hand counts and the
// rule's own one-second takes (WafRateRule.take, tested against hand counts in test/limits).

const waf = (limit: number, windowSeconds: number, delaySeconds: number, api: Record<string, unknown> = {}) =>
  makeStack({ api, waf: { rules: 1, rateLimit: { limit, windowSeconds, key: 'ip', delaySeconds } } });

const one = (rotate: string, minutes = 10) =>
  parseScenario(`
name: one-ip
description: o
cohorts:
  - { name: bot, role: attack, clients: 1${rotate}, rate: [ { duration: ${minutes}m, rate: 1 } ] }
`);

/** Two IPs at 1 rps for a minute, the second of role `role`. */
const twoIps = (role: 'attack' | 'legit') =>
  parseScenario(`
name: two
description: t
cohorts:
  - { name: a, role: attack, clients: 1, rate: [ { duration: 1m, rate: 1 } ] }
  - { name: b, role: ${role}, clients: 1, rate: [ { duration: 1m, rate: 1 } ] }
`);

const T0 = 1_767_571_200;

/** One IP at 1 rps against 100 per 300 s, no delay, 600 s traced from T0: seconds 0 … 100 pass, 101 … 599 are blocked. */
function oneIpTrace() {
  const stack = waf(100, 300, 0);
  const sc = one('');
  const g = new Gateway(stack, { throttled: true });
  const { lanes } = buildLanes(sc, stack, undefined, 1);
  const trace = buildWafTrace({ scenario: sc, lanes, rule: stack.waf!.rateLimit!, keyOf: (r) => g.limits.wafKeyOf(r), epoch0: T0, seconds: 600, S: 600 });
  return { g, lanes, trace };
}

describe('WAF trace', () => {
  it('gives the hand-counted verdicts of a 1 rps IP whatever the tick: 101 of 600 pass a 100-per-300 s rule', () => {
    // as engine.test.ts: second k sees the k requests before it; seconds 0 … 100 pass, 101 … 599
    // are blocked (blocked requests still count)
    const stack = waf(100, 300, 0);
    for (const tickSeconds of [1, 10, 60]) {
      const t = timelineTotals(simulate(one(''), stack, { horizonSeconds: 600, tickSeconds, wafTrace: true }));
      expect(t).toMatchObject({ offered: 600, succeeded: 101, wafBlocked: 499 });
    }
    // rotating every 2 min: each IP's last 19 seconds of 120 are blocked, 5 IPs
    const slow = timelineTotals(simulate(one(', rotate: 2m'), stack, { horizonSeconds: 600, tickSeconds: 60, wafTrace: true }));
    expect(slow).toMatchObject({ offered: 600, succeeded: 505, wafBlocked: 95 });
    // a 60-s window holds at most the 59 seconds before the one judged (delay 0): a limit of 58
    // blocks from second 59 on (59 pass, 541 blocked); at 60 per 60 s no window can pass it
    const tight = timelineTotals(simulate(one(''), waf(58, 60, 0), { horizonSeconds: 600, tickSeconds: 60, wafTrace: true }));
    expect(tight).toMatchObject({ offered: 600, succeeded: 59, wafBlocked: 541 });
    const loose = timelineTotals(simulate(one(''), waf(60, 60, 0), { horizonSeconds: 600, tickSeconds: 60, wafTrace: true }));
    expect(loose).toMatchObject({ offered: 600, succeeded: 600, wafBlocked: 0 });
    // every minute: 60 < 100 per IP, nothing blocked
    const fast = timelineTotals(simulate(one(', rotate: 1m'), stack, { horizonSeconds: 600, tickSeconds: 60, wafTrace: true }));
    expect(fast).toMatchObject({ offered: 600, wafBlocked: 0 });
  });

  it('detection lag: with a 30 s delay, 10 per 60 s, a 1 rps IP passes seconds 0 … 39 of a minute', () => {
    // second s is judged on the window ending at slot s − 30: slots s − 89 … s − 30, which hold
    // s − 29 requests once s ≥ 30; blocked when s − 29 > 10, i.e. from s = 40 on
    const t = timelineTotals(simulate(one('', 1), waf(10, 60, 30), { horizonSeconds: 60, tickSeconds: 60, wafTrace: true }));
    expect(t).toMatchObject({ offered: 60, succeeded: 40, wafBlocked: 20 });
  });

  it('a run with the trace blocks what one-second ticks of the live rule block, cohort by cohort, at any tick', () => {
    // the rule sees every request before any other limit: its counts do not depend on the tick or
    // the throttles behind it, only on the scenario
    const scenarios = [
      loadScenario('botnet-flood'),
      loadScenario('ramp-flood'),
      loadScenario('pulse-bursts'),
      loadScenario('test/tune/fixtures/fixed-ip-flood.yaml'),
      parseScenario(`
name: mixed
description: pauses, a diurnal curve near the limit and rotation
cohorts:
  - { name: users, role: legit, clients: 20, rate: [ { duration: 20m, diurnal: { mean: 3, amplitude: 2.5, period: 7m } } ] }
  - { name: bursty, role: attack, clients: 2, rotate: 3m, rate: [ { duration: 2m, rate: 0 }, { duration: 10m, pulse: { high: 40, low: 0, on: 20s, off: 40s } }, { duration: 8m, ramp: [0, 30] } ] }
`),
      parseScenario(`
name: shapes
description: every shape rising past a 10-per-60 s rule at its end only
cohorts:
  - { name: creep, role: attack, clients: 4, rate: [ { duration: 20m, ramp: [0, 4] } ] }
  - { name: doubling, role: attack, clients: 4, rate: [ { duration: 20m, exponential: { start: 0.25, factor: 2, every: 5m } } ] }
  - { name: dice, role: attack, clients: 2, rate: [ { duration: 20m, random: { min: 0, max: 1, every: 30s, seed: 3 } } ] }
  - { name: steady, role: legit, clients: 1, rate: [ { duration: 20m, rate: 0.2 } ] }
  - { name: forger, role: attack, clients: 1, forgeForwardedFor: true, rate: [ { duration: 20m, rate: 5 } ] }
  - name: mixer
    role: attack
    clients: 2
    requests: [ { method: GET, path: /items, weight: 1 }, { method: POST, path: /orders, weight: 3 } ]
    rate: [ { duration: 20m, rate: 1 } ]
`),
    ];
    // keyed on the first X-Forwarded-For hop: a forger's fresh hops are never counted, whatever it sends
    const forwarded = makeStack({ waf: { rules: 1, rateLimit: { limit: 10, windowSeconds: 60, key: 'forwarded-ip', delaySeconds: 30 } } });
    const stacks = [waf(10, 60, 30), waf(100, 300, 0, { stage: { rate: 50, burst: 100 } }), waf(2000, 300, 30), forwarded];
    let blockedSomewhere = 0;
    for (const sc of scenarios) {
      for (const stack of stacks) {
        const horizonSeconds = 1800;
        // one bucket, as tune's runs (a long tick's outcomes spread over short buckets are rounded bucket by bucket)
        const bucketSeconds = horizonSeconds;
        const live = simulate(sc, stack, { horizonSeconds, bucketSeconds, tickSeconds: 1, adaptive: false });
        for (const tickSeconds of [1, 60]) {
          const traced = simulate(sc, stack, { horizonSeconds, bucketSeconds, tickSeconds, wafTrace: true });
          for (const c of traced.cohorts) expect(conservationGap(cohortTotals(c))).toBeLessThan(1e-6);
          live.cohorts.forEach((c, i) => {
            const want = cohortTotals(c).wafBlocked;
            const got = cohortTotals(traced.cohorts[i]).wafBlocked;
            expect(Math.abs(got - want), `${sc.name} ${stack.waf!.rateLimit!.limit} tick ${tickSeconds} ${c.name}`).toBeLessThanOrEqual(1e-9 * Math.max(1, want));
            blockedSomewhere += want;
          });
        }
      }
    }
    expect(blockedSomewhere).toBeGreaterThan(0);
  });

  it('judgeSeconds gives the verdicts of one-second takes, near the limit too', () => {
    // seeded histories whose windows land on and around the limit (ties are where a carried sum could slip)
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let trial = 0; trial < 60; trial++) {
      const limit = [5, 10, 100][trial % 3];
      const windowSeconds = [10, 60, 30][trial % 3];
      // a delay that is no whole or half second takes the slot-by-slot path
      const delaySeconds = [0, 30, 1, 0.3][trial % 4];
      const n = 400;
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const r = rnd();
        // whole numbers, halves, tenths and silences: sums that meet the limit exactly
        values[i] = r < 0.2 ? 0 : r < 0.5 ? Math.round(rnd() * 3) : r < 0.8 ? 0.5 : (limit / windowSeconds) * (0.5 + rnd());
      }
      const opts = { limit, windowSeconds, delaySeconds };
      const ref = new WafRateRule(opts);
      const want = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        if (values[i] > 0) want[i] = ref.take(1000 + i + 1, values[i], 1, 'k') < values[i] ? 1 : 0;
        else ref.silent(1000 + i + 1, 1, 'k');
      }
      const rule = new WafRateRule(opts);
      const got = new Uint8Array(n);
      // in pieces, as a trace judges between rotations
      rule.judgeSeconds('k', 1000, values, 0, 150, got, 0);
      rule.judgeSeconds('k', 1150, values, 150, n - 150, got, 150);
      for (let i = 0; i < n; i++) if (values[i] > 0) expect(got[i], `trial ${trial} second ${i}`).toBe(want[i]);
    }
  });

  it('a stride over a traced key: passes it unblocked throughout, drops it blocked throughout, refuses to stride a mix', () => {
    const { g, lanes, trace } = oneIpTrace();
    g.limits.useWafTrace(trace);
    const flow = (n: number) => [{ n, band: { lo: 1, hi: 1 }, req: lanes[0].req }];
    expect(g.strideBands(T0 + 60, 60, flow(60))).toEqual([{ lo: 1, hi: 1 }]); // seconds 0 … 59
    expect(g.strideBands(T0 + 200, 60, flow(60))).toEqual([{ lo: 0, hi: 0 }]); // 140 … 199
    expect(g.strideBands(T0 + 120, 60, flow(60))).toBeUndefined(); // 60 … 119: 41 pass, 19 blocked
    // and a tick over that mix blocks its 19 seconds' share
    expect(g.admitBatch(T0 + 120, 60, flow(60))[0].wafBlocked).toBeCloseTo(19, 9);
  });

  it('recordRow leaves a ring as recording its slots one by one does', () => {
    let seed = 3;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (const count of [1, 5, 91, 92, 93, 200]) {
      const values = Float64Array.from({ length: count + 3 }, () => (rnd() < 0.3 ? 0 : Math.round(rnd() * 8) / 2));
      const a = new WafWindow(92, 60, true);
      const b = new WafWindow(92, 60, true);
      a.record(40, 2);
      b.record(40, 2);
      for (let k = 0; k < count; k++) a.record(50 + k, values[3 + k]);
      b.recordRow(50, count, values, 3);
      const ra = new Float64Array(92);
      const rb = new Float64Array(92);
      a.row(a.lastSlot - 91, 92, ra, 0);
      b.row(b.lastSlot - 91, 92, rb, 0);
      expect(b.lastSlot).toBe(a.lastSlot);
      expect([...rb]).toEqual([...ra]);
      expect(b.held()).toBe(a.held());
    }
  });

  it('a run whose trace would hold too much judges its keys itself', () => {
    // two keys for ~16 years of seconds: over 256 MB of trace, so none is made (and none is kept)
    const stack = waf(100, 300, 0);
    const sc = twoIps('attack');
    const g = new Gateway(stack, { throttled: true });
    const { lanes } = buildLanes(sc, stack, undefined, 1);
    const input = { scenario: sc, lanes, rule: stack.waf!.rateLimit!, keyOf: (r: Parameters<typeof g.limits.wafKeyOf>[0]) => g.limits.wafKeyOf(r), epoch0: 0, S: 60 };
    expect(wafTraceFor({ ...input, seconds: 5e8 })).toBeUndefined();
    expect(wafTraceFor({ ...input, seconds: 600 })?.seconds).toBe(600);
  });

  it('reads a trace by hand: shares over whole and half seconds, clamps at its ends, verdict runs', () => {
    const { g, lanes, trace } = oneIpTrace();
    const key = g.limits.wafKeyOf(lanes[0].req)!;
    expect(trace.bytes).toBe(600 * 21);
    expect(trace.share(key, T0 + 101, 1)).toBe(0); // second 100
    expect(trace.share(key, T0 + 102, 1)).toBe(1); // second 101
    expect(trace.share(key, T0 + 101.5, 1)).toBeCloseTo(0.5, 12); // half of 100, half of 101
    expect(trace.share(key, T0 + 150, 100)).toBeCloseTo(49 / 100, 12); // 50 … 149: 101 … 149 blocked
    expect(trace.share(key, T0 + 600, 0.25)).toBe(1); // a quarter of the last second
    expect(trace.share(key, T0 + 700, 110)).toBe(1); // past the end: the seconds it holds
    expect(trace.share(key, T0 + 50, 100)).toBe(0); // before the start: the seconds it holds
    expect(trace.share('nobody', T0 + 200, 10)).toBe(0);
    // verdicts turn once, at second 101
    expect(trace.steadyUntil(T0)).toBe(T0 + 101);
    expect(trace.steadyUntil(T0 + 100.5)).toBe(T0 + 101);
    expect(trace.steadyUntil(T0 + 101)).toBe(Infinity);
    expect(trace.steadyUntil(T0 - 5)).toBe(T0);
    expect(trace.steadyUntil(T0 + 600)).toBe(Infinity);
  });

  it('keeps one trace per scenario, rule and run, at most 16 of them', () => {
    const sc = one('');
    const stackFor = (limit: number) => waf(limit, 300, 0);
    const { lanes } = buildLanes(sc, stackFor(100), undefined, 1);
    const g = new Gateway(stackFor(100), { throttled: true });
    const input = (limit: number, seconds = 600) => ({ scenario: sc, lanes, rule: stackFor(limit).waf!.rateLimit!, keyOf: (r: Parameters<typeof g.limits.wafKeyOf>[0]) => g.limits.wafKeyOf(r), epoch0: 0, seconds, S: 600 });
    const first = wafTraceFor(input(100));
    expect(wafTraceFor(input(100))).toBe(first); // the same run: kept
    expect(wafTraceFor(input(100, 1200))).not.toBe(first); // another horizon: another trace
    expect(wafTraceFor(input(101))).not.toBe(first); // another rule
    expect(wafTraceFor(input(100))).toBe(first);
    // other lanes of the same scenario (a run of one role's cohorts): another trace
    const two = twoIps('legit');
    const all = buildLanes(two, stackFor(100), undefined, 1).lanes;
    const legit = buildLanes(two, stackFor(100), 'legit', 1).lanes;
    const both = wafTraceFor({ ...input(100), scenario: two, lanes: all, S: 60 });
    expect(wafTraceFor({ ...input(100), scenario: two, lanes: legit, S: 60 })).not.toBe(both);
    expect(wafTraceFor({ ...input(100), scenario: two, lanes: all, S: 60 })).toBe(both);
    // 14 more rules make 17 asked: the oldest (the first) goes
    for (let limit = 102; limit < 116; limit++) wafTraceFor(input(limit));
    expect(wafTraceFor(input(100))).not.toBe(first);
  });
});
