import { describe, expect, it } from 'vitest';
import { WafRateRule } from '../../src/limits/waf-rate-rule.ts';
import { WafWindow } from '../../src/limits/waf-window.ts';
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
      const opts = { limit: pick([10, 100, 2000, 37.5]), windowSeconds: pick([1, 5, 60, 300]), delaySeconds: pick([0, 0.5, 1, 30, 7, 0.3, 2.5]) };
      const spread = new WafRateRule(opts);
      const bySecond = new WafRateRule(opts);
      // rates around what the window allows (limit / window a second), so verdicts change within takes
      const around = opts.limit / opts.windowSeconds;
      let now = EPOCH;
      for (let step = 0; step < 40; step++) {
        const over = pick([10, 60, 60, 150, 300, 2, 1, 2.5, 0.5]);
        // mostly back to back on whole seconds; sometimes off the second, or overlapping the take before
        const lag = pick([0, 0, 0, 0, 0.25, -3]);
        now += over + lag;
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
        // the pieces a spread take is cut into, each taken on its own (a piece of a second or less
        // is an instant-path take centred where the piece's middle is)
        const pieces = Math.ceil(over);
        const piece = over / pieces;
        const each = n / pieces;
        let expected = 0;
        for (let i = 0; i < pieces; i++) expected += bySecond.take(now - over + Math.min(over, (i + 1) * piece), each, piece, key);
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

  it('leaves the verdict state the steady check reads: mixed within the take, then blocked throughout, or quiet', () => {
    const r = new WafRateRule({ limit: 100, windowSeconds: 60, delaySeconds: 1 });
    // 7 a second: second i sees 7·i; 98 at i = 14 passes, 105 at i = 15 is blocked (15 × 7 = 105 pass)
    expect(r.take(EPOCH + 60, 420, 60, 'k')).toBe(105);
    expect(r.fingerprint()).toBeUndefined(); // its seconds got different verdicts
    // every window of the next minute holds 60 × 7 = 420 > 100
    expect(r.take(EPOCH + 120, 420, 60, 'k')).toBe(0);
    expect(r.fingerprint()).toBe('k=b7');
    // a quiet key next to it: 1 a second never comes near 100 in 60 s
    expect(r.take(EPOCH + 120, 60, 60, 'q')).toBe(60);
    expect(r.fingerprint()).toBe('k=b7;q=q1');
  });

  it('quietFor counts what a key held once (an instant take) beside its ring', () => {
    const r = new WafRateRule({ limit: 100, windowSeconds: 60, delaySeconds: 0 });
    r.take(EPOCH, 5, 0, 'k'); // met once: remembered as 5, no ring yet
    r.take(EPOCH + 60, 60, 60, 'k'); // a ring of 60 seconds at 1
    // 5 + 60 + 1 × (30 + 1) = 96 ≤ 100; 5 + 60 + 1 × (35 + 1) = 101 > 100
    expect(r.quietFor('k', 1, 30)).toBe(true);
    expect(r.quietFor('k', 1, 35)).toBe(false);
  });

  it('quietFor after a long steady run counts only what the ring still holds (its seconds are reused as it goes round)', () => {
    // memory 60 + 0 + 2 = 62 s; ten minutes at 1 a second leave 62 held, not 600
    const r = new WafRateRule({ limit: 100, windowSeconds: 60, delaySeconds: 0 });
    for (let m = 1; m <= 10; m++) r.take(EPOCH + 60 * m, 60, 60, 'k');
    // 62 + 1 × (37 + 1) = 100 ≤ 100; 62 + 1 × (38 + 1) = 101 > 100
    expect(r.quietFor('k', 1, 37)).toBe(true);
    expect(r.quietFor('k', 1, 38)).toBe(false);
    // two instant takes into one second add up there (the ring's total follows)
    r.take(EPOCH + 600.5, 10, 0, 'k');
    r.take(EPOCH + 600.7, 10, 0, 'k');
    expect(r.quietFor('k', 1, 17)).toBe(true); // 61 + 20 + 18 = 99 (second 538 has left)
  });

  it('quietFor answers exactly at a part in 10⁹ of the limit (the running total only settles what is farther)', () => {
    const under = new WafRateRule({ limit: 99.99999999, windowSeconds: 60, delaySeconds: 0 });
    const over = new WafRateRule({ limit: 100.00000001, windowSeconds: 60, delaySeconds: 0 });
    for (const r of [under, over]) r.take(EPOCH + 1, 100, 1, 'k'); // one second holding 100
    expect(under.quietFor('k', 0, 0)).toBe(false); // 100 > 99.99999999
    expect(over.quietFor('k', 0, 0)).toBe(true); // 100 ≤ 100.00000001
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

describe('WAF window: a row of seconds', () => {
  it('reads what the ring holds of them, and 0 for seconds it no longer or not yet holds', () => {
    // 4 slots: after seconds 10 (1) and 11 (2) it holds 8 … 11; 7's slot is where 11 now is
    const w = new WafWindow(4, 2, true);
    w.record(10, 1);
    w.record(11, 2);
    const out = new Float64Array(10).fill(-1);
    w.row(5, 8, out, 1);
    expect([...out]).toEqual([-1, 0, 0, 0, 0, 0, 1, 2, 0, -1]);
  });
});


describe('WAF window: its ring against a plain record of seconds', () => {
  // The reference: a map of second → count, holding the `size` seconds up to the newest. Counts are
  // whole numbers, so every sum is exact and both sides must agree to the last bit.
  class Plain {
    last = -Infinity;
    counts = new Map<number, number>();
    constructor(readonly size: number) {}
    moveTo(s: number) {
      if (s > this.last) this.last = s;
      for (const k of [...this.counts.keys()]) if (k <= this.last - this.size) this.counts.delete(k);
    }
    value(s: number) {
      return s > this.last || s <= this.last - this.size ? 0 : (this.counts.get(s) ?? 0);
    }
    held() {
      let sum = 0;
      for (const [k, v] of this.counts) if (k > this.last - this.size && k <= this.last) sum += v;
      return sum;
    }
  }

  it('holds what was recorded, advanced past, filled in and shifted, second for second (seeded operations, gaps past the ring)', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const rng = rngFor(seed);
      const size = 3 + Math.floor(rng() * 40);
      const w = new WafWindow(size, Math.max(1, size - 3), true);
      const p = new Plain(size);
      let t = Math.floor(rng() * 1000) - 500;
      for (let op = 0; op < 300; op++) {
        const r = rng();
        // gaps from none to three rings: a key comes back after its ring emptied, or not
        const gap = rng() < 0.2 ? Math.floor(rng() * 3 * size) : Math.floor(rng() * 4);
        if (r < 0.35) {
          // a count into the newest second or one the ring still holds
          const s = t + gap - (rng() < 0.3 ? Math.floor(rng() * size) : 0);
          const n = Math.floor(rng() * 5);
          t = Math.max(t, s);
          p.moveTo(s);
          if (s > p.last - p.size) p.counts.set(s, (p.counts.get(s) ?? 0) + n);
          w.record(s, n);
        } else if (r < 0.55) {
          t += gap;
          w.advance(t);
          p.moveTo(t);
        } else if (r < 0.75) {
          // a steady sender fast-forwarded: every second after the newest up to t holds v
          const v = rng() < 0.3 ? 0 : Math.floor(rng() * 7);
          const from = p.last;
          t = Math.max(t, from === -Infinity ? t : from) + gap;
          w.fillTo(t, v);
          if (t > from) {
            for (let s = Math.max(from + 1, t - size + 1); s <= t; s++) p.counts.set(s, v);
            p.moveTo(t);
          }
        } else if (r < 0.9) {
          // a whole-second take into fresh seconds
          const first = Math.max(t, p.last) + 1 + gap;
          const count = 1 + Math.floor(rng() * 2 * size);
          const v = Math.floor(rng() * 4);
          w.recordRun(first, count, v);
          for (let k = 0; k < count; k++) {
            p.moveTo(first + k);
            p.counts.set(first + k, v);
          }
          t = first + count - 1;
        } else if (p.last !== -Infinity) {
          const d = 1 + Math.floor(rng() * 2 * size);
          w.shift(d);
          p.last += d;
          p.counts = new Map([...p.counts].map(([k, v]) => [k + d, v]));
          t += d;
        }
        const lo = (p.last === -Infinity ? t : p.last) - size - 2;
        const seconds = Array.from({ length: size + 5 }, (_, k) => lo + k);
        expect(seconds.map((s) => w.value(s)), `seed ${seed}, op ${op}, from second ${lo}`).toEqual(seconds.map((s) => p.value(s)));
        expect(w.held(), `seed ${seed}, op ${op}`).toBe(p.held());
        // quiet answers held() + more <= cap, whether the running total settles it or not
        const more = Math.floor(rng() * 5);
        for (const cap of [p.held() + more - 1, p.held() + more, p.held() + more + 1]) expect(w.quiet(more, cap)).toBe(p.held() + more <= cap);
      }
    }
  });

  it('a key that went quiet for longer than its ring holds nothing, and its seconds read 0 (hand count)', () => {
    // 5 slots; 3 a second for seconds 1 … 4, then nothing until second 20
    const w = new WafWindow(5, 3, true);
    w.recordRun(1, 4, 3);
    expect(w.held()).toBe(12);
    w.advance(7); // seconds 3 … 7 held: 3 and 4 still count
    expect(w.held()).toBe(6);
    expect([w.value(2), w.value(3), w.value(4), w.value(5)]).toEqual([0, 3, 3, 0]);
    w.advance(20);
    expect(w.held()).toBe(0);
    expect(w.quiet(10, 10)).toBe(true);
    expect(w.quiet(11, 10)).toBe(false);
    w.record(21, 2);
    expect(w.held()).toBe(2);
    expect(w.value(21)).toBe(2);
    expect(w.value(16)).toBe(0);
  });
});
