import { describe, expect, it } from 'vitest';
import { collectResult } from '../../src/collect/collect-result.ts';
import type { CollectOutcome } from '../../src/collect/collect-timeline.ts';
import { metricsToTimeline } from '../../src/collect/to-timeline.ts';
import { queryId, type MetricRole } from '../../src/collect/metric-queries.ts';
import { embeddedPriceBook } from '../../src/pricing/loader.ts';
import { makeStack as testStack } from '../support/stacks.ts';

const START = 1_795_860_000;
const stack = testStack();

function collected(): CollectOutcome {
  const values: Partial<Record<MetricRole, number>> = { 'api.count': 1200, 'lambda.invocations': 1000, 'lambda.durationSum': 100_000 };
  const series = new Map(Object.entries(values).map(([role, v]) => [queryId(role as MetricRole), new Map([[START, v as number]])]));
  const mapped = metricsToTimeline(stack, series, { start: START, end: START + 120, period: 60 });
  return {
    timeline: mapped.timeline,
    metricsRequested: 32,
    calls: 2,
    retries: 0,
    period: 60,
    window: { start: START, end: START + 120 },
    notes: mapped.notes,
    observed: mapped.observed,
    endpoint: 'http://127.0.0.1:1/',
  };
}

describe('the result document of dowsim collect', () => {
  it('prices the collected timeline over the window itself by default', () => {
    const doc = collectResult({ stack, collected: collected(), book: embeddedPriceBook('us-east-1') });
    expect(doc.source).toBe('cloudwatch');
    expect(doc.horizonSeconds).toBe(120);
    const s = doc.stacks[0];
    expect(s.throttled.totals).toMatchObject({ offered: 1200, gatewayThrottled: 200, invoked: 1000 });
    expect(s.unthrottled.totals).toEqual(s.throttled.totals);
    expect(s.savings).toBe(0);
    expect(s.damage).toBe(0);
    expect(doc.server?.source).toBe('cloudwatch');
    expect(doc.scenario).toBe('cloudwatch 2026-11-28T10:00:00.000Z – 2026-11-28T10:02:00.000Z');
  });

  it('--horizon projects the window: 2 minutes to 1 hour is ×30', () => {
    const doc = collectResult({ stack, collected: collected(), book: embeddedPriceBook('us-east-1'), horizonSeconds: 3600 });
    expect(doc.stacks[0].throttled.totals.invoked).toBe(30_000);
    expect(doc.stacks[0].notes?.join('\n')).toMatch(/scaled ×30/);
  });

  it('reports what the collection itself cost: $0.01 per 1,000 metrics requested, outside the stack’s bill', () => {
    const doc = collectResult({ stack, collected: collected(), book: embeddedPriceBook('us-east-1') });
    const c = doc.extras?.collection as { metricsRequested: number; calls: number; bill: { total: number; lines: { service: string; quantity: number; unitPrice: number }[] } };
    expect(c.calls).toBe(2);
    expect(c.bill.lines).toEqual([expect.objectContaining({ service: 'CloudWatch', quantity: 32, unitPrice: 0.00001 })]);
    expect(c.bill.total).toBeCloseTo(0.00032, 12);
    expect(doc.stacks[0].throttled.bill.lines.some((l) => l.service === 'CloudWatch' && /GetMetricData/.test(l.item))).toBe(false);
  });
});
