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
});
