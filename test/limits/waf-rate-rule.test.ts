import { describe, expect, it } from 'vitest';
import { WafRateRule } from '../../src/limits/waf-rate-rule.ts';

describe('WAF rate-based rule', () => {
  it('blocks an IP over the limit only after the detection delay, and keeps blocking while it floods', () => {
    const rule = new WafRateRule({ limit: 100, windowSeconds: 60, delaySeconds: 30 });
    const passedAt: number[] = [];
    for (let s = 0; s < 120; s++) passedAt.push(rule.take(s + 1, 10, 1, '198.51.100.7'));
    // 10 rps: the window passes 100 requests after ~10 s; blocking starts ~30 s later
    const firstBlocked = passedAt.findIndex((p) => p === 0);
    expect(firstBlocked).toBeGreaterThanOrEqual(40);
    expect(firstBlocked).toBeLessThanOrEqual(42);
    expect(passedAt.slice(firstBlocked).every((p) => p === 0)).toBe(true);
  });

  it('keys are independent, and a rotated (forgotten) IP starts from zero', () => {
    const rule = new WafRateRule({ limit: 10, windowSeconds: 60, delaySeconds: 0 });
    for (let i = 0; i < 20; i++) rule.take(1 + i * 0.01, 1, 0, 'a');
    expect(rule.take(2, 1, 0, 'a')).toBe(0);
    expect(rule.take(2, 1, 0, 'b')).toBe(1);
    rule.forget('a');
    expect(rule.take(2.5, 1, 0, 'a')).toBe(1);
  });

  it('an IP exactly at the limit is not blocked', () => {
    const rule = new WafRateRule({ limit: 10, windowSeconds: 60, delaySeconds: 0 });
    rule.take(1, 10, 0, 'x');
    expect(rule.take(2, 1, 0, 'x')).toBe(1);
    // that request made 11 in the window: the next one is over the limit
    expect(rule.take(2.5, 1, 0, 'x')).toBe(0);
  });

  it('a key met once (an instant take) is counted from that first request when it comes back', () => {
    // limit 1, no delay: request 1 sees 0, request 2 sees 1 (not over), request 3 sees 2 > 1
    const rule = new WafRateRule({ limit: 1, windowSeconds: 60, delaySeconds: 0 });
    expect(rule.take(1, 1, 0, 'k')).toBe(1);
    expect(rule.take(1.5, 1, 0, 'k')).toBe(1);
    expect(rule.take(1.7, 1, 0, 'k')).toBe(0);
    // the first request is counted in its own second: at 61.5 the window is slots 2 … 61 and it has left
    const later = new WafRateRule({ limit: 1, windowSeconds: 60, delaySeconds: 0 });
    later.take(1, 1, 0, 'k');
    expect(later.take(61.5, 1, 0, 'k')).toBe(1);
    expect(later.take(62.5, 1, 0, 'k')).toBe(1);
    expect(later.take(62.7, 1, 0, 'k')).toBe(0);
  });

  it('a key met once is forgotten by forget and by sweep, and quietFor counts it', () => {
    const rule = new WafRateRule({ limit: 10, windowSeconds: 60, delaySeconds: 0 });
    rule.take(1, 3, 0, 'k');
    // 3 remembered + 2/s over 3 s (4 seconds' worth: 8) = 11 > 10; at 1/s: 3 + 4 = 7 ≤ 10
    expect(rule.quietFor('k', 2, 3)).toBe(false);
    expect(rule.quietFor('k', 1, 3)).toBe(true);
    rule.forget('k');
    expect(rule.trackedKeys).toBe(0);
    expect(rule.quietFor('k', 2, 3)).toBe(true);
    rule.take(1, 1, 0, 'k');
    // remembered for window + delay + 2 = 62 slots: still there at 63, gone at 64
    rule.sweep(63);
    expect(rule.trackedKeys).toBe(1);
    rule.sweep(64);
    expect(rule.trackedKeys).toBe(0);
  });

  it('memory stays bounded: idle keys are swept', () => {
    const rule = new WafRateRule({ limit: 10, windowSeconds: 60, delaySeconds: 30 });
    for (let i = 0; i < 5_000; i++) rule.take(1, 1, 0, `10.0.${i >> 8}.${i & 255}`);
    expect(rule.trackedKeys).toBe(5_000);
    rule.sweep(1_000);
    expect(rule.trackedKeys).toBe(0);
  });

  describe('steady forecast (the simulator fast-forwards a key that keeps sending the same)', () => {
    // 10 rps from empty, limit 100 per 60 s, delay 30 s: the take at second s (t = s + 0.5) sees the
    // window ending at s − 30, holding 10 × (s − 29) requests; 10 × (s − 29) > 100 first at s = 40.
    // A sum exactly at the limit (s = 39) counts as "may change", so the forecast stops at 39 or 40.
    it('a filling window: steady until just before it would cross the limit, and it does cross there', () => {
      const rule = new WafRateRule({ limit: 100, windowSeconds: 60, delaySeconds: 30 });
      for (let s = 0; s < 5; s++) expect(rule.take(s + 1, 10, 1, 'k')).toBe(10);
      expect(rule.fingerprint()).toBe('k=q10');
      const until = rule.steadyUntil();
      expect(until).toBeGreaterThanOrEqual(39);
      expect(until).toBeLessThanOrEqual(40);
      for (let s = 5; s < 40; s++) expect(rule.take(s + 1, 10, 1, 'k')).toBe(10);
      expect(rule.take(41, 10, 1, 'k')).toBe(0);
      // blocked with 10 × 60 = 600 > 100 in every later window: blocked for good
      expect(rule.fingerprint()).toBe('k=b10');
      expect(rule.steadyUntil()).toBe(Infinity);
    });

    it('a forecast asked every second answers what a fresh forecast answers (it is reused while the key keeps sending the same)', () => {
      // limit 100, window 60, delay 30; 2/s, then 0.5/s from second 20, then 2/s again from 35
      const asked = new WafRateRule({ limit: 100, windowSeconds: 60, delaySeconds: 30 });
      const rate = (s: number) => (s < 20 ? 2 : s < 35 ? 0.5 : 2);
      const answers: number[] = [];
      for (let s = 0; s < 70; s++) {
        asked.take(s + 1, rate(s), 1, 'k');
        answers.push(asked.steadyUntil());
      }
      for (let upTo = 0; upTo < 70; upTo += 7) {
        const fresh = new WafRateRule({ limit: 100, windowSeconds: 60, delaySeconds: 30 });
        for (let s = 0; s <= upTo; s++) fresh.take(s + 1, rate(s), 1, 'k');
        expect(answers[upTo], `after second ${upTo}`).toBe(fresh.steadyUntil());
      }
      // by hand: the take at second s sees the window ending e = s − 30, slots e − 59 … e; sending
      // 2/s from second 35 on, e = 80 holds 14 × 0.5 (21–34) + 46 × 2 (35–80) = 99 ≤ 100 and e = 81
      // holds 13 × 0.5 + 47 × 2 = 100.5 > 100: the verdict changes at s = 81 + 30 = 111
      expect(answers[69]).toBe(111);
      // asked at seconds 10 and 40 only: it sends 2/s at both, but not in between — no reuse
      const seldom = new WafRateRule({ limit: 100, windowSeconds: 60, delaySeconds: 30 });
      for (let s = 0; s <= 40; s++) {
        seldom.take(s + 1, rate(s), 1, 'k');
        if (s === 10) seldom.steadyUntil();
      }
      expect(seldom.steadyUntil()).toBe(answers[40]);
    });

    it('a key still holding a burst is steady only until burst and rate together cross the limit (the rate alone never would)', () => {
      // limit 100, window 60, no delay: 90 in second 0, then 0.5/s. The take at second s sees
      // seconds s − 60 … s − 1: 90 + 0.5 × (s − 1), which is 100 at s = 21 (not over) and 100.5 at 22.
      const rule = new WafRateRule({ limit: 100, windowSeconds: 60, delaySeconds: 0 });
      expect(rule.take(1, 90, 1, 'k')).toBe(90);
      for (let s = 1; s < 3; s++) expect(rule.take(s + 1, 0.5, 1, 'k')).toBe(0.5);
      const until = rule.steadyUntil();
      expect(until).toBeGreaterThanOrEqual(21);
      expect(until).toBeLessThanOrEqual(22);
      for (let s = 3; s < 22; s++) expect(rule.take(s + 1, 0.5, 1, 'k')).toBe(0.5);
      expect(rule.take(23, 0.5, 1, 'k')).toBe(0);
    });

    it('a key far under the limit is steady for good (1 rps × 60 s = 60 ≤ 100)', () => {
      const rule = new WafRateRule({ limit: 100, windowSeconds: 60, delaySeconds: 30 });
      for (let s = 0; s < 3; s++) rule.take(s + 1, 1, 1, 'k');
      expect(rule.steadyUntil()).toBe(Infinity);
    });

    it('fast-forwarding leaves the windows as second-by-second takes do', () => {
      const stepped = new WafRateRule({ limit: 100, windowSeconds: 60, delaySeconds: 30 });
      const skipped = new WafRateRule({ limit: 100, windowSeconds: 60, delaySeconds: 30 });
      for (let s = 0; s < 20; s++) stepped.take(s + 1, 3, 1, 'k');
      for (let s = 0; s < 5; s++) skipped.take(s + 1, 3, 1, 'k');
      skipped.skipTo(20);
      expect(skipped.snapshot(20)).toBe(stepped.snapshot(20));
      expect(skipped.take(21, 3, 1, 'k')).toBe(stepped.take(21, 3, 1, 'k'));
    });

    it('a take whose seconds got different verdicts is no steady state', () => {
      const rule = new WafRateRule({ limit: 100, windowSeconds: 60, delaySeconds: 30 });
      // one 60-s take of 10 rps: seconds 0-39 pass (10 × 40 = 400), 40-59 are blocked
      expect(rule.take(60, 600, 60, 'k')).toBe(400);
      expect(rule.fingerprint()).toBeUndefined();
    });
  });
});
