import { describe, expect, it } from 'vitest';
import { queryId, type MetricRole } from '../../src/collect/metric-queries.ts';
import { metricsToTimeline } from '../../src/collect/to-timeline.ts';
import type { SeriesById } from '../../src/collect/get-metric-data.ts';
import { timelineTotals } from '../../src/model/timeline.ts';
import { conservationGap } from '../../src/model/totals.ts';
import { makeStack as testStack } from '../support/stacks.ts';

const START = 1_795_860_000; // 2026-11-28T10:00Z
const window = { start: START, end: START + 120, period: 60 };

/** Series as GetMetricData returns them: per query id, value per period start. */
function series(values: Partial<Record<MetricRole, number[]>>): SeriesById {
  const out: SeriesById = new Map();
  for (const [role, vs] of Object.entries(values) as [MetricRole, number[]][]) {
    out.set(queryId(role), new Map(vs.map((v, i) => [START + i * 60, v])));
  }
  return out;
}

describe('CloudWatch metrics → timeline', () => {
  it('REST: 100 requests = 30 rejected at the gateway + 10 Lambda throttles + 60 invocations (5 errors, 3 timeouts)', () => {
    const stack = testStack();
    const { timeline } = metricsToTimeline(
      stack,
      series({
        'api.count': [100],
        'api.4XXError': [30],
        'api.5XXError': [18], // 10 throttles (500) + 5 errors (502) + 3 integration timeouts (504)
        'lambda.invocations': [60],
        'lambda.errors': [5],
        'lambda.throttles': [10],
        'lambda.durationSum': [6000], // ms
      }),
      window,
    );
    const t = timelineTotals(timeline);
    expect(timeline.source).toBe('cloudwatch');
    expect(t).toMatchObject({ offered: 100, gatewayThrottled: 30, lambdaThrottled: 10, invoked: 60, failed: 5, timedOut: 3, succeeded: 52, billedApiRequests: 70 });
    expect(t.gbSeconds).toBeCloseTo(6 * 0.5, 12); // 6,000 ms × 512 MB
    expect(conservationGap(t)).toBe(0);
  });

  it('handler 4xx answers are invoked and billed, not counted as gateway throttles', () => {
    const { timeline } = metricsToTimeline(
      testStack(),
      series({ 'api.count': [100], 'api.4XXError': [20], 'lambda.invocations': [100] }),
      window,
    );
    expect(timelineTotals(timeline)).toMatchObject({ offered: 100, gatewayThrottled: 0, succeeded: 100 });
  });

  it('HTTP API: the 4xx/5xx spelling and the older 4XXError/5XXError count the same', () => {
    const stack = testStack({ api: { kind: 'http' } });
    const a = metricsToTimeline(stack, series({ 'api.count': [50], 'api.4xx': [20], 'api.5xx': [4], 'lambda.invocations': [26], 'lambda.throttles': [4] }), window);
    const b = metricsToTimeline(stack, series({ 'api.count': [50], 'api.4XXError': [20], 'api.5XXError': [4], 'lambda.invocations': [26], 'lambda.throttles': [4] }), window);
    expect(timelineTotals(a.timeline)).toEqual(timelineTotals(b.timeline));
    expect(timelineTotals(a.timeline)).toMatchObject({ offered: 50, gatewayThrottled: 20, lambdaThrottled: 4, succeeded: 26, timedOut: 0 });
    expect(a.observed.api4xx).toBe(20);
  });

  it('function URL: offered = Invocations + Throttles, no API Gateway requests billed', () => {
    const { timeline, notes } = metricsToTimeline(
      testStack({ api: { kind: 'function-url' } }),
      series({ 'lambda.invocations': [8, 2], 'lambda.throttles': [30, 0] }),
      window,
    );
    expect(timelineTotals(timeline)).toMatchObject({ offered: 40, invoked: 10, lambdaThrottled: 30, billedApiRequests: 0, gatewayThrottled: 0 });
    expect(notes.join(' ')).toMatch(/function URLs publish no API Gateway metrics/);
  });

  it('data points land in the bucket of their period; empty periods are zero', () => {
    const { timeline } = metricsToTimeline(testStack(), series({ 'api.count': [0, 7], 'lambda.invocations': [0, 7] }), window);
    expect(timeline.bucketSeconds).toBe(60);
    expect(timeline.durationSeconds).toBe(120);
    expect(timeline.startTime).toBe('2026-11-28T10:00:00.000Z');
    expect(timeline.cohorts[0].buckets.map((b) => b.invoked)).toEqual([0, 7]);
  });

  it('every mapping decision is in the notes: 429/403 indistinguishable, Errors include timeouts, INIT not in Duration', () => {
    const { notes } = metricsToTimeline(testStack(), series({ 'api.count': [1], 'lambda.invocations': [1] }), window);
    const text = notes.join('\n');
    expect(text).toMatch(/cannot tell them apart/);
    expect(text).toMatch(/excessive 429s/);
    expect(text).toMatch(/Errors, which include function timeouts/);
    expect(text).toMatch(/INIT/);
    expect(text).toMatch(/1 ms/);
  });

  it('says when API Gateway counted fewer requests than the function saw (wrong names, or other invokers)', () => {
    const { notes } = metricsToTimeline(testStack(), series({ 'lambda.invocations': [12] }), window);
    expect(notes.join('\n')).toMatch(/API Gateway reported no requests for ApiName test-stack, Stage prod while the function ran 12 times/);
  });

  it('latency: mean and max exact from Sum/SampleCount/Maximum, percentiles sample-weighted', () => {
    const { timeline } = metricsToTimeline(
      testStack(),
      series({
        'api.count': [10, 30],
        'lambda.invocations': [10, 30],
        'api.latencySum': [1000, 900],
        'api.latencyCount': [10, 30],
        'api.latencyMax': [400, 90],
        'api.latencyP50': [80, 20],
        'api.latencyP90': [200, 40],
        'api.latencyP99': [390, 80],
      }),
      window,
    );
    const lat = timeline.cohorts[0].latency!;
    expect(lat.count).toBe(40);
    expect(lat.mean).toBeCloseTo(1900 / 40, 12);
    expect(lat.max).toBe(400);
    expect(lat.p50).toBeCloseTo((80 * 10 + 20 * 30) / 40, 12);
  });

  it('the peak concurrency of a two-day window at 1 s (172,800 points) is read without overflowing the stack', () => {
    const n = 172_800;
    const peak = Array.from({ length: n }, (_, i) => (i === 99_999 ? 42 : i % 7));
    const { observed } = metricsToTimeline(testStack(), new Map([[queryId('lambda.concurrencyMax'), new Map(peak.map((v, i) => [START + i, v]))]]), { start: START, end: START + n, period: 1 });
    expect(observed.peakConcurrency).toBe(42);
  });
});
