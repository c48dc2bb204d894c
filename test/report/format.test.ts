import { describe, expect, it } from 'vitest';
import { formatCount, formatCountColumnShort, formatCountShort, formatMoney, formatPercent, formatUnitPrice, slug } from '../../src/report/format.ts';

describe('display formatting', () => {
  it('formats dollars with thousands separators and cents', () => {
    expect(formatMoney(1234.564)).toBe('$1,234.56');
    expect(formatMoney(0)).toBe('$0.00');
    expect(formatMoney(0.5)).toBe('$0.50');
    expect(formatMoney(-3.1)).toBe('-$3.10');
    expect(formatMoney(1_000_000)).toBe('$1,000,000.00');
  });

  it('keeps two significant digits of amounts under a cent instead of showing $0.00', () => {
    expect(formatMoney(0.0042)).toBe('$0.0042');
    expect(formatMoney(0.000012345)).toBe('$0.000012');
    expect(formatMoney(0.009)).toBe('$0.009');
  });

  it('shows unit prices with up to six significant digits and no exponent', () => {
    expect(formatUnitPrice(0.0000166667)).toBe('$0.0000166667');
    expect(formatUnitPrice(3.5e-6)).toBe('$0.0000035');
    expect(formatUnitPrice(0.09)).toBe('$0.09');
    expect(formatUnitPrice(5)).toBe('$5.00');
  });

  it('formats counts, short counts and shares', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCountShort(99_999)).toBe('99,999');
    expect(formatCountShort(392_400_000)).toBe('392M');
    expect(formatCountShort(25_920_000_000)).toBe('25.9B');
  });

  it('a short column is short throughout once one count reaches 100,000 (it mixed "367k" with "26,182")', () => {
    expect(formatCountColumnShort([367_400, 26_182, 223_000, 999, 0])).toEqual(['367k', '26.2k', '223k', '999', '0']);
    expect(formatCountColumnShort([99_999, 26_182, 5])).toEqual(['99,999', '26,182', '5']);
    expect(formatCountColumnShort([12_345_678, 1_500])).toEqual(['12.3M', '1.5k']);
    expect(formatPercent(0.716)).toBe('71.6%');
    expect(formatPercent(0.0042)).toBe('0.42%');
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(0.00000001)).toBe('<0.01%');
  });

  it('slugs user text into safe file names', () => {
    expect(slug('<script>alert(1)</script>')).toBe('script-alert-1-script');
    expect(slug('../../etc/passwd')).toBe('etc-passwd');
    expect(slug('***')).toBe('report');
  });
});
