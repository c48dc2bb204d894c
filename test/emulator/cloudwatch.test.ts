import { afterEach, describe, expect, it } from 'vitest';
import {
  GetMetricDataCommand,
  ListMetricsCommand,
  paginateGetMetricData,
  type MetricDataQuery,
  type MetricDataResult,
} from '@aws-sdk/client-cloudwatch';
import { call, closeAll, cloudwatch, emulate, manualClock, stackFrom } from './support.ts';

afterEach(closeAll);

const T0 = Date.UTC(2026, 0, 5, 12, 0, 0) / 1000; // a whole minute

function q(id: string, namespace: string, metric: string, dims: Record<string, string>, stat: string, period = 60): MetricDataQuery {
  return {
    Id: id,
    MetricStat: {
      Metric: { Namespace: namespace, MetricName: metric, Dimensions: Object.entries(dims).map(([Name, Value]) => ({ Name, Value })) },
      Period: period,
      Stat: stat,
    },
  };
}

const byId = (results: MetricDataResult[] | undefined) => Object.fromEntries((results ?? []).map((r) => [r.Id!, r]));

/** A REST stack whose stage lets 3 requests through then throttles: an easy 3 / 2 split. */
const restStack = stackFrom(`name: orders
api: { kind: rest, stage: { rate: 0.001, burst: 3 } }
lambda: { memoryMb: 256, duration: 10ms, initDuration: 0ms }
deployed: { apiName: orders-api, stage: prod, functionName: orders-handler }
`);

describe('the CloudWatch endpoint answers the real @aws-sdk/client-cloudwatch', () => {
  it('GetMetricData reports Count, 4XXError, Invocations and Duration with AWS names and dimensions', async () => {
    const clock = manualClock(T0 + 5);
    const e = await emulate({ stack: restStack, clock: clock.now });
    for (let i = 0; i < 5; i++) await call(e.apiUrl, '/items');
    clock.set(T0 + 65); // the next minute
    await call(e.apiUrl, '/items');
    const out = await cloudwatch(e).send(
      new GetMetricDataCommand({
        StartTime: new Date((T0 - 60) * 1000),
        EndTime: new Date((T0 + 180) * 1000),
        ScanBy: 'TimestampAscending',
        MetricDataQueries: [
          q('count', 'AWS/ApiGateway', 'Count', { ApiName: 'orders-api', Stage: 'prod' }, 'Sum'),
          q('errors4', 'AWS/ApiGateway', '4XXError', { ApiName: 'orders-api' }, 'Sum'),
          q('rate4', 'AWS/ApiGateway', '4XXError', { ApiName: 'orders-api' }, 'Average'),
          q('invocations', 'AWS/Lambda', 'Invocations', { FunctionName: 'orders-handler' }, 'Sum'),
          q('duration', 'AWS/Lambda', 'Duration', { FunctionName: 'orders-handler' }, 'Maximum'),
          q('samples', 'AWS/Lambda', 'Duration', { FunctionName: 'orders-handler' }, 'SampleCount'),
          q('p99', 'AWS/ApiGateway', 'Latency', { ApiName: 'orders-api' }, 'p99'),
          q('wrongapi', 'AWS/ApiGateway', 'Count', { ApiName: 'someone-else' }, 'Sum'),
        ],
      }),
    );
    const r = byId(out.MetricDataResults);
    expect(r.count.Timestamps).toEqual([new Date(T0 * 1000), new Date((T0 + 60) * 1000)]);
    expect(r.count.Values).toEqual([5, 1]);
    expect(r.count.StatusCode).toBe('Complete');
    expect(r.count.Label).toBe('Count');
    expect(r.errors4.Values).toEqual([2, 1]);
    expect(r.rate4.Values).toEqual([0.4, 1]);
    expect(r.invocations.Values).toEqual([3]);
    expect(r.duration.Values).toEqual([10]);
    expect(r.samples.Values).toEqual([3]);
    expect(r.p99.Values).toHaveLength(2);
    expect(r.wrongapi.Values).toEqual([]);
  });

  it('WAF-blocked requests never reach API Gateway: not in Count, 4XXError or Latency', async () => {
    // WAF answers before API Gateway, so its 403s are not API Gateway's requests (AWS docs:
    // rest-api-monitor counts requests to the API). Limit 10 per minute, no delay, one IP, one
    // clock second: request k sees the k − 1 before it; blocked when that is over 10 → requests
    // 1–11 pass, 12–14 are blocked → Count 11, 4XXError 0, Latency samples 11, Invocations 11
    const clock = manualClock(T0 + 5);
    const e = await emulate({
      stack: stackFrom(`name: walled
api: { kind: rest }
waf: { rateLimit: { limit: 10, window: 1m, key: forwarded-ip, delay: 0s } }
lambda: { memoryMb: 256, duration: 5ms, initDuration: 0ms }
deployed: { apiName: walled-api, stage: prod, functionName: walled-fn }
`),
      clock: clock.now,
    });
    const statuses: number[] = [];
    for (let i = 0; i < 14; i++) statuses.push((await call(e.apiUrl, '/items', { headers: { 'x-forwarded-for': '203.0.113.9' } })).status);
    expect(statuses).toEqual([...Array(11).fill(200), 403, 403, 403]);
    const out = await cloudwatch(e).send(
      new GetMetricDataCommand({
        StartTime: new Date((T0 - 60) * 1000),
        EndTime: new Date((T0 + 120) * 1000),
        MetricDataQueries: [
          q('count', 'AWS/ApiGateway', 'Count', { ApiName: 'walled-api', Stage: 'prod' }, 'Sum'),
          q('errors4', 'AWS/ApiGateway', '4XXError', { ApiName: 'walled-api' }, 'Sum'),
          q('latency', 'AWS/ApiGateway', 'Latency', { ApiName: 'walled-api' }, 'SampleCount'),
          q('invocations', 'AWS/Lambda', 'Invocations', { FunctionName: 'walled-fn' }, 'Sum'),
        ],
      }),
    );
    const r = byId(out.MetricDataResults);
    expect(r.count.Values).toEqual([11]);
    expect(r.errors4.Values).toEqual([0]);
    expect(r.latency.Values).toEqual([11]);
    expect(r.invocations.Values).toEqual([11]);
    expect(e.totals()).toMatchObject({ offered: 14, wafBlocked: 3, succeeded: 11 });
  });

  it('answers HTTP APIs by ApiId with 4xx — and the older 4XXError name too', async () => {
    const clock = manualClock(T0 + 1);
    const e = await emulate({
      stack: stackFrom(`name: shop
api: { kind: http, routes: { "GET /items": {} } }
lambda: { memoryMb: 256, duration: 5ms, initDuration: 0ms }
deployed: { apiId: abc123, stage: live }
`),
      clock: clock.now,
    });
    await call(e.apiUrl, '/items');
    await call(e.apiUrl, '/nope');
    await call(e.apiUrl, '/nope');
    const out = await cloudwatch(e).send(
      new GetMetricDataCommand({
        StartTime: new Date(T0 * 1000),
        EndTime: new Date((T0 + 60) * 1000),
        MetricDataQueries: [
          q('a', 'AWS/ApiGateway', '4xx', { ApiId: 'abc123', Stage: 'live' }, 'Sum'),
          q('b', 'AWS/ApiGateway', '4XXError', { ApiId: 'abc123', Stage: 'live' }, 'Sum'),
          q('c', 'AWS/ApiGateway', 'Count', { ApiId: 'abc123' }, 'Sum', 1),
        ],
      }),
    );
    const r = byId(out.MetricDataResults);
    expect(r.a.Values).toEqual([2]);
    expect(r.b.Values).toEqual([2]);
    expect(r.c.Timestamps).toEqual([new Date((T0 + 1) * 1000)]);
    expect(r.c.Values).toEqual([3]);
  });

  it('reports Lambda Throttles and ConcurrentExecutions when reserved concurrency bites', async () => {
    const e = await emulate({
      stack: stackFrom(`name: tight
api: { kind: rest }
lambda: { memoryMb: 256, duration: 800ms, initDuration: 0ms, reservedConcurrency: 1 }
`),
    });
    const started = Date.now();
    const statuses = await Promise.all([call(e.apiUrl, '/a'), call(e.apiUrl, '/b'), call(e.apiUrl, '/c')].map((p) => p.then((r) => r.status)));
    expect(statuses.sort()).toEqual([200, 500, 500]);
    const out = await cloudwatch(e).send(
      new GetMetricDataCommand({
        StartTime: new Date(started - 120_000),
        EndTime: new Date(Date.now() + 60_000),
        MetricDataQueries: [
          q('throttles', 'AWS/Lambda', 'Throttles', { FunctionName: 'tight' }, 'Sum', 300),
          q('conc', 'AWS/Lambda', 'ConcurrentExecutions', { FunctionName: 'tight' }, 'Maximum', 300),
          q('errors5', 'AWS/ApiGateway', '5XXError', { ApiName: 'tight' }, 'Sum', 300),
          q('account', 'AWS/Lambda', 'Invocations', {}, 'Sum', 300),
        ],
      }),
    );
    const r = byId(out.MetricDataResults);
    const total = (id: string) => (r[id].Values ?? []).reduce((a, b) => a + b, 0);
    expect(total('throttles')).toBe(2);
    expect(Math.max(...(r.conc.Values ?? []))).toBe(1);
    expect(total('errors5')).toBe(2);
    expect(total('account')).toBe(1);
  });

  it('pages with MaxDatapoints and NextToken, newest first by default', async () => {
    const clock = manualClock(T0);
    const e = await emulate({ stack: restStack, clock: clock.now });
    for (let s = 0; s < 5; s++) {
      clock.set(T0 + s);
      await call(e.apiUrl, '/items');
    }
    const cw = cloudwatch(e);
    const first = await cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(T0 * 1000),
        EndTime: new Date((T0 + 10) * 1000),
        MaxDatapoints: 2,
        MetricDataQueries: [q('count', 'AWS/ApiGateway', 'Count', { ApiName: 'orders-api' }, 'Sum', 1)],
      }),
    );
    expect(first.MetricDataResults?.[0].Timestamps).toEqual([new Date((T0 + 4) * 1000), new Date((T0 + 3) * 1000)]);
    expect(first.MetricDataResults?.[0].StatusCode).toBe('PartialData');
    expect(first.NextToken).toEqual(expect.any(String)); // opaque, but there must be one: MaxDatapoints 2 left points over
    const pages = [];
    for await (const page of paginateGetMetricData(
      { client: cw, pageSize: 2 },
      {
        StartTime: new Date(T0 * 1000),
        EndTime: new Date((T0 + 10) * 1000),
        MetricDataQueries: [q('count', 'AWS/ApiGateway', 'Count', { ApiName: 'orders-api' }, 'Sum', 1)],
      },
    )) {
      pages.push(page.MetricDataResults?.[0].Timestamps?.length);
    }
    expect(pages).toEqual([2, 2, 1]);
  });

  it('ListMetrics lists what has data, filtered by namespace and dimension', async () => {
    const e = await emulate({ stack: restStack });
    const cw = cloudwatch(e);
    expect((await cw.send(new ListMetricsCommand({}))).Metrics ?? []).toEqual([]);
    await call(e.apiUrl, '/items');
    const lambda = await cw.send(new ListMetricsCommand({ Namespace: 'AWS/Lambda', Dimensions: [{ Name: 'FunctionName', Value: 'orders-handler' }] }));
    expect(lambda.Metrics?.map((m) => m.MetricName).sort()).toEqual(['ConcurrentExecutions', 'Duration', 'Errors', 'Invocations', 'Throttles']);
    const api = await cw.send(new ListMetricsCommand({ Namespace: 'AWS/ApiGateway', MetricName: '5XXError' }));
    expect(api.Metrics).toEqual([
      { Namespace: 'AWS/ApiGateway', MetricName: '5XXError', Dimensions: [{ Name: 'ApiName', Value: 'orders-api' }] },
      {
        Namespace: 'AWS/ApiGateway',
        MetricName: '5XXError',
        Dimensions: [
          { Name: 'ApiName', Value: 'orders-api' },
          { Name: 'Stage', Value: 'prod' },
        ],
      },
    ]);
  });

  it('reports mistakes as AWS does: the SDK raises the named exception', async () => {
    const e = await emulate({ stack: restStack });
    const cw = cloudwatch(e);
    const now = new Date();
    await expect(
      cw.send(new GetMetricDataCommand({ StartTime: now, EndTime: new Date(now.getTime() + 1000), MetricDataQueries: [] })),
    ).rejects.toMatchObject({ name: 'InvalidParameterValueException', $metadata: { httpStatusCode: 400 } });
    await expect(
      cw.send(new GetMetricDataCommand({ EndTime: now, MetricDataQueries: [q('a', 'AWS/Lambda', 'Invocations', {}, 'Sum')] } as never)),
    ).rejects.toMatchObject({ name: 'MissingRequiredParameterException', message: 'The parameter StartTime is required.' });
    await expect(
      cw.send(new GetMetricDataCommand({ StartTime: new Date(0), EndTime: now, MetricDataQueries: [q('a', 'AWS/Lambda', 'Invocations', {}, 'Sum', 7)] })),
    ).rejects.toMatchObject({ name: 'InvalidParameterValueException' });
    await expect(
      cw.send(new GetMetricDataCommand({ StartTime: new Date(0), EndTime: now, NextToken: '%%%', MetricDataQueries: [q('a', 'AWS/Lambda', 'Invocations', {}, 'Sum')] })),
    ).rejects.toMatchObject({ name: 'InvalidNextToken' });
  });

  it('answers an unknown target and bad JSON with AWS JSON 1.0 error bodies', async () => {
    const e = await emulate({ stack: restStack });
    const headers = { 'content-type': 'application/x-amz-json-1.0' };
    const unknown = await call(e.cloudwatchUrl, '/', {
      method: 'POST',
      headers: { ...headers, 'x-amz-target': 'GraniteServiceVersion20100801.PutMetricAlarm' },
      body: '{}',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(JSON.parse(unknown.body).__type).toBe('com.amazon.coral.service#UnknownOperationException');
    const badJson = await call(e.cloudwatchUrl, '/', {
      method: 'POST',
      headers: { ...headers, 'x-amz-target': 'GraniteServiceVersion20100801.GetMetricData' },
      body: '{not json',
    });
    expect(badJson.status).toBe(400);
    expect(JSON.parse(badJson.body)).toMatchObject({ __type: 'com.amazon.coral.service#SerializationException' });
  });
});
