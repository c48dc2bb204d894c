import { afterEach, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { call, closeAll, emulate, stackFrom } from './support.ts';

afterEach(closeAll);

const ECHO = fileURLToPath(new URL('../fixtures/handlers/echo.mjs', import.meta.url));

const orders = stackFrom(`name: orders
api:
  kind: http
  routes: { "GET /items": {}, "POST /orders": { function: orders } }
lambda: { memoryMb: 512, duration: 5ms, initDuration: 0ms, timeout: 1s }
functions:
  - { name: orders, memoryMb: 2048, architecture: arm64, duration: 5ms, initDuration: 0ms, timeout: 1s, reservedConcurrency: 1, functionName: orders-write }
deployed: { apiId: o1, stage: prod, functionName: orders-read }
`);

describe('the emulator invokes the function behind each route', () => {
  it("a handler sees its own function's name and memory", async () => {
    const e = await emulate({ stack: orders, handler: `${ECHO}#handler` });
    const read = JSON.parse((await call(e.apiUrl, '/items')).body).context;
    const write = JSON.parse((await call(e.apiUrl, '/orders', { method: 'POST', body: '{}' })).body).context;
    expect([read.functionName, read.memoryLimitInMB]).toEqual(['orders-read', '512']);
    expect([write.functionName, write.memoryLimitInMB]).toEqual(['orders-write', '2048']);
  });

  it("one function's reserved concurrency throttles only its own route", async () => {
    // orders reserves 1 environment and holds it 2 s: of three POSTs at once one is served and two
    // throttled (500); lambda shares the other 999 and serves all three GETs
    const slow = stackFrom(`name: slow
api:
  kind: http
  routes: { "GET /items": {}, "POST /orders": { function: orders } }
lambda: { memoryMb: 512, duration: 2s, initDuration: 0ms, timeout: 5s }
functions:
  - { name: orders, memoryMb: 2048, duration: 2s, initDuration: 0ms, timeout: 5s, reservedConcurrency: 1 }
`);
    const e = await emulate({ stack: slow });
    const answers = await Promise.all([
      ...[1, 2, 3].map(() => call(e.apiUrl, '/orders', { method: 'POST' })),
      ...[1, 2, 3].map(() => call(e.apiUrl, '/items')),
    ]);
    expect(answers.slice(0, 3).map((a) => a.status).sort()).toEqual([200, 500, 500]);
    expect(answers.slice(3).map((a) => a.status)).toEqual([200, 200, 200]);
    const routes = e.metrics.routes();
    expect(routes['POST /orders'].lambdaThrottled).toBe(2);
    expect(routes['POST /orders'].gbSeconds).toBeCloseTo(2 * 2, 6); // one 2 s invocation on 2 GB
    expect(routes['GET /items'].gbSeconds).toBeCloseTo(3 * 2 * 0.5, 6); // three on 512 MB
  });
});
