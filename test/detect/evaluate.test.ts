import { describe, expect, it } from 'vitest';
import { firesAt } from '../../src/detect/evaluate.ts';
import type { Datapoint } from '../../src/detect/metrics.ts';
import type { Alarm } from '../../src/stack/alarm-types.ts';
import { detectionBucketSeconds } from '../../src/detect/detection.ts';
import { makeStack } from '../support/stacks.ts';

const alarm = (over: Partial<Alarm> = {}): Alarm => ({
  name: 'a',
  metric: 'Count',
  statistic: 'Sum',
  periodSeconds: 60,
  evaluationPeriods: 1,
  datapointsToAlarm: 1,
  threshold: 100,
  comparison: 'GreaterThanThreshold',
  delaySeconds: 60,
  ...over,
});
// one datapoint per period with Sum = v, one sample per request
const sums = (...vs: (number | undefined)[]): (Datapoint | undefined)[] =>
  vs.map((v) => (v === undefined ? undefined : { sum: v, sampleCount: Math.max(1, v), maximum: 1 }));

describe('alarm evaluation', () => {
  it('fires at the end of the first breaching period plus the delay: period 3 ends at 240 s, +60 s', () => {
    expect(firesAt(alarm(), sums(10, 50, 100, 101, 500), 3600)).toBe(4 * 60 + 60);
  });

  it('GreaterThanThreshold does not fire on a value equal to the threshold; GreaterThanOrEqualToThreshold does', () => {
    expect(firesAt(alarm(), sums(100, 100), 3600)).toBeNull();
    expect(firesAt(alarm({ comparison: 'GreaterThanOrEqualToThreshold' }), sums(100, 100), 3600)).toBe(60 + 60);
  });

  it('LessThan comparisons fire on low values; periods without data never breach', () => {
    expect(firesAt(alarm({ comparison: 'LessThanThreshold', threshold: 5 }), sums(10, undefined, 4), 3600)).toBe(3 * 60 + 60);
    expect(firesAt(alarm({ comparison: 'LessThanOrEqualToThreshold', threshold: 5 }), sums(10, undefined, 6), 3600)).toBeNull();
  });

  it('2 of 3: two breaches that are 3 periods apart never share a window; two within 3 periods do', () => {
    const a = alarm({ evaluationPeriods: 3, datapointsToAlarm: 2 });
    // breaches in periods 0 and 3: windows [0..2] and [1..3], [2..4] hold one each
    expect(firesAt(a, sums(200, 0, 0, 200, 0, 0), 3600)).toBeNull();
    // breaches in periods 1 and 3: the window [1..3] ends with period 3, at 240 s; +60 s
    expect(firesAt(a, sums(0, 200, 0, 200, 0), 3600)).toBe(240 + 60);
  });

  it('3 of 3 needs three breaching periods in a row', () => {
    const a = alarm({ evaluationPeriods: 3, datapointsToAlarm: 3, periodSeconds: 300, delaySeconds: 0 });
    expect(firesAt(a, sums(200, 200, 0, 200, 200, 200), 86400)).toBe(6 * 300);
  });

  it('Average, Maximum and SampleCount read the other statistics of the datapoint', () => {
    const d: Datapoint[] = [{ sum: 30, sampleCount: 100, maximum: 1 }];
    expect(firesAt(alarm({ statistic: 'Average', threshold: 0.25 }), d, 3600)).toBe(120); // 0.30 > 0.25
    expect(firesAt(alarm({ statistic: 'Average', threshold: 0.3 }), d, 3600)).toBeNull();
    expect(firesAt(alarm({ statistic: 'SampleCount', threshold: 99 }), d, 3600)).toBe(120);
    expect(firesAt(alarm({ statistic: 'Maximum', threshold: 1 }), d, 3600)).toBeNull();
  });

  it('an alarm whose verdict would come after the horizon does not fire within it', () => {
    expect(firesAt(alarm(), sums(0, 0, 500), 200)).toBeNull(); // would fire at 240 s
    expect(firesAt(alarm(), sums(0, 0, 500), 240)).toBe(240);
  });
});

describe('the bucket size a simulation with alarms needs', () => {
  const stack = (...periods: number[]) => makeStack({ alarms: periods.map((p, i) => alarm({ name: `a${i}`, periodSeconds: p })) });
  it('divides every alarm period and the report bucket: gcd(1800, 300, 420) = 60', () => {
    expect(detectionBucketSeconds(stack(300, 420), 1800, 30 * 86400)).toBe(60);
    expect(detectionBucketSeconds(stack(), 1800, 30 * 86400)).toBe(1800);
  });
  it('leaves 10 s periods out on a 30-day horizon (259,200 buckets would be too many), not on a 1-hour one', () => {
    expect(detectionBucketSeconds(stack(10, 300), 1800, 30 * 86400)).toBe(300);
    expect(detectionBucketSeconds(stack(10, 300), 5, 3600)).toBe(5);
  });
});
