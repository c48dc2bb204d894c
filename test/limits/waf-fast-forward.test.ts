import { describe, expect, it } from 'vitest';
import { WafRateRule } from '../../src/limits/waf-rate-rule.ts';

// The simulator's fast-forward contract for a WAF rate rule. Window 2 s, no delay: the rule
// remembers window + delay + 2 = 4 seconds per key. Ticks are 1 s spread takes (the simulator's);
// tick k (ending at k) counts in second k − 1 and is judged on seconds k − 2 and k − 1 before its
// own requests are counted: a steady n per second is judged on n (the tick before).
const rule = (limit: number) => new WafRateRule({ limit, windowSeconds: 2, delaySeconds: 0 });

function tick(r: WafRateRule, from: number, to: number, n: number, key = 'a'): number[] {
  const out: number[] = [];
  for (let t = from + 1; t <= to; t++) out.push(r.take(t, n, 1, key));
  return out;
}

describe('WAF rule: fingerprint and snapshot', () => {
  it('the fingerprint is each key\'s last verdict and count per second, even while its window fills (steadyUntil says how long it holds)', () => {
    const r = rule(100);
    tick(r, 0, 3, 10);
    expect(r.fingerprint()).toBe('a=q10');
    tick(r, 0, 4, 5, 'b');
    expect(r.fingerprint()).toBe('a=q10;b=q5');
    // judged on the 2 seconds before: 20 and 10 ≤ 100 whatever comes, so for good
    expect(r.steadyUntil()).toBe(Infinity);
  });

  it('the snapshot lists each key\'s remembered seconds, oldest first, relative to now', () => {
    const r = rule(100);
    tick(r, 0, 1, 5); // second 0 holds 5
    // at now = 1 the remembered seconds are −2 … 1: 0, 0, 5, 0
    expect(r.snapshot(1)).toBe('a=0,0,5,0');
    tick(r, 1, 2, 7);
    expect(r.snapshot(2)).toBe('a=0,5,7,0');
    // 10 s later everything has left memory
    expect(r.snapshot(12)).toBe('a=0,0,0,0');
  });
});

describe('WAF rule: skipTo and shift', () => {
  it('skipping a blocked steady flood keeps it blocked, with the window a ticked twin has', () => {
    // limit 5: tick 1 sees 0 and passes, every later one sees 10 > 5 → blocked (still counted)
    const ticked = rule(5);
    expect(tick(ticked, 0, 100, 10).slice(0, 3)).toEqual([10, 0, 0]);
    const skipped = rule(5);
    tick(skipped, 0, 5, 10);
    skipped.skipTo(100);
    // seconds 97 … 99 hold 10 each; second 100 has not started
    expect(ticked.snapshot(100)).toBe('a=10,10,10,0');
    expect(skipped.snapshot(100)).toBe('a=10,10,10,0');
    expect(skipped.take(101, 10, 1, 'a')).toBe(0);
    expect(ticked.take(101, 10, 1, 'a')).toBe(0);
  });

  it('skipping a steady flow under the limit keeps it passing', () => {
    const r = rule(10); // judged on 10, not over 10
    tick(r, 0, 5, 10);
    r.skipTo(1000);
    expect(r.snapshot(1000)).toBe('a=10,10,10,0');
    expect(r.take(1001, 10, 1, 'a')).toBe(10);
  });

  it('a shifted rule answers dt later what the original answers now', () => {
    const a = rule(5);
    const b = rule(5);
    tick(a, 0, 1, 10);
    tick(b, 0, 1, 10);
    b.shift(50);
    expect(b.snapshot(51)).toBe(a.snapshot(1));
    // tick 2 sees tick 1's 10 > 5: blocked, in both
    expect(a.take(2, 10, 1, 'a')).toBe(0);
    expect(b.take(52, 10, 1, 'a')).toBe(0);
    expect(b.snapshot(52)).toBe(a.snapshot(2));
    expect(a.snapshot(2)).toBe('a=0,10,10,0');
  });
});

describe('WAF rule: pauses, strides and long spread takes', () => {
  it('a key that goes silent forgets its seconds as time passes (it is no steady sender)', () => {
    const r = rule(15);
    tick(r, 0, 4, 10);
    expect(r.quietFor('a', 1, 1)).toBe(false); // 40 remembered
    for (let t = 5; t <= 8; t++) r.silent(t, 1, 'a');
    expect(r.fingerprint()).toBe('a=s');
    // 0 remembered + 1/s × (1 + 1) = 2 ≤ 15
    expect(r.quietFor('a', 1, 1)).toBe(true);
    expect(r.take(9, 10, 1, 'a')).toBe(10);
  });

  it('quietFor: what a key remembers plus what it may send over the stride (+1 s), against the limit', () => {
    const r = rule(15);
    tick(r, 0, 1, 5);
    // 5 + 5 × (1 + 1) = 15 ≤ 15; 5 + 5.5 × 2 = 16 > 15
    expect(r.quietFor('a', 5, 1)).toBe(true);
    expect(r.quietFor('a', 5.5, 1)).toBe(false);
    // an unknown key remembers nothing
    expect(r.quietFor('z', 7.5, 1)).toBe(true);
  });

  it('quietFor over a stride longer than the window: one window holds at most W + 1 seconds of it (hand count)', () => {
    // 200 per 60 s, nothing remembered: 2.5/s over a 300-s stride sends 750, but no window judged
    // in it holds more than 2.5 × (60 + 1) = 152.5
    const r = new WafRateRule({ limit: 200, windowSeconds: 60, delaySeconds: 30 });
    expect(r.quietFor('a', 2.5, 300)).toBe(true);
    expect(r.quietFor('a', 3.3, 300)).toBe(false); // 3.3 × 61 = 201.3
    // 60 remembered (3/s for 20 s) + 2.25 × 61 = 197.25 ≤ 200; + 2.5 × 61 = 212.5 > 200
    for (let s = 1; s <= 20; s++) r.take(s, 3, 1, 'b');
    expect(r.quietFor('b', 2.25, 300)).toBe(true);
    expect(r.quietFor('b', 2.5, 300)).toBe(false);
    // a stride shorter than the window counts what it sends: 60 + 4 × (30 + 1) = 184
    expect(r.quietFor('b', 4, 30)).toBe(true);
    expect(r.quietFor('b', 4.6, 30)).toBe(false); // 60 + 142.6
  });

  it('blockedFor: a key blocked in every second of a stride at its lowest rate (hand count)', () => {
    // 100 per 60 s, 30 s delay: 5/s from second 1 on. At second s the rule judges the window
    // ending at s − 30: it holds 5 × (s − 30) − … and passes 100 at s − 30 = 20, so the key is
    // blocked from second 51 on
    const r = new WafRateRule({ limit: 100, windowSeconds: 60, delaySeconds: 30 });
    for (let s = 1; s <= 60; s++) r.take(s, 5, 1, 'a');
    // the 60 s from second 61 at ≥ 5/s: every window judged (ending 31 … 90) holds over 100
    expect(r.blockedFor('a', 5, 120, 60)).toBe(true);
    // at 1/s the windows ending after second 60 lose the 5/s seconds: the one ending at 90 holds
    // 5 × 30 + 1 × 30 = 180; at 0.1/s, 150 + 3 = 153; all still over 100
    expect(r.blockedFor('a', 0.1, 120, 60)).toBe(true);
    // a stride reaching 120 s on: the window ending at 150 − 30 = 120 holds 60 s at 0.1/s = 6
    expect(r.blockedFor('a', 0.1, 180, 120)).toBe(false);
    // sending nothing more: the window ending at e holds 5 × (119 − e) of seconds 0 … 59, over 100
    // up to e = 98; a stride from second 60 judges windows ending 30, 31, …: 69 s of it are
    // blocked throughout, 70 s are not (the last window, ending at 99, holds exactly 100)
    expect(r.blockedFor('a', 0, 129, 69)).toBe(true);
    expect(r.blockedFor('a', 0, 130, 70)).toBe(false);
    // a key the rule has not seen is not blocked, nor one whose seconds the stride overlaps (from
    // second 50 its windows would all be over 100)
    expect(r.blockedFor('new', 1000, 120, 60)).toBe(false);
    expect(r.blockedFor('a', 5, 110, 60)).toBe(false);
    // a stride that does not fall on whole seconds, or lasts one, is left to the one-second ticks,
    // as is every stride of a rule whose delay is not a whole or half second
    expect(r.blockedFor('a', 5, 120.5, 60)).toBe(false);
    expect(r.blockedFor('a', 5, 61, 1)).toBe(false);
    const odd = new WafRateRule({ limit: 100, windowSeconds: 60, delaySeconds: 30.3 });
    for (let s = 1; s <= 60; s++) odd.take(s, 5, 1, 'a');
    expect(odd.blockedFor('a', 5, 120, 60)).toBe(false);
    // blocked throughout: the take finds every piece blocked
    expect(r.take(120, 300, 60, 'a')).toBe(0);
  });

  it('a take spread over 4 s is judged second by second', () => {
    // 40 over 4 s = 10 a second; limit 15: seconds 1 and 2 pass, 3 and 4 see 20 > 15
    const r = new WafRateRule({ limit: 15, windowSeconds: 60, delaySeconds: 0 });
    expect(r.take(4, 40, 4, 'a')).toBe(20);
  });
});

describe('WAF rule: bookkeeping edges', () => {
  it('a take of nothing records nothing (no key is made)', () => {
    const r = rule(5);
    expect(r.take(1, 0, 0, 'a')).toBe(0);
    expect(r.take(2, 0, 1, 'b')).toBe(0);
    expect(r.trackedKeys).toBe(0);
  });

  it('a take spread over 2.5 s is cut into three 0.83 s pieces, each counted in its own second', () => {
    // now 10: pieces end at 8.33, 9.17, 10 and count in seconds 7, 8, 9 (their midpoints);
    // limit 5: the first passes 10, the next two see the 10 before them and are blocked
    const r = rule(5);
    expect(r.take(10, 30, 2.5, 'a')).toBe(10);
    expect(r.snapshot(10)).toBe('a=10,10,10,0');
  });

  it('keys are listed in order, whatever order they came in', () => {
    const r = rule(100);
    r.take(1, 1, 1, 'b');
    r.take(1, 2, 1, 'a');
    expect(r.snapshot(1)).toBe('a=0,0,2,0;b=0,0,1,0');
  });

  it('a late take (an earlier second) is counted there and does not move the window back', () => {
    const r = rule(100);
    r.take(6, 1, 1, 'a'); // second 5
    r.take(4, 2, 1, 'a'); // second 3
    // remembered seconds 3 … 6: 2, 0, 1, and 6 not begun
    expect(r.snapshot(6)).toBe('a=2,0,1,0');
  });

  it('a skip to an earlier time changes nothing', () => {
    const r = rule(100);
    tick(r, 0, 10, 3);
    r.skipTo(5);
    expect(r.snapshot(10)).toBe('a=3,3,3,0');
  });

  it('a shift by a number of seconds that is not a multiple of the memory moves each second by it', () => {
    const r = rule(100);
    r.take(1, 1, 1, 'a'); // second 0
    r.take(2, 2, 1, 'a'); // second 1
    r.shift(51);
    expect(r.snapshot(53)).toBe('a=0,1,2,0');
  });

  it('silence from a key never seen is nothing to remember', () => {
    const r = rule(5);
    r.silent(3, 1, 'nobody');
    expect(r.trackedKeys).toBe(0);
  });
});
