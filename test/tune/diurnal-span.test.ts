import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { loadStack } from '../../src/stack/load.ts';
import { parseStack } from '../../src/stack/parse.ts';
import { simulate } from '../../src/simulate/engine.ts';
import { priceVariant } from '../../src/cost/stack-result.ts';
import { loadPriceBook } from '../../src/pricing/loader.ts';
import { searchSpace } from '../../src/tune/tune.ts';
import { judgedSpan, screeningTick } from '../../src/tune/span.ts';
import type { ResultDocument } from '../../src/model/result.ts';
import type { TuneDocument } from '../../src/tune/document.ts';

const FIX = 'test/tune/fixtures';
const SCENARIO = `${FIX}/diurnal-off-hours-flood.yaml`;
const book = loadPriceBook('us-east-1');

/** rest-open with a stage throttle, simulated without tune's code; users' success and $/hour. */
function withStage(rate: number, burst: number, seconds: number): { users: number; perHour: number } {
  const stack = parseStack(`name: s\napi:\n  kind: rest\n  stage: { rate: ${rate}, burst: ${burst} }\nlambda:\n  memoryMb: 512\n  duration: 120ms\n  initDuration: 400ms\n  timeout: 10s\n`);
  const priced = priceVariant(simulate(loadScenario(SCENARIO), stack, { horizonSeconds: seconds, bucketSeconds: seconds }), stack, book, seconds);
  const u = priced.cohorts.users.totals;
  return { users: u.succeeded / u.offered, perHour: priced.bill.perHour };
}

describe('tune judges a diurnal scenario over its whole curve, not its first run', () => {
  it('the span: a 1 h scenario on a 24 h curve is judged over 24 h; without a moving curve, over itself', () => {
    // lcm(1 h, 24 h) = 24 h: 24 repetitions, each k hours along the curve
    expect(judgedSpan(loadScenario(SCENARIO))).toEqual({ scenario: 'diurnal-off-hours-flood', seconds: 86_400, scenarioSeconds: 3600, repetitions: 24, capped: false });
    expect(judgedSpan(loadScenario(`${FIX}/fixed-ip-flood.yaml`))).toMatchObject({ seconds: 600, repetitions: 1, capped: false });
    // a 24 h curve under a 7-minute scenario: lcm(420 s, 86,400 s) = 604,800 s = 7 days, at the cap, not past it
    const seven = loadScenario(`${FIX}/diurnal-off-hours-flood.yaml`);
    const odd = { ...seven, cohorts: seven.cohorts.map((c) => ({ ...c, rate: [{ ...c.rate[0], duration: 420 }] })) };
    expect(judgedSpan(odd)).toMatchObject({ seconds: 7 * 86_400, repetitions: 1440, capped: false });
    // a curve of 86,401 s under 1 h (86,401 = 24 · 3,600 + 1: coprime): lcm ≈ 9.9 years, capped at the most whole hours in a week
    const long = { ...seven, cohorts: seven.cohorts.map((c) => ({ ...c, rate: c.rate.map((s) => (s.kind === 'diurnal' ? { ...s, period: 86_401 } : s)) })) };
    expect(judgedSpan(long)).toMatchObject({ seconds: 168 * 3600, repetitions: 168, capped: true });
  });

  it('the search tick: 1 s under 30 minutes, 10 s under 6 hours, 60 s beyond, never past the fastest IP rotation', () => {
    const tick = (name: string) => {
      const s = loadScenario(name);
      return screeningTick(s, judgedSpan(s));
    };
    expect(tick(`${FIX}/fixed-ip-flood.yaml`)).toBe(1); // 10 minutes
    expect(tick('leech')).toBe(10); // 1 h, no diurnal curve
    expect(tick('botnet-flood')).toBe(60); // 24 h; its bots rotate every 5 minutes, slower than 60 s
    expect(tick(SCENARIO)).toBe(10); // 24 h, but bots rotating every 10 s
  });

  it('the stage ladder starts just above the users’ peak over the whole curve (30 rps at hour 7), not hour 1’s 21.3 rps', () => {
    const stage = searchSpace(loadStack(`${FIX}/rest-open.yaml`), [loadScenario(SCENARIO)]).find((d) => d.id === 'api.stage')!;
    // the curve's top is 20 + 10 = 30 rps at 6 h, the first second of hour 7; hour 1 reaches
    // 20 + 10·sin(2π·1800/86400) = 21.305 rps at its half-hour, which the old bound rounded to 22.
    // A rate of 30 itself is left out: users arriving at random at 30 a second empty any bucket
    // that refills at 30 sooner or later. The next rung is 32 (30 × 1.05 rounded up to two
    // digits), and its least burst keeps random arrivals at 30 refused at most 1 in 10,000:
    // θ with e^θ − 1 = (32/30)·θ is 0.1281, and ln(1 + 2/(30 · 10⁻⁴)) / θ = 6.504 / 0.1281 = 50.8
    // → 51 (above half the rate, 16)
    expect(stage.describe(1)).toBe('api.stage 32/51');
  });

  it('a stage throttle at hour 1’s peak passes one run and fails the day: the trap the first run alone fell into', () => {
    // Stage 22 rps: users never exceed 21.3 rps in hour 1, so one run keeps them whole and is
    // cheaper than 30 rps (8 fewer bot requests a second get through for 30 minutes).
    const hour = withStage(22, 11, 3600);
    expect(hour.users).toBe(1);
    expect(hour.perHour).toBeLessThan(withStage(30, 15, 3600).perHour);
    // Over the day users exceed 22 rps whenever sin(2πt/24h) > 0.2, t from 0.77 h to 11.23 h, in
    // the first half of each hour: they send about ½ · (10 · (24 h/2π) · 2 · cos(0.201) − 2 · 10.46 h)
    // = ½ · (269,500 − 75,300) ≈ 97,000 requests above 22 rps out of 20 rps × 43,200 s = 864,000:
    // about 11 % refused, far below the 99.9 % SLO.
    const day = withStage(22, 11, 86_400);
    expect(day.users).toBeGreaterThan(0.85);
    expect(day.users).toBeLessThan(0.95);
  });

  it('recommends the stage rate at the curve’s peak, and simulate over 1 d and 30 d agrees on the SLO and the $/hour', async () => {
    const out = mkdtempSync(join(tmpdir(), 'dowsim-tune-diurnal-'));
    const r = await runCli(['tune', SCENARIO, '--stack', `${FIX}/rest-open.yaml`, '--json', '--out', out], { timeoutMs: 240_000 });
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as TuneDocument;
    // searched on 10-second ticks: a day's span would take 60 s, but the bots take a fresh IP every 10 s
    expect(doc.search.spans).toEqual([{ scenario: 'diurnal-off-hours-flood', seconds: 86_400, scenarioSeconds: 3600, repetitions: 24, capped: false, tickSeconds: 10, runs: expect.any(Number) }]);
    // one scenario: a run per candidate searched, none shared (every setting meets its requests)
    expect(doc.search.spans[0].runs).toBe(doc.search.searched);
    // the tightest stage rate that keeps users whole all day: just above their peak of 30 rps, 32
    // (a lower rate refuses users around hour 7, or their random arrivals at the peak; reserved
    // concurrency would refuse bots after API Gateway billed them)
    const rate = doc.best!.changes.find((c) => c.path === 'api.stage.rate');
    expect(rate?.to).toBe(32);
    expect(doc.best!.legitSuccess).toBeGreaterThanOrEqual(0.999);
    const stackFile = join(out, 'rest-open-tuned.yaml');
    for (const horizon of ['1d', '30d']) {
      const sim = await runCli(['simulate', SCENARIO, '--stack', stackFile, '--horizon', horizon, '--json']);
      expect(sim.code).toBe(0);
      const res = (JSON.parse(sim.stdout) as ResultDocument).stacks[0].throttled;
      const users = res.cohorts.users.totals;
      expect(users.succeeded / users.offered).toBeGreaterThanOrEqual(0.999);
      // 1 d is what tune simulated: the same $/hour. 30 d is day 1 (from a cold start, like tune's)
      // and then the same warm day 29 times (the simulator folds on the 24 h cycle): a few cold
      // starts fewer per day, a few millionths of the bill
      if (horizon === '1d') expect(res.bill.perHour).toBeCloseTo(doc.best!.perHour, 9);
      else expect(Math.abs(res.bill.perHour / doc.best!.perHour - 1)).toBeLessThan(1e-4);
    }
  }, 300_000);
});
