import { describe, expect, it } from 'vitest';
import { metricDatapoints, statistic } from '../../src/detect/metrics.ts';
import { CountWindow } from '../../src/detect/window.ts';
import type { Timeline } from '../../src/model/timeline.ts';
import { outcomeTotals } from '../cost/fixtures.ts';
import { makeStack } from '../support/stacks.ts';

// one minute of every outcome, in two 30-second buckets of two cohorts
const minute = outcomeTotals(
  { wafBlocked: 1, authRejected: 2, gatewayThrottled: 30, quotaExceeded: 4, lambdaThrottled: 5, succeeded: 100, failed: 6, timedOut: 2 },
  { gbSecondsPerInvocation: 0.25 },
);
const half = Object.fromEntries(Object.entries(minute).map(([k, v]) => [k, v / 2])) as unknown as typeof minute;
const tl: Timeline = {
  source: 'simulated',
  durationSeconds: 120,
  bucketSeconds: 30,
  cohorts: [
    { name: 'a', role: 'attack', buckets: [half, half, outcomeTotals({}), outcomeTotals({})] },
    { name: 'b', role: 'legit', buckets: [half, half, outcomeTotals({}), outcomeTotals({})] },
  ],
};
const stack = makeStack({ lambda: { memoryMb: 1024, timeout: 3 } });
const w = new CountWindow(tl);
const first = (metric: Parameters<typeof metricDatapoints>[2]) => metricDatapoints(w, stack, metric, 60)[0]!;

describe('CloudWatch metrics from a timeline', () => {
  it('Count is every request API Gateway answered, all cohorts: 1 + 2 + 30 + 4 + 5 + 100 + 6 + 2 = 150 per cohort pair', () => {
    expect(statistic(first('Count'), 'Sum')).toBe(2 * 150);
    expect(statistic(first('Count'), 'Average')).toBe(1);
  });

  it('4XXError holds WAF blocks, auth rejections, 429s and quota 429s; 5XXError Lambda throttles, failures and timeouts', () => {
    expect(statistic(first('4XXError'), 'Sum')).toBe(2 * (1 + 2 + 30 + 4));
    expect(statistic(first('4XXError'), 'Average')).toBeCloseTo(37 / 150, 12); // the error rate
    expect(statistic(first('5XXError'), 'Sum')).toBe(2 * (5 + 6 + 2));
    expect(statistic(first('5XXError'), 'SampleCount')).toBe(2 * 150);
  });

  it('Lambda: Invocations 108, Errors 8 (failed + timed out), Throttles 5 of 113 attempts', () => {
    expect(statistic(first('Invocations'), 'Sum')).toBe(2 * 108);
    expect(statistic(first('Errors'), 'Sum')).toBe(2 * 8);
    expect(statistic(first('Throttles'), 'Sum')).toBe(2 * 5);
    expect(statistic(first('Throttles'), 'SampleCount')).toBe(2 * 113);
  });

  it('ConcurrentExecutions is busy seconds per second: 216 × 0.25 GB-s at 1 GB over 60 s = 0.9', () => {
    expect(statistic(first('ConcurrentExecutions'), 'Maximum')).toBeCloseTo((216 * 0.25) / 60, 12);
  });

  it('a period with no traffic publishes nothing (a missing datapoint, not a zero)', () => {
    expect(metricDatapoints(w, stack, 'Count', 60)[1]).toBeUndefined();
    expect(metricDatapoints(w, stack, 'Errors', 60)[1]).toBeUndefined();
  });
});
