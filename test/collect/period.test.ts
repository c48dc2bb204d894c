import { describe, expect, it } from 'vitest';
import { alignWindow, isValidPeriod, periodForAge } from '../../src/collect/period.ts';
import { parseTime } from '../../src/collect/parse-time.ts';
import { InputError } from '../../src/model/errors.ts';

const DAY = 86_400;
const NOW = Date.UTC(2026, 10, 28, 12, 0, 0) / 1000;

describe('period from the window’s age (CloudWatch retention: 60 s for 15 days, 300 s for 63, 3600 s for 455)', () => {
  it('a window starting 14 days ago reads 60-second data', () => expect(periodForAge(NOW - 14 * DAY, NOW)).toBe(60));
  it('exactly 15 days ago still reads 60-second data', () => expect(periodForAge(NOW - 15 * DAY, NOW)).toBe(60));
  it('16 days ago reads 300-second data', () => expect(periodForAge(NOW - 16 * DAY, NOW)).toBe(300));
  it('100 days ago reads 3600-second data', () => expect(periodForAge(NOW - 100 * DAY, NOW)).toBe(3600));
  it('500 days ago is refused: CloudWatch keeps nothing that old', () => {
    expect(() => periodForAge(NOW - 500 * DAY, NOW)).toThrow(InputError);
    expect(() => periodForAge(NOW - 500 * DAY, NOW)).toThrow(/--start.*455 days/);
  });
});

describe('period validity and window alignment', () => {
  it('accepts 1, 5, 10, 30 and multiples of 60, nothing else', () => {
    for (const p of [1, 5, 10, 30, 60, 300, 3600]) expect(isValidPeriod(p)).toBe(true);
    for (const p of [0, 2, 45, 90, 1.5, -60]) expect(isValidPeriod(p)).toBe(false);
  });
  it('aligns the window outward to whole periods', () => {
    expect(alignWindow(125, 301, 60)).toEqual({ start: 120, end: 360 });
    expect(alignWindow(120, 360, 60)).toEqual({ start: 120, end: 360 });
  });
});

describe('--start / --end parsing', () => {
  const now = NOW * 1000;
  it('reads ISO 8601 with a zone', () => expect(parseTime('2026-11-28T10:00Z', '--start').toISOString()).toBe('2026-11-28T10:00:00.000Z'));
  it('reads an ISO time without a zone as UTC, not the machine’s zone', () =>
    expect(parseTime('2026-11-28T10:00', '--start').toISOString()).toBe('2026-11-28T10:00:00.000Z'));
  it('reads a date alone as midnight UTC', () => expect(parseTime('2026-11-28', '--start').toISOString()).toBe('2026-11-28T00:00:00.000Z'));
  it('reads offsets', () => expect(parseTime('2026-11-28T10:00+02:00', '--start').toISOString()).toBe('2026-11-28T08:00:00.000Z'));
  it('reads "now", "-1h" and "now-90m" against the clock', () => {
    expect(parseTime('now', '--end', now).getTime()).toBe(now);
    expect(parseTime('-1h', '--start', now).getTime()).toBe(now - 3600_000);
    expect(parseTime('now-90m', '--start', now).getTime()).toBe(now - 5400_000);
  });
  it('reads epoch seconds', () => expect(parseTime('1795860000', '--start').toISOString()).toBe('2026-11-28T10:00:00.000Z'));
  it('answers garbage with an InputError naming the flag', () => {
    expect(() => parseTime('yesterday-ish', '--end')).toThrow(InputError);
    expect(() => parseTime('yesterday-ish', '--end')).toThrow(/^--end: "yesterday-ish" is not a time/);
  });
});
