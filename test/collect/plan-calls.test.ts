import { describe, expect, it } from 'vitest';
import { buildMetricSpecs, type MetricSpec } from '../../src/collect/metric-queries.ts';
import { MAX_DATAPOINTS_PER_CALL, MAX_QUERIES_PER_CALL, metricsRequested, planCalls, type PlannedCall } from '../../src/collect/plan-calls.ts';
import { makeStack as testStack } from '../support/stacks.ts';

const HOUR = 3600;
const DAY = 86_400;

function fakeSpecs(n: number): MetricSpec[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `m${i}`,
    role: 'lambda.invocations',
    namespace: 'AWS/Lambda',
    metricName: 'Invocations',
    dimensions: [{ Name: 'FunctionName', Value: `fn${i}` }],
    stat: 'Sum',
  }));
}

/** Every query's calls tile [start, end) exactly (each period asked once), and no call breaks a limit. */
function checkPlan(plan: PlannedCall[], specs: MetricSpec[], start: number, end: number, period: number): void {
  const spans = new Map<string, [number, number][]>();
  for (const call of plan) {
    expect(call.queries.length).toBeLessThanOrEqual(MAX_QUERIES_PER_CALL);
    const points = Math.ceil((call.end - call.start) / period);
    expect(points * call.queries.length).toBeLessThanOrEqual(MAX_DATAPOINTS_PER_CALL);
    for (const q of call.queries) {
      if (!spans.has(q.id)) spans.set(q.id, []);
      spans.get(q.id)!.push([call.start, call.end]);
    }
  }
  expect(spans.size).toBe(specs.length);
  for (const list of spans.values()) {
    list.sort((a, b) => a[0] - b[0]);
    let at = start;
    for (const [s, e] of list) {
      expect(s).toBe(at);
      at = e;
    }
    expect(at).toBe(end);
  }
}

describe('GetMetricData call planning', () => {
  it('a REST stack asks 16 metrics (Lambda 6, API Gateway 10) and an HTTP API stack 18 (both 4xx spellings)', () => {
    expect(buildMetricSpecs(testStack()).length).toBe(16);
    const http = buildMetricSpecs(testStack({ api: { kind: 'http' } }));
    expect(http.length).toBe(18);
    expect(http.map((s) => s.metricName)).toEqual(expect.arrayContaining(['4xx', '4XXError', '5xx', '5XXError']));
    expect(http.find((s) => s.metricName === 'Count')?.dimensions).toEqual([
      { Name: 'ApiId', Value: 'test-stack' },
      { Name: 'Stage', Value: 'prod' },
    ]);
  });

  it('a function URL has no API Gateway metrics: its latency comes from Lambda Duration', () => {
    const specs = buildMetricSpecs(testStack({ api: { kind: 'function-url' } }));
    expect(specs.every((s) => s.namespace === 'AWS/Lambda')).toBe(true);
    expect(specs.map((s) => `${s.metricName} ${s.stat}`)).toEqual(expect.arrayContaining(['Duration p99', 'Duration Maximum']));
  });

  it('query ids are valid GetMetricData ids and unique', () => {
    const ids = buildMetricSpecs(testStack({ api: { kind: 'http' } })).map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-zA-Z0-9_]*$/);
  });

  it('16 metrics over one hour at 60 s fit in a single call', () => {
    const specs = buildMetricSpecs(testStack());
    const plan = planCalls(specs, 0, HOUR, 60);
    expect(plan.length).toBe(1);
    expect(metricsRequested(plan)).toBe(16);
    checkPlan(plan, specs, 0, HOUR, 60);
  });

  it('600 metrics over a short window take two calls, none above 500 queries', () => {
    const specs = fakeSpecs(600);
    const plan = planCalls(specs, 0, HOUR, 60);
    expect(plan.length).toBe(2);
    checkPlan(plan, specs, 0, HOUR, 60);
  });

  it('18 metrics at 1-second period over 2 hours (129,600 points) are split into 2 calls of ≤ 100,800 points', () => {
    const specs = buildMetricSpecs(testStack({ api: { kind: 'http' } }));
    const plan = planCalls(specs, 0, 2 * HOUR, 1);
    expect(plan.length).toBe(2);
    checkPlan(plan, specs, 0, 2 * HOUR, 1);
  });

  it('16 metrics × 30 days of minutes (691,200 points) take 7 calls: the data-point limit’s minimum', () => {
    const specs = buildMetricSpecs(testStack());
    const plan = planCalls(specs, 0, 30 * DAY, 60);
    expect(plan.length).toBe(Math.ceil((16 * 30 * 24 * 60) / MAX_DATAPOINTS_PER_CALL));
    checkPlan(plan, specs, 0, 30 * DAY, 60);
  });

  it('1,000 metrics over a window of 150 points each pack 672 per call by points, 500 by queries: 2 calls', () => {
    const specs = fakeSpecs(1000);
    const plan = planCalls(specs, 0, 150 * 60, 60);
    expect(plan.length).toBe(2);
    checkPlan(plan, specs, 0, 150 * 60, 60);
  });

  it('an empty window plans no call', () => {
    expect(planCalls(buildMetricSpecs(testStack()), 100, 100, 60)).toEqual([]);
  });
});
