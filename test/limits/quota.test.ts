import { describe, expect, it } from 'vitest';
import { QuotaCounter, nextPeriodStart, periodStart } from '../../src/limits/quota.ts';

const at = (iso: string) => Date.parse(iso) / 1000;

describe('usage-plan quota periods (UTC)', () => {
  it('a DAY quota rolls over at 00:00 UTC', () => {
    const q = new QuotaCounter({ limit: 3, period: 'DAY' });
    expect(q.take(at('2026-03-10T23:59:58Z'), 5)).toBe(3);
    expect(q.take(at('2026-03-10T23:59:59.9Z'), 1)).toBe(0);
    expect(q.take(at('2026-03-11T00:00:00Z'), 5)).toBe(3);
  });

  it('WEEK periods start on the day AWS\'s offset names (0 = Sunday, 1 = Monday)', () => {
    // 2026-03-11 is a Wednesday
    expect(new Date(periodStart(at('2026-03-11T12:00:00Z'), 'WEEK', 0) * 1000).toISOString()).toBe('2026-03-08T00:00:00.000Z');
    expect(new Date(periodStart(at('2026-03-11T12:00:00Z'), 'WEEK', 1) * 1000).toISOString()).toBe('2026-03-09T00:00:00.000Z');
    expect(new Date(nextPeriodStart(at('2026-03-11T12:00:00Z'), 'WEEK', 1) * 1000).toISOString()).toBe('2026-03-16T00:00:00.000Z');
  });

  it('MONTH periods start on the 1st (offset 0) and roll over across month lengths', () => {
    expect(new Date(periodStart(at('2026-02-20T00:00:00Z'), 'MONTH') * 1000).toISOString()).toBe('2026-02-01T00:00:00.000Z');
    expect(new Date(nextPeriodStart(at('2026-02-20T00:00:00Z'), 'MONTH') * 1000).toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(new Date(nextPeriodStart(at('2026-12-31T23:00:00Z'), 'MONTH') * 1000).toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });

  it('a spread take across midnight charges each day its own share', () => {
    const q = new QuotaCounter({ limit: 100, period: 'DAY' });
    // 300 requests evenly over 23:59:00–00:01:00: 150 before midnight, 150 after
    const passed = q.take(at('2026-03-11T00:01:00Z'), 300, 120);
    expect(passed).toBeCloseTo(200, 6);
    expect(q.remaining(at('2026-03-11T00:01:00Z'))).toBeCloseTo(0, 6);
  });
});
