import { describe, expect, it } from 'vitest';
import { WafRateRule } from '../../src/limits/waf-rate-rule.ts';
import { rngFor } from '../scenario/fuzz-inputs.ts';

// A spread take over whole seconds (the simulator's 10-s and 60-s ticks, and its strides) is
// judged piece by piece: piece i, counted in second now − over + i, sees the window that ended
// `delay` before it. The rule settles such takes from one running window sum and fills their
// seconds in at once; these tests hold it to the one-second takes it stands for.

const EPOCH = 1_767_571_200; // 2026-01-05T00:00Z, the simulator's virtual time 0

describe('WAF rule: a whole-second spread take', () => {
  it('is judged second by second (hand count: 2 a second against 100 per 60 s, 1 s delay)', () => {
    const r = new WafRateRule({ limit: 100, windowSeconds: 60, delaySeconds: 1 });
    // second i of the first minute sees seconds before i − 1 + 1 = i: 2·i requests; 2·i > 100 from
    // i = 51, so seconds 0 … 50 pass (51 × 2 = 102) and 51 … 59 are blocked
    expect(r.take(EPOCH + 60, 120, 60, 'ip')).toBe(102);
    // every request is counted, blocked or not: each window of the next minute holds 60 × 2 = 120
    expect(r.take(EPOCH + 120, 120, 60, 'ip')).toBe(0);
    // a quiet minute, then 1 a second: the windows hold at most 60 + (what is left of the flood)
    r.silent(EPOCH + 180, 60, 'ip');
    r.silent(EPOCH + 240, 60, 'ip');
    expect(r.take(EPOCH + 300, 60, 60, 'ip')).toBe(60);
  });

  it('answers what one-second takes answer, take after take, with the same seconds remembered (seeded mixes near the limit)', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const rng = rngFor(seed);
      const pick = <T,>(xs: T[]): T => xs[Math.floor(rng() * xs.length)];
      const opts = { limit: pick([10, 100, 2000, 37.5]), windowSeconds: pick([1, 5, 60, 300]), delaySeconds: pick([0, 0.5, 1, 30, 7]) };
      const spread = new WafRateRule(opts);
      const bySecond = new WafRateRule(opts);
      // rates around what the window allows (limit / window a second), so verdicts change within takes
      const around = opts.limit / opts.windowSeconds;
      let now = EPOCH;
      for (let step = 0; step < 40; step++) {
        const over = pick([10, 60, 60, 150, 300, 2, 1]);
        now += over;
        const key = pick(['a', 'a', 'a', 'b']);
        const move = rng();
        if (move < 0.1) {
          spread.silent(now, over, key);
          bySecond.silent(now, over, key);
          continue;
        }
        if (move < 0.15) {
          // a rotated IP: its ring goes to the next key met
          spread.forget(key);
          bySecond.forget(key);
          continue;
        }
        const n = over * around * pick([0.2, 0.9, 1, 1.1, 3, rng() * 2]);
        const each = n / over;
        let expected = 0;
        for (let i = 0; i < over; i++) expected += bySecond.take(now - over + i + 1, each, 1, key);
        const got = spread.take(now, n, over, key);
        expect(got, `seed ${seed}, take ${step}: ${n} over ${over} s by ${key}, ${JSON.stringify(opts)}`).toBe(expected);
        expect(spread.snapshot(now)).toBe(bySecond.snapshot(now));
      }
    }
  });

  it('a key just over the limit in total is still judged second by second (hand count)', () => {
    const r = new WafRateRule({ limit: 100, windowSeconds: 60, delaySeconds: 0 });
    // 50 in each of seconds 0 and 1: every window holds at most 100, which is not over 100
    expect(r.take(EPOCH + 2, 100, 2, 'k')).toBe(100);
    // 0.4 in each of seconds 2 and 3: second 2 sees 100 (passes), second 3 sees 100.4 (blocked)
    expect(r.take(EPOCH + 4, 0.8, 2, 'k')).toBe(0.4);
  });

  it('a forgotten key\'s ring serves the next key cleared: it starts from zero', () => {
    const r = new WafRateRule({ limit: 100, windowSeconds: 60, delaySeconds: 0 });
    r.take(EPOCH + 60, 6000, 60, 'old');
    r.forget('old');
    // a fresh key at 1 a second never comes near 100 in 60 s
    expect(r.take(EPOCH + 120, 60, 60, 'new')).toBe(60);
    expect(r.snapshot(EPOCH + 120)).not.toContain('100');
  });

  it('quietFor: what the key remembers plus what it may send over the stride (+1 s), against the limit, by hand', () => {
    const r = new WafRateRule({ limit: 100, windowSeconds: 60, delaySeconds: 0 });
    r.take(EPOCH + 10, 50, 10, 'k'); // 5 a second for 10 s: remembers 50
    // 50 + 2 × (24 + 1) = 100 ≤ 100; 50 + 2 × (25 + 1) = 102 > 100
    expect(r.quietFor('k', 2, 24)).toBe(true);
    expect(r.quietFor('k', 2, 25)).toBe(false);
    // once the key's memory (60 + 0 + 2 s) has moved past them, the 50 are forgotten: 0 + 2 × 50 ≤ 100
    r.silent(EPOCH + 200, 190, 'k');
    expect(r.quietFor('k', 2, 49)).toBe(true);
  });
});
