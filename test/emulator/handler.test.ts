import { afterEach, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, closeAll, emulate, stackFrom } from './support.ts';
import { InputError } from '../../src/model/errors.ts';
import { startEmulator } from '../../src/emulator/start-emulator.ts';

afterEach(closeAll);

const ECHO = fileURLToPath(new URL('../fixtures/handlers/echo.mjs', import.meta.url));

const rest = stackFrom(`name: orders
region: eu-west-1
api: { kind: rest, routes: { "GET /items/{id}": {}, "ANY /{proxy+}": {} } }
lambda: { memoryMb: 512, duration: 5ms, initDuration: 0ms, timeout: 1s }
deployed: { apiId: a1b2c3d4e5, stage: prod, functionName: orders-handler }
`);

const http = stackFrom(`name: orders-http
api: { kind: http, routes: { "GET /items/{id}": {} } }
lambda: { memoryMb: 256, duration: 5ms, initDuration: 0ms, timeout: 1s }
deployed: { apiId: h77, stage: live, functionName: orders-http-fn }
`);

describe('a real handler module behind a REST API gets a payload 1.0 proxy event', () => {
  it('sees method, path, path and query parameters, headers, body and its context', async () => {
    const e = await emulate({ stack: rest, handler: `${ECHO}#handler` });
    const r = await call(e.apiUrl, '/items/42?color=red&color=blue&size=m', {
      method: 'GET',
      headers: { 'X-Custom': 'yes', 'x-forwarded-for': '203.0.113.9', 'user-agent': 'dowsim-test' },
    });
    expect(r.status).toBe(201);
    expect(r.headers['x-handler']).toBe('echo');
    expect(r.headers['x-multi']).toEqual(['a', 'b']);
    const { event, context } = JSON.parse(r.body);
    expect(event).toMatchObject({
      resource: '/items/{id}',
      path: '/items/42',
      httpMethod: 'GET',
      pathParameters: { id: '42' },
      queryStringParameters: { color: 'blue', size: 'm' },
      multiValueQueryStringParameters: { color: ['red', 'blue'], size: ['m'] },
      stageVariables: null,
      isBase64Encoded: false,
      body: null,
    });
    expect(event.headers['X-Custom']).toBe('yes');
    expect(event.multiValueHeaders['X-Custom']).toEqual(['yes']);
    expect(event.requestContext).toMatchObject({
      apiId: 'a1b2c3d4e5',
      stage: 'prod',
      path: '/prod/items/42',
      resourcePath: '/items/{id}',
      httpMethod: 'GET',
      identity: { sourceIp: '203.0.113.9', userAgent: 'dowsim-test' },
    });
    expect(event.requestContext.requestId).toBe(r.headers['x-amzn-requestid']);
    expect(event.requestContext.requestTime).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(context).toMatchObject({
      functionName: 'orders-handler',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:orders-handler',
      memoryLimitInMB: '512',
      logGroupName: '/aws/lambda/orders-handler',
    });
    expect(context.awsRequestId).toBe(event.requestContext.requestId);
    expect(context.remaining).toBeGreaterThan(0);
    expect(context.remaining).toBeLessThanOrEqual(1000);
  });

  it('passes a POST body as text and a greedy path as {proxy}', async () => {
    const e = await emulate({ stack: rest, handler: `${ECHO}#handler` });
    const r = await call(e.apiUrl, '/a/b/c', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"x":1}' });
    const { event } = JSON.parse(r.body);
    expect(event).toMatchObject({ resource: '/{proxy+}', httpMethod: 'POST', body: '{"x":1}', pathParameters: { proxy: 'a/b/c' } });
  });

  it('a thrown error is 502, a malformed result is 502, the callback style works', async () => {
    const thrower = await emulate({ stack: rest, handler: `${ECHO}#throws` });
    const t = await call(thrower.apiUrl, '/x');
    expect(t.status).toBe(502);
    expect(t.body).toBe('{"message": "Internal server error"}');
    expect(thrower.totals()).toMatchObject({ failed: 1, invoked: 1 });
    const bad = await emulate({ stack: rest, handler: `${ECHO}#malformed` });
    expect((await call(bad.apiUrl, '/x')).status).toBe(502);
    const cb = await emulate({ stack: rest, handler: `${ECHO}#callbackStyle` });
    const c = await call(cb.apiUrl, '/x');
    expect(c.status).toBe(200);
    expect(c.body).toBe('called back');
  });

  it('decodes an isBase64Encoded body', async () => {
    const e = await emulate({ stack: rest, handler: `${ECHO}#binary` });
    const r = await call(e.apiUrl, '/bin');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/octet-stream');
    expect(r.headers['content-length']).toBe('4'); // [0, 1, 2, 255], not its base64 text
    expect(e.totals().bytesOut).toBe(4);
  });

  it('a handler past the function timeout fails with 502 and is billed for the timeout', async () => {
    const e = await emulate({ stack: rest, handler: `${ECHO}#slow` });
    const r = await call(e.apiUrl, '/x');
    expect(r.status).toBe(502);
    const t = e.totals();
    expect(t).toMatchObject({ failed: 1, invoked: 1 });
    expect(t.gbSeconds).toBeCloseTo(0.5, 3); // 1 s timeout × 0.5 GB
  });
});

describe('a real handler behind an HTTP API or a function URL gets a payload 2.0 event', () => {
  it('sees version 2.0, routeKey, rawPath, rawQueryString, lower-case headers, cookies and requestContext.http', async () => {
    const e = await emulate({ stack: http, handler: `${ECHO}#handler` });
    const r = await call(e.apiUrl, '/items/7?a=1&a=2', {
      headers: { 'X-Custom': 'yes', cookie: 'session=abc; theme=dark', 'x-forwarded-for': '198.51.100.4' },
    });
    expect(r.status).toBe(201);
    // AWS's HTTP API request ids look like "Ab1CdEfGhIjKlMn=": 15 URL-safe characters and '='
    expect(r.headers['apigw-requestid']).toMatch(/^[A-Za-z0-9_-]{15}=$/);
    const { event } = JSON.parse(r.body);
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'GET /items/{id}',
      rawPath: '/items/7',
      rawQueryString: 'a=1&a=2',
      cookies: ['session=abc', 'theme=dark'],
      queryStringParameters: { a: '1,2' },
      pathParameters: { id: '7' },
      isBase64Encoded: false,
    });
    expect(event.headers['x-custom']).toBe('yes');
    expect(event.headers.cookie).toBeUndefined();
    expect(event.requestContext).toMatchObject({
      apiId: 'h77',
      stage: 'live',
      routeKey: 'GET /items/{id}',
      http: { method: 'GET', path: '/items/7', sourceIp: '198.51.100.4' },
    });
    expect(event.requestContext.requestId).toBe(r.headers['apigw-requestid']);
  });

  it('a result without statusCode becomes 200 application/json with the result as body', async () => {
    const e = await emulate({ stack: http, handler: `${ECHO}#plain` });
    const r = await call(e.apiUrl, '/items/1');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json');
    expect(JSON.parse(r.body)).toEqual({ hello: 'world' });
  });

  it('a function URL event has routeKey $default and base64-encodes a binary body', async () => {
    const url = stackFrom(`name: url-fn
api: { kind: function-url }
lambda: { memoryMb: 256, duration: 5ms, initDuration: 0ms }
`);
    const e = await emulate({ stack: url, handler: `${ECHO}#handler` });
    const r = await call(e.apiUrl, '/any/path', { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: Buffer.from([1, 2, 3]) });
    const { event } = JSON.parse(r.body);
    expect(event).toMatchObject({ version: '2.0', routeKey: '$default', rawPath: '/any/path', isBase64Encoded: true, body: 'AQID' });
    expect(event.requestContext).toMatchObject({ stage: '$default', http: { method: 'PUT' } });
  });
});

describe('--handler mistakes are the user\'s', () => {
  it('a missing file or export is an InputError naming --handler', async () => {
    await expect(startEmulator({ stack: rest, handler: './no/such/file.mjs#handler' })).rejects.toThrow(InputError);
    await expect(startEmulator({ stack: rest, handler: `${ECHO}#nope` })).rejects.toThrow(/has no function export "nope"/);
  });

  it('an export that is there but is no function says what it is (it said the module had no such export)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dowsim-handler-'));
    const file = join(dir, 'h.mjs');
    writeFileSync(file, 'export default 5;\nexport const handler = async () => ({ statusCode: 200 });\n');
    await expect(startEmulator({ stack: rest, handler: `${file}#default` })).rejects.toThrow(`--handler: ${file}: export "default" is a number, not a function (it exports default, handler)`);
  });
});
