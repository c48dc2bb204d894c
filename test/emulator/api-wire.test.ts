/**
 * The emulator answers the same on the wire whichever of its two HTTP servers read the request:
 * the lean front (a plain GET) or node:http (a chunked POST, handed over), over one raw socket.
 * Header names and values are written out by hand from API Gateway's documented answers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, emulate, stackFrom } from './support.ts';
import { RawClient } from './raw-client.ts';

afterEach(closeAll);

// a REST API answering 64-byte bodies at once; the stage throttle lets 2 requests through (burst 2; refilling one per 1,000 s)
const stack = stackFrom(`name: wire
api: { kind: rest, stage: { rate: 0.001, burst: 2 } }
responseBytes: 64
lambda: { memoryMb: 128, duration: 0.1ms, initDuration: 0ms }
`);

const CHUNKED = 'POST /items HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const SHORT_ID = /^[A-Za-z0-9_-]{15}=$/;

describe('the emulator on the wire, lean front and node:http alike', () => {
  it('a served GET (lean) and a served chunked POST (node:http) carry the same headers; so do their 429s', async () => {
    const e = await emulate({ stack });
    const c = await RawClient.open(e.apiUrl);
    c.write('GET /items HTTP/1.1\r\nHost: t\r\n\r\n');
    const lean = (await c.next())!;
    c.write(CHUNKED);
    const node = (await c.next())!;
    for (const a of [lean, node]) {
      expect(a.status).toBe(200);
      expect(Object.keys(a.headers).sort()).toEqual(['connection', 'content-length', 'content-type', 'date', 'keep-alive', 'x-amz-apigw-id', 'x-amzn-requestid']);
      expect(a.headers).toMatchObject({ 'content-type': 'application/json', 'content-length': '64', connection: 'keep-alive', 'keep-alive': 'timeout=60' });
      expect(a.headers['x-amzn-requestid']).toMatch(UUID);
      expect(a.headers['x-amz-apigw-id']).toMatch(SHORT_ID);
      expect(a.body).toHaveLength(64);
    }
    expect(node.headers['x-amzn-requestid']).not.toBe(lean.headers['x-amzn-requestid']);

    // the burst of 2 is spent: a third request is throttled on either path
    const throttled = [];
    const d = await RawClient.open(e.apiUrl);
    d.write('GET /items HTTP/1.1\r\nHost: t\r\n\r\n');
    throttled.push((await d.next())!);
    d.write(CHUNKED);
    throttled.push((await d.next())!);
    for (const a of throttled) {
      expect(a.status).toBe(429);
      expect(a.body).toBe('{"message":"Too Many Requests"}');
      expect(Object.keys(a.headers).sort()).toEqual(['connection', 'content-length', 'content-type', 'date', 'keep-alive', 'x-amz-apigw-id', 'x-amzn-errortype', 'x-amzn-requestid']);
      expect(a.headers['x-amzn-errortype']).toBe('TooManyRequestsException');
    }
    c.close();
    d.close();

    // both paths are counted: 2 served, 2 throttled
    const t = e.totals();
    expect({ succeeded: t.succeeded, gatewayThrottled: t.gatewayThrottled }).toEqual({ succeeded: 2, gatewayThrottled: 2 });
  });

  it('the metrics path answers JSON on the lean path', async () => {
    const e = await emulate({ stack });
    const c = await RawClient.open(e.apiUrl);
    c.write('GET /__dowsim/metrics HTTP/1.1\r\nHost: t\r\n\r\n');
    const a = (await c.next())!;
    expect(a.status).toBe(200);
    expect(a.headers['content-type']).toBe('application/json');
    expect(JSON.parse(a.body)).toMatchObject({ stack: 'wire', apiKind: 'rest' });
    c.close();
  });
});
