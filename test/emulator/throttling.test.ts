import { afterEach, describe, expect, it } from 'vitest';
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { describeEnforced } from '../../src/emulator/enforced.ts';
import { call, closeAll, cloudwatch, emulate, flood, manualClock, paced, stackFrom } from './support.ts';

afterEach(closeAll);

const stageThrottled = stackFrom(`name: stage-throttled
api: { kind: rest, stage: { rate: 50, burst: 100 } }
lambda: { memoryMb: 512, duration: 2ms, initDuration: 0ms }
deployed: { apiName: flood-api, functionName: flood-fn }
`);

describe('AWS\'s token-bucket examples hold over HTTP', () => {
  // AWS REST throttling page (api-gateway-request-throttling): rate 10,000, burst 5,000, bucket full
  // at t = 0: "10,000 requests in the first millisecond → 5,000 served, 5,000 throttled". The
  // injected clock stands still, so every request arrives in the same instant.
  it('10,000 requests in one instant into a full 5,000 bucket: 5,000 served, 5,000 throttled', async () => {
    const clock = manualClock(Date.UTC(2026, 0, 5) / 1000);
    const e = await emulate({
      stack: stackFrom(`name: aws-example
api: { kind: rest, stage: { rate: 10000, burst: 5000 } }
lambda: { memoryMb: 128, duration: 1ms, initDuration: 0ms }
`),
      clock: clock.now,
    });
    const r = await flood(e.apiUrl, { requests: 10_000, connections: 32 });
    expect(r.statuses).toEqual({ 200: 5000, 429: 5000 });
    expect(e.totals()).toMatchObject({ succeeded: 5000, gatewayThrottled: 5000 });
  });

  // The same page: 5,000 in the first millisecond, then the next 5,000 spread evenly over the rest
  // of the second (about 5 per ms) — all 10,000 are served, no 429. Scaled to rate 50 burst 100 so
  // real time is easy to keep: 100 at once, then 100 spread over 2 s at 50 per second.
  it('a full burst followed by arrivals at the refill rate is all served (rate 50, burst 100)', async () => {
    const e = await emulate({ stack: stageThrottled });
    const burst = await flood(e.apiUrl, { requests: 100, connections: 20 });
    const spread = await paced(e.apiUrl, { rate: 45, seconds: 2 }); // a little under the rate: timers are not exact
    expect(burst.statuses[200]).toBe(100);
    expect(spread[200]).toBe(90);
    expect(e.totals().gatewayThrottled).toBe(0);
  });
});

describe('done when: flooding stage rate 50 burst 100 with 3,000 requests from 50 connections', () => {
  // The same page: "Per-API, per-stage throttling limits are applied at the API method level for a
  // stage": every method gets the stage's limits (methods inherit them; an override replaces them).
  // Stage burst 3, a clock that stands still: each route serves its own 3, a route with its own
  // burst 5 serves 5 (one stage-wide bucket under the routes' own would serve 3 in all).
  it('the stage throttle is per method: a flood of one route leaves the others their own bucket', async () => {
    const clock = manualClock(Date.UTC(2026, 0, 5) / 1000);
    const stack = stackFrom(`name: per-method
api: { kind: rest, stage: { rate: 1, burst: 3 }, routes: { "GET /a": {}, "GET /b": {}, "GET /c": { rate: 1, burst: 5 } } }
lambda: { memoryMb: 128, duration: 1ms, initDuration: 0ms }
`);
    // what `dowsim emulate` prints of it says so
    expect(describeEnforced(stack)).toContain('stage 1 rps burst 3 per route');
    const e = await emulate({ stack, clock: clock.now });
    expect((await flood(e.apiUrl, { requests: 10, connections: 2, path: '/a' })).statuses).toEqual({ 200: 3, 429: 7 });
    expect((await flood(e.apiUrl, { requests: 10, connections: 2, path: '/b' })).statuses).toEqual({ 200: 3, 429: 7 });
    expect((await flood(e.apiUrl, { requests: 10, connections: 2, path: '/c' })).statuses).toEqual({ 200: 5, 429: 5 });
    expect(e.totals()).toMatchObject({ succeeded: 11, gatewayThrottled: 19 });
  });

  it('serves about 100 + 50 per second elapsed, throttles the rest with 429, and CloudWatch agrees with the client', async () => {
    const e = await emulate({ stack: stageThrottled });
    const startedAt = Date.now();
    const r = await flood(e.apiUrl, { requests: 3000, connections: 50 });
    const served = r.statuses[200] ?? 0;
    const throttled = r.statuses[429] ?? 0;
    expect(served + throttled).toBe(3000);
    const expected = 100 + 50 * r.elapsedSeconds;
    // the bucket refills while the flood lasts; the client's clock brackets the server's, so allow
    // a few tokens (a fifth of a second) of slack for the first request's and last answer's trip
    expect(served).toBeGreaterThanOrEqual(100);
    expect(Math.abs(served - expected)).toBeLessThanOrEqual(10);
    expect([...r.bodies[429]]).toEqual(['{"message":"Too Many Requests"}']);

    const res = await cloudwatch(e).send(
      new GetMetricDataCommand({
        StartTime: new Date(Math.floor(startedAt / 60_000) * 60_000 - 60_000),
        EndTime: new Date(Date.now() + 120_000),
        MetricDataQueries: [
          { Id: 'inv', MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'Invocations', Dimensions: [{ Name: 'FunctionName', Value: 'flood-fn' }] }, Period: 300, Stat: 'Sum' } },
          { Id: 'e4', MetricStat: { Metric: { Namespace: 'AWS/ApiGateway', MetricName: '4XXError', Dimensions: [{ Name: 'ApiName', Value: 'flood-api' }] }, Period: 300, Stat: 'Sum' } },
          { Id: 'count', MetricStat: { Metric: { Namespace: 'AWS/ApiGateway', MetricName: 'Count', Dimensions: [{ Name: 'ApiName', Value: 'flood-api' }, { Name: 'Stage', Value: 'prod' }] }, Period: 300, Stat: 'Sum' } },
        ],
      }),
    );
    const sum = (id: string) => (res.MetricDataResults?.find((m) => m.Id === id)?.Values ?? []).reduce((a, b) => a + b, 0);
    expect(sum('inv')).toBe(served);
    expect(sum('e4')).toBe(throttled);
    expect(sum('count')).toBe(3000);
  });
});

describe("a usage plan's method throttle over HTTP", () => {
  // AWS's REST order: "usage plan per method → usage plan per key → stage/method → account". Plan
  // gold holds GET /search to burst 2 per key, and each key to burst 5 in all; the clock stands
  // still. Key 7: 4 × /search → 200, 200, 429, 429 (the refused two take none of the key's 5);
  // 4 × /items → 200, 200, 200, 429 (5 − 2). Key 8 has its own buckets: /search → 200.
  it('holds one key on one method, before the key\'s own throttle', async () => {
    const clock = manualClock(Date.UTC(2026, 0, 5) / 1000);
    const stack = stackFrom(`name: plan-methods
api:
  kind: rest
  apiKeyRequired: true
  routes: { "GET /search": {}, "GET /items": {} }
  usagePlans: [ { name: gold, throttle: { rate: 1, burst: 5 }, routes: { "GET /search": { rate: 1, burst: 2 } } } ]
lambda: { memoryMb: 128, duration: 1ms, initDuration: 0ms }
`);
    expect(describeEnforced(stack)).toContain('gold (1 rps burst 5, GET /search 1 rps burst 2 per key)');
    const e = await emulate({ stack, clock: clock.now });
    const statuses = async (path: string, n: number, key: string) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) out.push((await call(e.apiUrl, path, { headers: { 'x-api-key': key } })).status);
      return out;
    };
    expect(await statuses('/search', 4, 'dowsim-gold-000000000007')).toEqual([200, 200, 429, 429]);
    expect(await statuses('/items', 4, 'dowsim-gold-000000000007')).toEqual([200, 200, 200, 429]);
    expect(await statuses('/search', 1, 'dowsim-gold-000000000008')).toEqual([200]);
    expect(e.totals()).toMatchObject({ succeeded: 6, gatewayThrottled: 3 });
  });
});

describe('usage-plan quotas roll over at the UTC day boundary', () => {
  it('a key out of its daily quota at 23:59:59 is served again at 00:00:00 UTC', async () => {
    const clock = manualClock(Date.UTC(2026, 2, 9, 23, 59, 58) / 1000);
    const e = await emulate({
      stack: stackFrom(`name: quota-day
api: { kind: rest, apiKeyRequired: true, usagePlans: [ { name: gold, quota: { limit: 3, period: DAY } } ] }
lambda: { memoryMb: 128, duration: 1ms, initDuration: 0ms }
`),
      clock: clock.now,
    });
    const key = { 'x-api-key': 'dowsim-gold-000000000007' };
    const day1 = [];
    for (let i = 0; i < 4; i++) day1.push((await call(e.apiUrl, '/items', { headers: key })).status);
    expect(day1).toEqual([200, 200, 200, 429]);
    clock.set(Date.UTC(2026, 2, 9, 23, 59, 59.999) / 1000);
    expect((await call(e.apiUrl, '/items', { headers: key })).body).toBe('{"message":"Limit Exceeded"}');
    clock.set(Date.UTC(2026, 2, 10, 0, 0, 0) / 1000);
    const day2 = [];
    for (let i = 0; i < 4; i++) day2.push((await call(e.apiUrl, '/items', { headers: key })).status);
    expect(day2).toEqual([200, 200, 200, 429]);
    expect(e.totals()).toMatchObject({ succeeded: 6, quotaExceeded: 3 });
  });
});
