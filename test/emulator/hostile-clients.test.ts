/**
 * The emulator under hostile clients, over real sockets: stalled bodies, a gzip bomb, too many
 * connections, prototype names as CloudWatch operations. It must keep answering others and close
 * what stalls. Timeouts here are short ones given to the emulator; bounds on the test's own clock
 * are generous (tens of seconds), as the machine is shared.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { connect, type Socket } from 'node:net';
import { resourceUsage } from 'node:process';
import { gzipSync } from 'node:zlib';
import { Pool } from 'undici';
import { ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { call, closeAll, cloudwatch, emulate, stackFrom } from './support.ts';

afterEach(closeAll);

const stack = stackFrom(`name: open
api: { kind: rest }
lambda: { memoryMb: 128, duration: 5ms, initDuration: 0ms }
`);

const CW_HEADERS = { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'GraniteServiceVersion20100801.ListMetrics' };

/** A raw socket to `url` that has sent `text` and then says nothing more. What it hears, and when it closes. */
function stalled(url: string, text: string): { socket: Socket; heard: () => string; closed: Promise<void> } {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  let heard = '';
  socket.on('data', (d) => (heard += d.toString('latin1')));
  socket.on('error', () => {});
  socket.write(text);
  return { socket, heard: () => heard, closed: new Promise((resolve) => socket.on('close', () => resolve())) };
}

/** Resolves once `cond` holds (polled; the test's timeout bounds the wait). */
async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 20));
}

/**
 * 1 MiB of gzip that inflates to 1 GiB: 64 gzip members of 16 MiB of zeros each (gzip allows
 * concatenated members, and node's gunzip reads them all). 16 MiB of zeros deflate to ~16 KB.
 */
function gzipBomb(): Buffer {
  const member = gzipSync(Buffer.alloc(16 * 2 ** 20), { level: 9 });
  return Buffer.concat(Array.from({ length: 64 }, () => member));
}

describe('hostile clients', () => {
  it('a 1 MB gzip bomb and 200 stalled bodies: GET /items still answers; the bomb gets 413, the stalled bodies 408 and a closed socket', async () => {
    const e = await emulate({ stack, limits: { requestTimeoutMs: 3_000 } });
    const bomb = gzipBomb();
    expect(bomb.length).toBeLessThan(1.1 * 2 ** 20);

    // each promises 100,000 bytes of body and sends 10
    const stalls = Array.from({ length: 200 }, () => stalled(e.apiUrl, 'POST /items HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n0123456789'));
    const cw = new Pool(e.cloudwatchUrl.replace(/\/$/, ''), { connections: 3 });
    const bombs = Array.from({ length: 3 }, () =>
      cw.request({ path: '/', method: 'POST', headers: { ...CW_HEADERS, 'content-encoding': 'gzip' }, body: bomb }).then(async (r) => {
        await r.body.dump();
        return r.statusCode;
      }, (err: Error) => `error ${err.message}`),
    );

    // while all of that is going on, a normal request is answered (the bound is the test's timeout)
    const answer = await call(e.apiUrl, '/items');
    expect(answer.status).toBe(200);
    expect(stalls.filter((s) => s.socket.destroyed)).toHaveLength(0); // the attack was still on

    expect(await Promise.all(bombs)).toEqual([413, 413, 413]);
    await cw.close();

    // the server, not the client, ends each stalled body, after its 3 s request timeout
    await Promise.all(stalls.map((s) => s.closed));
    for (const s of stalls) expect(s.heard()).toMatch(/^HTTP\/1\.1 408 /);

    // inflating is capped at 1 MiB per request: three 1 GiB bombs never got near memory
    expect(resourceUsage().maxRSS * 1024).toBeLessThan(2 ** 30);
  });

  it('a connection that stalls in its headers is closed after the timeout too', async () => {
    const e = await emulate({ stack, limits: { requestTimeoutMs: 1_000 } });
    const s = stalled(e.apiUrl, 'GET /items HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    await s.closed;
    expect(s.heard()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('at the connection cap a newcomer is served: the oldest stalled connection makes room', async () => {
    const e = await emulate({ stack, limits: { maxConnections: 20 } });
    const held: ReturnType<typeof stalled>[] = [];
    for (let i = 0; i < 20; i++) {
      held.push(stalled(e.apiUrl, 'GET /items HTTP/1.1\r\nHost: x\r\n'));
      // one at a time, so that the server sees them in this order
      await new Promise((r) => held[i].socket.once('connect', r));
      await new Promise((r) => setTimeout(r, 20));
    }
    expect((await call(e.apiUrl, '/items')).status).toBe(200);
    await held[0].closed;
    expect(held[0].heard()).toBe(''); // closed unanswered, to make room
    expect(held.slice(1).filter((h) => h.socket.destroyed)).toHaveLength(0);
    for (const h of held) h.socket.destroy();
  });

  it('at the cap with every connection awaiting its answer, a newcomer is refused; served ones are not cut', async () => {
    const slow = stackFrom(`name: slow
api: { kind: rest }
lambda: { memoryMb: 128, duration: 10s, initDuration: 0ms, timeout: 15s }
`);
    const e = await emulate({ stack: slow, limits: { maxConnections: 5 } });
    const busy = Array.from({ length: 5 }, () => stalled(e.apiUrl, 'GET /items HTTP/1.1\r\nHost: x\r\n\r\n'));
    await until(() => e.metrics.inFlight === 5); // all five in the function (10 s each)
    const extra = stalled(e.apiUrl, 'GET /items HTTP/1.1\r\nHost: x\r\n\r\n');
    await extra.closed;
    expect(extra.heard()).toBe('');
    expect(e.metrics.inFlight).toBe(5);
    // the five still get their answers
    await until(() => busy.every((b) => b.heard() !== ''));
    for (const b of busy) expect(b.heard()).toMatch(/^HTTP\/1\.1 200 /);
    for (const b of busy) b.socket.destroy();
  });

  it('a request body over the cap gets 413 and its connection closed; one under it is served', async () => {
    const e = await emulate({ stack, limits: { maxBodyBytes: 1_000 } });
    const big = await call(e.apiUrl, '/items', { method: 'POST', body: Buffer.alloc(1_001) });
    expect(big.status).toBe(413);
    expect(big.headers.connection).toBe('close');
    // the same without content-length (chunked): refused once 1,001 bytes have come in
    const s = stalled(e.apiUrl, `POST /items HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3e9\r\n${'x'.repeat(1_001)}\r\n`);
    await s.closed;
    expect(s.heard()).toMatch(/^HTTP\/1\.1 413 /);
    expect((await call(e.apiUrl, '/items', { method: 'POST', body: Buffer.alloc(1_000) })).status).toBe(200);
  });
});

describe('the CloudWatch port refuses what AWS refuses', () => {
  it('prototype names as operations get 400 UnknownOperationException, as any unknown operation', async () => {
    const e = await emulate({ stack });
    for (const name of ['toString', '__proto__', 'constructor', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'PutMetricData']) {
      const r = await call(e.cloudwatchUrl, '/', { method: 'POST', headers: { ...CW_HEADERS, 'x-amz-target': `GraniteServiceVersion20100801.${name}` }, body: '{}' });
      expect({ name, status: r.status }).toEqual({ name, status: 400 });
      expect(JSON.parse(r.body).__type).toBe('com.amazon.coral.service#UnknownOperationException');
    }
    // the real operations still work, through the real SDK (a request first, so there are metrics)
    await call(e.apiUrl, '/items');
    const listed = await cloudwatch(e).send(new ListMetricsCommand({}));
    expect(listed.Metrics?.length).toBeGreaterThan(0);
  });

  it('a body that is not gzip, or in an encoding it does not speak, gets 400', async () => {
    const e = await emulate({ stack });
    const notGzip = await call(e.cloudwatchUrl, '/', { method: 'POST', headers: { ...CW_HEADERS, 'content-encoding': 'gzip' }, body: '{"not":"gzip"}' });
    expect(notGzip.status).toBe(400);
    expect(JSON.parse(notGzip.body).__type).toMatch(/SerializationException$/);
    const deflate = await call(e.cloudwatchUrl, '/', { method: 'POST', headers: { ...CW_HEADERS, 'content-encoding': 'deflate' }, body: '{}' });
    expect(deflate.status).toBe(400);
    // gzip itself is fine
    const ok = await call(e.cloudwatchUrl, '/', { method: 'POST', headers: { ...CW_HEADERS, 'content-encoding': 'gzip' }, body: gzipSync('{}') });
    expect(ok.status).toBe(200);
  });

  it('a plain body over the cap gets 413 without being read', async () => {
    const e = await emulate({ stack, limits: { cloudwatchMaxBodyBytes: 10_000 } });
    const r = await call(e.cloudwatchUrl, '/', { method: 'POST', headers: CW_HEADERS, body: `{"x":"${'a'.repeat(10_000)}"}` });
    expect(r.status).toBe(413);
  });
});
