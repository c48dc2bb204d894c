import { describe, expect, it } from 'vitest';
import { getMetricDataLines } from '../../src/cost/cloudwatch-api.ts';
import { dataTransferLines } from '../../src/cost/data-transfer.ts';
import { logsLines } from '../../src/cost/logs.ts';
import { wafLines } from '../../src/cost/waf.ts';
import { embeddedPriceBook } from '../../src/pricing/loader.ts';
import { HOUR, MONTH, makeStack, totals } from './fixtures.ts';

const book = embeddedPriceBook('us-east-1');
const sum = (lines: { cost: number }[]) => lines.reduce((s, l) => s + l.cost, 0);
const GB = 2 ** 30;

describe('WAF bill', () => {
  it('prorates the web ACL and rules to a 24 h horizon and bills every offered request', () => {
    // ACL 24/730 × $5 = 0.164383…; 2 rules 2 × 24/730 × $1 = 0.065753…; 10M inspected × 0.60/M = 6.00
    const stack = makeStack({ waf: { rules: 2 } });
    const lines = wafLines({ totals: totals({ offered: 10e6, wafBlocked: 4e6 }), stack, book, horizonSeconds: 24 * HOUR });
    expect(lines[0]).toMatchObject({ item: 'Web ACL (prorated)', unitPrice: 5 });
    expect(lines[0].cost).toBeCloseTo((24 / 730) * 5, 12);
    expect(lines[1].quantity).toBeCloseTo((2 * 24) / 730, 12);
    expect(lines[1].cost).toBeCloseTo((24 / 730) * 2, 12);
    expect(lines[2]).toMatchObject({ item: 'Requests inspected', quantity: 10e6 });
    expect(sum(lines)).toBeCloseTo((24 / 730) * 7 + 6, 12);
  });

  it('bills nothing for a stack without WAF', () => {
    expect(wafLines({ totals: totals({ offered: 1e9 }), stack: makeStack(), book, horizonSeconds: MONTH })).toEqual([]);
  });
});

describe('CloudWatch Logs bill', () => {
  it('bills invocations × log bytes in GB of 2^30 bytes at $0.50', () => {
    // 1M × 300 B = 300,000,000 B = 0.2793967… GB × 0.50 = $0.1396984
    const lines = logsLines({ totals: totals({ invoked: 1e6 }), stack: makeStack(), book, horizonSeconds: MONTH });
    expect(lines[0].quantity).toBeCloseTo(3e8 / GB, 12);
    expect(sum(lines)).toBeCloseTo((3e8 / GB) * 0.5, 12);
  });
});

describe('data transfer bill', () => {
  it('bills bytes out at $0.09/GB up to 10 TB a month and $0.085 beyond', () => {
    // 100 GB → $9.00; 10,240 GB (10 TB) → $921.60; 10,241 GB → 921.60 + 0.085
    const at = (gb: number) => dataTransferLines({ totals: totals({ bytesOut: gb * GB }), stack: makeStack(), book, horizonSeconds: MONTH });
    expect(sum(at(100))).toBeCloseTo(9, 10);
    expect(at(10240)).toHaveLength(1);
    expect(sum(at(10240))).toBeCloseTo(921.6, 9);
    expect(sum(at(10241))).toBeCloseTo(921.685, 9);
    expect(at(10241)[1].item).toBe('Data transfer out, 10 TB–50 TB/month');
  });
});

describe('GetMetricData', () => {
  it('costs $0.01 per 1,000 metrics requested', () => {
    // 250,000 metrics × 0.00001 = $2.50
    expect(sum(getMetricDataLines(250_000, book))).toBeCloseTo(2.5, 12);
  });
});
