import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { call, closeAll, emulate, stackFrom } from './support.ts';

afterEach(closeAll);

const KEY = 'dowsim-basic-00000001'; // a synthetic key of plan "basic"

describe('REST API answers each outcome as API Gateway does', () => {
  it('a missing or invalid API key is 403 {"message":"Forbidden"} with ForbiddenException; a valid key passes', async () => {
    const e = await emulate({
      stack: stackFrom(`name: keys
api: { kind: rest, apiKeyRequired: true, usagePlans: [ { name: basic } ] }
lambda: { memoryMb: 256, duration: 5ms, initDuration: 0ms }
`),
    });
    const missing = await call(e.apiUrl, '/items');
    expect(missing.status).toBe(403);
    expect(missing.body).toBe('{"message":"Forbidden"}');
    expect(missing.headers['x-amzn-errortype']).toBe('ForbiddenException');
    expect(missing.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
    const invalid = await call(e.apiUrl, '/items', { headers: { 'x-api-key': 'not-a-key-of-any-plan-at-all' } });
    expect(invalid.status).toBe(403);
    expect(invalid.body).toBe('{"message":"Forbidden"}');
    const ok = await call(e.apiUrl, '/items', { headers: { 'x-api-key': KEY } });
    expect(ok.status).toBe(200);
    expect(ok.headers['x-amz-apigw-id']).toMatch(/^[A-Za-z0-9_-]{15}=$/);
    const t = e.totals();
    expect(t).toMatchObject({ offered: 3, authRejected: 2, succeeded: 1, invoked: 1, billedApiRequests: 1 });
  });

  it('an unknown route is 403 {"message":"Missing Authentication Token"}, not billed', async () => {
    const e = await emulate({
      stack: stackFrom(`name: routes
api: { kind: rest, routes: { "GET /items": {}, "GET /items/{id}": {} } }
lambda: { memoryMb: 256, duration: 5ms, initDuration: 0ms }
`),
    });
    const r = await call(e.apiUrl, '/nothing-here');
    expect(r.status).toBe(403);
    expect(r.body).toBe('{"message":"Missing Authentication Token"}');
    expect(r.headers['x-amzn-errortype']).toBe('MissingAuthenticationTokenException');
    expect((await call(e.apiUrl, '/items/42')).status).toBe(200);
    expect((await call(e.apiUrl, '/items', { method: 'POST' })).status).toBe(403);
    expect(e.totals()).toMatchObject({ offered: 3, authRejected: 2, succeeded: 1, billedApiRequests: 1 });
  });

  it('past the stage bucket a request is 429 {"message":"Too Many Requests"} with TooManyRequestsException', async () => {
    const e = await emulate({
      stack: stackFrom(`name: stage
api: { kind: rest, stage: { rate: 0.001, burst: 2 } }
lambda: { memoryMb: 256, duration: 5ms, initDuration: 0ms }
`),
    });
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await call(e.apiUrl, '/items'));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 429, 429]);
    expect(answers[2].body).toBe('{"message":"Too Many Requests"}');
    expect(answers[2].headers['x-amzn-errortype']).toBe('TooManyRequestsException');
    expect(e.totals()).toMatchObject({ offered: 4, gatewayThrottled: 2, succeeded: 2, billedApiRequests: 2 });
  });

  it('a spent usage-plan quota is 429 {"message":"Limit Exceeded"} with LimitExceededException', async () => {
    const e = await emulate({
      stack: stackFrom(`name: quota
api: { kind: rest, apiKeyRequired: true, usagePlans: [ { name: basic, quota: { limit: 2, period: DAY } } ] }
lambda: { memoryMb: 256, duration: 5ms, initDuration: 0ms }
`),
    });
    const statuses = [];
    let last;
    for (let i = 0; i < 3; i++) {
      last = await call(e.apiUrl, '/items', { headers: { 'x-api-key': KEY } });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(last!.body).toBe('{"message":"Limit Exceeded"}');
    expect(last!.headers['x-amzn-errortype']).toBe('LimitExceededException');
    // another key of the same plan has its own quota
    expect((await call(e.apiUrl, '/items', { headers: { 'x-api-key': 'dowsim-basic-00000002' } })).status).toBe(200);
    expect(e.totals()).toMatchObject({ quotaExceeded: 1, succeeded: 3 });
  });

  it('a WAF rate rule blocks one forwarded IP over its limit with 403, and only that IP', async () => {
    const e = await emulate({
      stack: stackFrom(`name: waf
api: { kind: rest }
waf: { rateLimit: { limit: 10, window: 1m, key: forwarded-ip, delay: 0s } }
lambda: { memoryMb: 256, duration: 5ms, initDuration: 0ms }
`),
    });
    const statuses: number[] = [];
    let blocked;
    for (let i = 0; i < 14; i++) {
      const r = await call(e.apiUrl, '/items', { headers: { 'x-forwarded-for': '203.0.113.7, 10.0.0.1' } });
      statuses.push(r.status);
      if (r.status === 403) blocked = r;
    }
    expect(statuses.slice(0, 10).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(-2)).toEqual([403, 403]);
    expect(blocked!.body).toBe('{"message":"Forbidden"}');
    expect((await call(e.apiUrl, '/items', { headers: { 'x-forwarded-for': '198.51.100.1' } })).status).toBe(200);
    // the rule keys on the FIRST X-Forwarded-For address (the client; later hops are proxies):
    // the blocked client behind another proxy is still blocked, another client behind the same
    // proxy is not
    expect((await call(e.apiUrl, '/items', { headers: { 'x-forwarded-for': '203.0.113.7, 192.0.2.99' } })).status).toBe(403);
    expect((await call(e.apiUrl, '/items', { headers: { 'x-forwarded-for': '198.51.100.2, 10.0.0.1' } })).status).toBe(200);
    statuses.push(403, 200, 200);
    const t = e.totals();
    expect(t.wafBlocked).toBe(statuses.filter((s) => s === 403).length);
    expect(t.billedApiRequests).toBe(t.succeeded);
  });

  it('Lambda out of concurrency is 500 {"message": "Internal server error"}, billed by API Gateway only', async () => {
    const e = await emulate({
      stack: stackFrom(`name: conc
api: { kind: rest }
lambda: { memoryMb: 256, duration: 800ms, initDuration: 0ms, reservedConcurrency: 1, accountConcurrency: 1000 }
`),
    });
    const [a, b] = await Promise.all([call(e.apiUrl, '/items'), new Promise((r) => setTimeout(r, 50)).then(() => call(e.apiUrl, '/items'))]);
    expect([a.status, b.status].sort()).toEqual([200, 500]);
    const throttled = a.status === 500 ? a : b;
    expect(throttled.body).toBe('{"message": "Internal server error"}');
    expect(e.totals()).toMatchObject({ lambdaThrottled: 1, succeeded: 1, invoked: 1, billedApiRequests: 2 });
  });

  it('a failing function is 502 {"message": "Internal server error"}, billed by both', async () => {
    const e = await emulate({
      stack: stackFrom(`name: fail
api: { kind: rest }
lambda: { memoryMb: 1024, duration: 10ms, initDuration: 0ms, errorRate: 1 }
`),
    });
    const r = await call(e.apiUrl, '/items');
    expect(r.status).toBe(502);
    expect(r.body).toBe('{"message": "Internal server error"}');
    const t = e.totals();
    expect(t).toMatchObject({ failed: 1, invoked: 1, billedApiRequests: 1 });
    expect(t.gbSeconds).toBeCloseTo(0.01, 6); // 10 ms × 1 GB, no INIT configured
  });

  it('past the integration timeout the client gets 504 while the function runs on and bills', async () => {
    const e = await emulate({
      stack: stackFrom(`name: slow
api: { kind: rest, integrationTimeout: 100ms }
lambda: { memoryMb: 1024, duration: 1s, initDuration: 0ms, timeout: 3s }
`),
    });
    const r = await call(e.apiUrl, '/items');
    // the answer came while the function was still running: its invocation is not finished yet
    expect(e.totals().invoked).toBe(0);
    expect(r.status).toBe(504);
    expect(r.body).toBe('{"message": "Endpoint request timed out"}');
    await new Promise((res) => setTimeout(res, 1000));
    const t = e.totals();
    expect(t).toMatchObject({ timedOut: 1, invoked: 1, billedApiRequests: 1 });
    expect(t.gbSeconds).toBeCloseTo(1, 6);
  });

  it('a cold start bills INIT on top of the duration, a warm one does not', async () => {
    const e = await emulate({
      stack: stackFrom(`name: cold
api: { kind: rest }
lambda: { memoryMb: 2048, duration: 20ms, initDuration: 100ms }
`),
    });
    expect((await call(e.apiUrl, '/a')).status).toBe(200);
    expect((await call(e.apiUrl, '/b')).status).toBe(200);
    const t = e.totals();
    expect(t.coldStarts).toBe(1);
    expect(t.initGbSeconds).toBeCloseTo(0.2, 9);
    // 2 GB: INIT 100 ms × 2 GB = 0.2 GB-s; each run 20 ms × 2 GB = 0.04 GB-s
    expect(t.gbSeconds).toBeCloseTo(0.2 + 2 * 0.04, 9);
  });
});

describe('INIT takes time as well as money', () => {
  // A lower bound only: the machine can make a request slower, never faster than the emulated
  // INIT + duration, so this cannot flake on a busy CPU.
  it('a cold request takes at least INIT + duration (300 ms + 20 ms)', async () => {
    const e = await emulate({
      stack: stackFrom(`name: init-time
api: { kind: rest }
lambda: { memoryMb: 128, duration: 20ms, initDuration: 300ms }
`),
    });
    const t0 = performance.now();
    expect((await call(e.apiUrl, '/a')).status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(320 - 1);
    expect(e.totals().coldStarts).toBe(1);
  });

  it('a real handler module is called only after INIT: 250 ms at least before its answer', async () => {
    const handler = fileURLToPath(new URL('../fixtures/handlers/echo.mjs', import.meta.url));
    const e = await emulate({
      stack: stackFrom(`name: init-handler
api: { kind: rest }
lambda: { memoryMb: 128, duration: 5ms, initDuration: 250ms, timeout: 3s }
`),
      handler: `${handler}#handler`,
    });
    const t0 = performance.now();
    expect((await call(e.apiUrl, '/a')).status).toBe(201); // echo.mjs answers 201
    expect(performance.now() - t0).toBeGreaterThanOrEqual(250 - 1);
    expect(e.totals()).toMatchObject({ coldStarts: 1, succeeded: 1 });
  });
});

describe('HTTP APIs and function URLs answer in their own way', () => {
  it('an HTTP API: 404 {"message":"Not Found"} for no route, 429 when throttled, apigw-requestid on every answer', async () => {
    const e = await emulate({
      stack: stackFrom(`name: http
api: { kind: http, routes: { "GET /items": { rate: 0.001, burst: 1 } } }
lambda: { memoryMb: 256, duration: 5ms, initDuration: 0ms }
`),
    });
    const none = await call(e.apiUrl, '/other');
    expect(none.status).toBe(404);
    expect(none.body).toBe('{"message":"Not Found"}');
    expect(none.headers['apigw-requestid']).toMatch(/^[A-Za-z0-9_-]{15}=$/);
    expect(none.headers['x-amzn-errortype']).toBeUndefined();
    expect((await call(e.apiUrl, '/items')).status).toBe(200);
    const throttled = await call(e.apiUrl, '/items');
    expect(throttled.status).toBe(429);
    expect(throttled.body).toBe('{"message":"Too Many Requests"}');
    expect(e.totals()).toMatchObject({ authRejected: 1, gatewayThrottled: 1, succeeded: 1, billedApiRequests: 1 });
  });

  it('an HTTP API times out with 503 and fails with 500 {"message":"Internal Server Error"}', async () => {
    const slow = await emulate({
      stack: stackFrom(`name: http-slow
api: { kind: http, integrationTimeout: 80ms }
lambda: { memoryMb: 256, duration: 300ms, initDuration: 0ms }
`),
    });
    const r = await call(slow.apiUrl, '/x');
    expect(r.status).toBe(503);
    expect(r.body).toBe('{"message":"Service Unavailable"}');
    const failing = await emulate({
      stack: stackFrom(`name: http-fail
api: { kind: http }
lambda: { memoryMb: 256, duration: 5ms, initDuration: 0ms, errorRate: 1 }
`),
    });
    const f = await call(failing.apiUrl, '/x');
    expect(f.status).toBe(500);
    expect(f.body).toBe('{"message":"Internal Server Error"}');
  });

  it('an HTTP API bills a 1.2 MB request as 3 units', async () => {
    const e = await emulate({
      stack: stackFrom(`name: http-big
api: { kind: http }
lambda: { memoryMb: 256, duration: 5ms, initDuration: 0ms }
`),
    });
    const r = await call(e.apiUrl, '/upload', { method: 'POST', body: Buffer.alloc(1_200_000, 7) });
    expect(r.status).toBe(200);
    expect(e.totals().billedApiRequests).toBe(3);
  });

  it('a function URL throttles with 429 TooManyRequestsException and bills no API Gateway requests', async () => {
    const e = await emulate({
      stack: stackFrom(`name: url
api: { kind: function-url }
lambda: { memoryMb: 256, duration: 800ms, initDuration: 0ms, reservedConcurrency: 1 }
`),
    });
    const [a, b] = await Promise.all([call(e.apiUrl, '/'), new Promise((r) => setTimeout(r, 50)).then(() => call(e.apiUrl, '/'))]);
    expect([a.status, b.status].sort()).toEqual([200, 429]);
    const throttled = a.status === 429 ? a : b;
    expect(throttled.headers['x-amzn-errortype']).toBe('TooManyRequestsException');
    expect(JSON.parse(throttled.body)).toMatchObject({ message: 'Rate Exceeded.', Type: 'User' });
    expect(e.totals()).toMatchObject({ lambdaThrottled: 1, succeeded: 1, billedApiRequests: 0 });
  });
});

describe('the front', () => {
  it('counts requests under the cohort named by x-dowsim-cohort, others under "all"', async () => {
    const e = await emulate({
      stack: stackFrom(`name: cohorts
api: { kind: rest }
lambda: { memoryMb: 256, duration: 5ms, initDuration: 0ms }
`),
    });
    await call(e.apiUrl, '/a', { headers: { 'x-dowsim-cohort': 'users', 'x-dowsim-role': 'legit' } });
    await call(e.apiUrl, '/a', { headers: { 'x-dowsim-cohort': 'bots' } });
    await call(e.apiUrl, '/a');
    const c = e.metrics.cohorts();
    expect(Object.keys(c).sort()).toEqual(['all', 'bots', 'users']);
    expect(c.users.role).toBe('legit');
    expect(c.bots.role).toBe('attack');
    const tl = e.timeline();
    expect(tl.source).toBe('emulator');
    expect(tl.cohorts.map((x) => x.buckets.reduce((s, b) => s + b.offered, 0))).toEqual([1, 1, 1]);
  });

  it('GET /__dowsim/metrics answers JSON totals and is not itself counted', async () => {
    const e = await emulate({
      stack: stackFrom(`name: peek
api: { kind: rest }
lambda: { memoryMb: 256, duration: 5ms, initDuration: 0ms }
`),
    });
    await call(e.apiUrl, '/a');
    const r = await call(e.apiUrl, '/__dowsim/metrics');
    expect(r.status).toBe(200);
    const doc = JSON.parse(r.body);
    expect(doc.totals).toMatchObject({ offered: 1, succeeded: 1 });
    expect(doc.stack).toBe('peek');
    expect(e.totals().offered).toBe(1);
  });

  it('answers the stack\'s responseBytes on success over kept-alive connections', async () => {
    const e = await emulate({
      stack: stackFrom(`name: bytes
api: { kind: rest }
responseBytes: 5000
lambda: { memoryMb: 256, duration: 5ms, initDuration: 0ms }
`),
    });
    const r = await call(e.apiUrl, '/a');
    expect(Buffer.byteLength(r.body)).toBe(5000);
    expect(JSON.parse(r.body).ok).toBe(true);
    expect(e.totals().bytesOut).toBe(5000);
  });
});
