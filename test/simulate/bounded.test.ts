import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/parse.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { loadStack } from '../../src/stack/load.ts';
import { simulate } from '../../src/simulate/engine.ts';
import { timelineTotals } from '../../src/model/timeline.ts';
import { OUTCOMES } from '../../src/model/outcomes.ts';

const WEEK = 7 * 86400;

const DIURNAL = `
name: diurnal-year
description: users on a daily cycle for a year; nothing ever repeats within the scenario
request: { method: GET, path: /items }
cohorts:
  - name: users
    role: legit
    clients: 200
    rate:
      - { duration: 52w, diurnal: { mean: 20, amplitude: 10, period: 24h } }
`.replace('52w', `${52 * 7}d`);

describe('the simulator is bounded by the shape of the traffic, not the length of the horizon', () => {
  it('a 52-week diurnal cohort takes long steps: at most one per 75 s, not one per second', () => {
    const stats = { steps: 0, strides: 0 };
    const tl = simulate(parseScenario(DIURNAL, 'diurnal.yaml'), loadStack('rest-unprotected'), { horizonSeconds: 52 * WEEK, stats });
    // By hand: the rate 20 + 10·sin(2πt/86400) changes by at most 10·2π/86400 ≈ 7.3e-4 rps per second, so
    // a 1 % change takes ≥ 0.01·10/7.3e-4 ≈ 137 s even at the trough (10 rps): strides of 300 s or 150 s or
    // 75 s everywhere → at most 52·7·86400 / 75 ≈ 419,000 steps (one-second ticks would be 31.4 million).
    expect(stats.steps).toBeLessThan(420_000);
    // the mean of a sinusoid over whole periods is its mean: 20 rps × 31,449,600 s, all served (no limits)
    const t = timelineTotals(tl);
    expect(t.offered).toBeCloseTo(20 * 52 * WEEK, -3);
    expect(t.succeeded).toBe(t.offered);
  });

  it('100,000 clients rotating every millisecond are steady from one tick to the next, not one change per client', () => {
    const text = `
name: rotating
description: a botnet that takes a fresh IP every millisecond
request: { method: GET, path: /items }
cohorts:
  - { name: bots, role: attack, clients: 100000, rotate: 1ms, rate: [ { duration: 24h, rate: 500 } ] }
`;
    const stats = { steps: 0, strides: 0 };
    const tl = simulate(parseScenario(text, 'rotating.yaml'), loadStack('rest-waf'), { horizonSeconds: 86400, stats });
    // one step per one-minute output bucket at most (one-second ticks would be 86,400)
    expect(stats.steps).toBeLessThan(1500);
    // 500 rps from 100,000 IPs is 0.005 rps per IP: the WAF (2,000 per 5 min per IP) never blocks; the
    // stage (50 rps, burst 100) serves its full bucket plus 50 per second: 100 + 50 × 86,400 of 43.2 M
    const t = timelineTotals(tl);
    expect(t.wafBlocked).toBe(0);
    expect(t.succeeded).toBe(100 + 50 * 86400);
  });
});

describe('long steps agree with one-second ticks', () => {
  const cases: [string, string][] = [
    ['leech', 'rest-stage-throttled'],
    ['ramp-flood', 'rest-unprotected'],
    ['botnet-flood', 'rest-waf'],
    ['exponential-ramp', 'http-route-throttled'],
    ['constant-flood', 'rest-usage-plan'],
    // diurnal users beside a flood the function absorbs (long steps that keep to warm environments)
    ['botnet-flood', 'rest-unprotected'],
    // … and beside a flood far above the function URL's rate and its 50 reserved environments (full throughout)
    ['botnet-flood', 'function-url-reserved'],
  ];
  it.each(cases)('%s on %s over 24 h: every outcome within 0.1 %, cold starts within 5 %', (scenario, stack) => {
    const sc = loadScenario(scenario);
    const st = loadStack(stack);
    const a = timelineTotals(simulate(sc, st, { horizonSeconds: 86400 }));
    const b = timelineTotals(simulate(sc, st, { horizonSeconds: 86400, adaptive: false }));
    for (const o of [...OUTCOMES, 'offered', 'billedApiRequests'] as const) expect(Math.abs(a[o] - b[o]), o).toBeLessThanOrEqual(Math.max(2, 0.001 * b[o]));
    expect(Math.abs(a.coldStarts - b.coldStarts)).toBeLessThanOrEqual(Math.max(2, 0.05 * b.coldStarts));
    expect(Math.abs(a.gbSeconds - b.gbSeconds)).toBeLessThanOrEqual(0.001 * b.gbSeconds);
  });
});

describe('long steps through a WAF rule that blocks', () => {
  // botnet-flood's bots send 2.5 rps from each IP for the 5 minutes an IP lasts: a rule of 100 per
  // 60 s or 500 per 300 s lets a fresh IP through, then blocks it until it rotates away (the
  // steps of a blocked IP are long steps again, its requests all blocked); constant-flood's 20 rps
  // per IP cross rest-waf's 2,000 per 300 s for good
  const withRule = (limit: number, windowSeconds: number) => {
    const st = loadStack('rest-waf');
    return { ...st, waf: { ...st.waf!, rateLimit: { ...st.waf!.rateLimit!, limit, windowSeconds } } };
  };
  it.each([
    ['botnet-flood', 100, 60],
    ['botnet-flood', 500, 300],
    ['botnet-flood', 10, 300],
    ['constant-flood', 2000, 300],
  ] as const)('%s against %d per %d s over 24 h: every outcome within 0.1 % of one-second ticks, in under half their steps', (scenario, limit, windowSeconds) => {
    const sc = loadScenario(scenario);
    const st = withRule(limit, windowSeconds);
    const stats = { steps: 0, strides: 0 };
    const a = timelineTotals(simulate(sc, st, { horizonSeconds: 86400, stats }));
    const b = timelineTotals(simulate(sc, st, { horizonSeconds: 86400, adaptive: false }));
    expect(a.wafBlocked).toBeGreaterThan(0.1 * a.offered);
    for (const o of [...OUTCOMES, 'offered', 'billedApiRequests'] as const) expect(Math.abs(a[o] - b[o]), o).toBeLessThanOrEqual(Math.max(2, 0.001 * b[o]));
    expect(Math.abs(a.coldStarts - b.coldStarts)).toBeLessThanOrEqual(Math.max(2, 0.05 * b.coldStarts));
    expect(Math.abs(a.gbSeconds - b.gbSeconds)).toBeLessThanOrEqual(0.001 * b.gbSeconds);
    expect(stats.steps).toBeLessThan(86400 / 2);
  });
});

describe('long steps through floods the function absorbs or cannot absorb', () => {
  // botnet-flood: users 20 ± 10 rps on a 24 h curve beside 5,000 bots' rps for 54 min of each hour.
  // The curve repeats every 24 h, so a 30-day horizon simulates two days before folding: 172,800
  // one-second ticks. In the flood every second differs (the users' curve), yet nothing is at an edge:
  // on rest-unprotected the function (1,000 environments, 0.12 s) needs ~600 warm ones for 5,020 rps;
  // on function-url-reserved the URL's 500 rps and 50 environments (416.7 rps) are full throughout.
  // Both may take long steps: at most one per 75 s of flood beside the ramps and rotations (bots take
  // new IPs every 5 min, so steps end there): well under 10,000 steps where 1-s ticks took ~160,000.
  it.each(['rest-unprotected', 'function-url-reserved'])('botnet-flood on %s over 30 days takes under 10,000 steps', (stack) => {
    for (const throttled of [true, false]) {
      const stats = { steps: 0, strides: 0 };
      simulate(loadScenario('botnet-flood'), loadStack(stack), { horizonSeconds: 30 * 86400, throttled, stats });
      expect(stats.steps).toBeLessThan(10_000);
    }
  });
});

describe('a WAF rate rule forgets a key that stopped sending', () => {
  it('bots that pause between hourly floods are blocked after the same delay in the second hour as in the first', () => {
    // constant-flood: bots silent for 5 min, then 2,000 rps from 100 IPs (20 rps each) for 55 min; rest-waf:
    // 2,000 per 5 min per IP, 30 s delay. In each hour a bot IP passes until its window exceeds 2,000 (100 s of
    // sending) plus the 30 s delay. The pause (3,600–3,900 s) is longer than the window, and the requests of
    // before 3,600 s leave the delayed window before the new ones enter it — so hour 2 repeats hour 1.
    // (Fast-forwarding once counted the paused bots as still sending, so hour 2 was blocked from its start.)
    const tl = simulate(loadScenario('constant-flood'), loadStack('rest-waf'), { horizonSeconds: 7200, bucketSeconds: 3600 });
    const bots = tl.cohorts.find((c) => c.name === 'bots')!;
    const [h1, h2] = bots.buckets;
    expect(h1.succeeded).toBeGreaterThan(0);
    for (const o of ['wafBlocked', 'gatewayThrottled', 'succeeded'] as const) expect(Math.abs(h2[o] - h1[o]), o).toBeLessThanOrEqual(0.005 * h1.offered);
  });
});
