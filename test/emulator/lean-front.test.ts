/**
 * The lean front over real sockets, with hand-written requests: what it reads itself (answered
 * "lean …") and what it hands to node:http with the bytes already read (answered "node …" by a
 * real node:http server), and that a client sees the same HTTP either way. Expected answers are
 * written out by hand; node's own refusals (400, 408, 431) are the fixed texts of node's
 * lib/_http_server.js.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KEEP_ALIVE_MS, LeanFront } from '../../src/emulator/lean-front.ts';
import type { LeanRequest } from '../../src/emulator/lean-request.ts';
import { createTimedServer, emulatorLimits, type EmulatorLimits } from '../../src/emulator/server-limits.ts';
import { pause, RawClient } from './raw-client.ts';

const fronts: LeanFront[] = [];
afterEach(async () => {
  for (const f of fronts.splice(0)) {
    f.closeConnections();
    await new Promise((r) => f.server.close(r));
  }
});

function textLines(text: string): string {
  return `content-type: text/plain\r\ncontent-length: ${Buffer.byteLength(text)}\r\n`;
}

/** "lean …": what the lean front read; `?wait=ms` answers that much later. */
function leanServe(r: LeanRequest, body: Buffer): void {
  const text = `lean ${r.method} ${r.url} ${body.toString()} | cohort=${r.cohort} role=${r.role} key=${r.apiKey} xff=${r.forwardedFor} host=${r.header('host')} v=${r.httpVersion}`;
  const wait = Number(new URL(r.url, 'http://x').searchParams.get('wait') ?? 0);
  const answer = () => r.send(200, textLines(text), '', Buffer.from(text));
  if (wait > 0) setTimeout(answer, wait);
  else answer();
}

/** "node …": what node:http read. */
function nodeServe(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const text = `node ${req.method} ${req.url} ${Buffer.concat(chunks).toString()}`;
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  });
}

async function front(given: Partial<EmulatorLimits> = {}, idleCloseMs?: number): Promise<string> {
  const limits = emulatorLimits({ maxBodyBytes: 1_000, maxConnections: 100, ...given });
  const fallback = createTimedServer({ keepAlive: true }, limits, nodeServe);
  fallback.keepAliveTimeout = KEEP_ALIVE_MS;
  const f = new LeanFront((r, body) => leanServe(r, body), fallback, limits, true, idleCloseMs);
  fronts.push(f);
  await new Promise<void>((r) => f.server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(f.server.address() as AddressInfo).port}/`;
}

const GET = (path: string, extra = '') => `GET ${path} HTTP/1.1\r\nHost: t\r\n${extra}\r\n`;
const CHUNKED_POST = 'POST /c HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n';
// node:http's own answers (lib/_http_server.js)
const NODE_400 = 'HTTP/1.1 400 Bad Request\r\nConnection: close';

describe('the lean front reads plain requests itself', () => {
  it('answers a GET with node\'s framing headers: Date, keep-alive for 60 s', async () => {
    const c = await RawClient.open(await front());
    c.write(GET('/a?b=1'));
    const a = (await c.next())!;
    expect(a.head.startsWith('HTTP/1.1 200 OK\r\n')).toBe(true);
    expect(a.body).toBe('lean GET /a?b=1  | cohort=undefined role=undefined key=undefined xff=undefined host=t v=1.1');
    expect(Object.keys(a.headers).sort()).toEqual(['connection', 'content-length', 'content-type', 'date', 'keep-alive']);
    // "lean GET /a?b=1  | " 19 + "cohort=undefined " 17 + "role=undefined " 15 + "key=undefined " 14
    // + "xff=undefined " 14 + "host=t " 7 + "v=1.1" 5 = 91 bytes
    expect(a.headers).toMatchObject({ connection: 'keep-alive', 'keep-alive': 'timeout=60', 'content-length': '91' });
    expect(a.headers.date).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    c.close();
  });

  it('reads a head and body split at every byte boundary as if sent whole', async () => {
    const c = await RawClient.open(await front());
    const request = Buffer.from(
      'POST /items?x=1 HTTP/1.1\r\nHost: emu\r\nX-Dowsim-Cohort: bots\r\nx-dowsim-role: legit\r\nX-API-Key: k1\r\n' +
        'X-Forwarded-For: 203.0.113.7\r\nContent-Length: 11\r\n\r\nhello world',
      'latin1',
    );
    const expected = 'lean POST /items?x=1 hello world | cohort=bots role=legit key=k1 xff=203.0.113.7 host=emu v=1.1';
    for (let i = 1; i < request.length; i++) {
      c.write(request.subarray(0, i));
      await pause(2); // the server reads the first part on its own
      c.write(request.subarray(i));
      const a = await c.next();
      expect({ i, status: a?.status, body: a?.body }).toEqual({ i, status: 200, body: expected });
    }
    c.close();
  });

  it('answers pipelined requests in their order, a slow one holding back the quick ones behind it', async () => {
    const c = await RawClient.open(await front());
    c.write(GET('/1?wait=60') + GET('/2') + 'POST /3 HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\n\r\nx');
    const bodies = [(await c.next())!.body, (await c.next())!.body, (await c.next())!.body];
    expect(bodies.map((b) => b.split(' | ')[0])).toEqual(['lean GET /1?wait=60 ', 'lean GET /2 ', 'lean POST /3 x']);
    c.close();
  });

  it('joins repeated headers as node does, whatever their case', async () => {
    const c = await RawClient.open(await front());
    c.write(GET('/r', 'X-FORWARDED-FOR: 198.51.100.1\r\nx-forwarded-for: 203.0.113.7\r\nx-api-key: a\r\nX-Api-Key: b\r\nX-Dowsim-Cohort:  spaced  \r\n'));
    expect((await c.next())!.body).toBe('lean GET /r  | cohort=spaced role=undefined key=a, b xff=198.51.100.1, 203.0.113.7 host=t v=1.1');
    c.close();
  });

  it('reads each head\'s own path and headers on a connection that repeats and varies them', async () => {
    const c = await RawClient.open(await front());
    const sent: [string, string][] = [
      ['/a', 'X-Dowsim-Cohort: x\r\n'],
      ['/a', 'X-Dowsim-Cohort: x\r\n'],
      ['/b', 'X-Dowsim-Cohort: y\r\n'],
      ['/b', ''],
      ['/c', 'X-Dowsim-Cohort: y\r\nX-Dowsim-Cohort: x\r\n'],
      ['/C', 'X-Dowsim-Cohort: Y\r\n'],
    ];
    c.write(sent.map(([path, extra]) => GET(path, extra)).join(''));
    const got: string[] = [];
    for (let i = 0; i < sent.length; i++) got.push((await c.next())!.body.replace(/ role=.*/, ''));
    expect(got).toEqual([
      'lean GET /a  | cohort=x',
      'lean GET /a  | cohort=x',
      'lean GET /b  | cohort=y',
      'lean GET /b  | cohort=undefined',
      'lean GET /c  | cohort=y, x',
      'lean GET /C  | cohort=Y',
    ]);
    c.close();
  });

  it('answers "Connection: close" with Connection: close, then closes', async () => {
    const c = await RawClient.open(await front());
    c.write(GET('/x', 'Connection: close\r\n'));
    const a = (await c.next())!;
    expect(a.status).toBe(200);
    expect(a.headers.connection).toBe('close');
    expect(a.headers['keep-alive']).toBeUndefined();
    await c.closed;
  });

  it('closes an HTTP/1.0 connection after its answer unless it asks for keep-alive', async () => {
    const plain = await RawClient.open(await front());
    plain.write('GET /old HTTP/1.0\r\n\r\n');
    const a = (await plain.next())!;
    expect(a.body).toBe('lean GET /old  | cohort=undefined role=undefined key=undefined xff=undefined host=undefined v=1.0');
    expect(a.headers.connection).toBe('close');
    await plain.closed;

    const kept = await RawClient.open(await front());
    kept.write('GET /one HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n');
    expect((await kept.next())!.headers).toMatchObject({ connection: 'keep-alive', 'keep-alive': 'timeout=60' });
    kept.write('GET /two HTTP/1.0\r\nConnection: keep-alive\r\n\r\n');
    expect((await kept.next())!.body).toMatch(/^lean GET \/two /);
    kept.close();
  });

  it('answers 413 and closes for a body over the cap, after the answer due before it', async () => {
    const c = await RawClient.open(await front({ maxBodyBytes: 1_000 }));
    c.write(GET('/first?wait=50') + 'POST /big HTTP/1.1\r\nHost: t\r\nContent-Length: 1001\r\n\r\n' + 'x'.repeat(100));
    expect((await c.next())!.body).toMatch(/^lean GET \/first\?wait=50 /);
    const refused = (await c.next())!;
    expect(refused.status).toBe(413);
    expect(refused.body).toBe('{"message":"Request Entity Too Large"}');
    expect(refused.headers.connection).toBe('close');
    await c.closed;
  });
});

describe('what the lean front does not read goes to node:http, with the bytes already read', () => {
  it('a chunked body: node serves it and the rest of the connection', async () => {
    const c = await RawClient.open(await front());
    c.write(CHUNKED_POST);
    expect((await c.next())!.body).toBe('node POST /c hello');
    c.write(GET('/after'));
    expect((await c.next())!.body).toBe('node GET /after ');
    c.close();
  });

  it('Expect: 100-continue: node sends 100 Continue, then the answer', async () => {
    const c = await RawClient.open(await front());
    c.write('POST /e HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n');
    const interim = (await c.next())!;
    expect(interim.head).toBe('HTTP/1.1 100 Continue');
    c.write('hello');
    expect((await c.next())!.body).toBe('node POST /e hello');
    c.close();
  });

  it('waits until the lean answers before it are written', async () => {
    const c = await RawClient.open(await front());
    c.write(GET('/slow?wait=80') + CHUNKED_POST);
    expect((await c.next())!.body).toMatch(/^lean GET \/slow\?wait=80 /);
    expect((await c.next())!.body).toBe('node POST /c hello');
    c.close();
  });

  it('HEAD: node answers without a body, and the connection goes on', async () => {
    const c = await RawClient.open(await front());
    c.write('HEAD /h HTTP/1.1\r\nHost: t\r\n\r\n');
    const a = (await c.next(true))!;
    expect(a.status).toBe(200);
    expect(a.headers['content-length']).toBe(String('node HEAD /h '.length));
    c.write(GET('/g'));
    expect((await c.next())!.body).toBe('node GET /g ');
    c.close();
  });

  it.each([
    ['an unknown method', 'GXT / HTTP/1.1\r\nHost: t\r\n\r\n'],
    ['bare LF line ends', 'GET / HTTP/1.1\nHost: t\n\n'],
    ['a space before the colon', 'GET / HTTP/1.1\r\nHost : t\r\n\r\n'],
    ['HTTP/1.1 without Host', 'GET / HTTP/1.1\r\n\r\n'],
    ['a TLS hello', Buffer.from([0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1, 0x03, 0x03]).toString('latin1')],
  ])('%s: node answers 400 and closes', async (_what, text) => {
    const c = await RawClient.open(await front());
    c.write(text);
    await c.closed;
    const a = await c.next();
    expect(a?.head.startsWith(NODE_400)).toBe(true);
  });

  it('a head over node\'s 16 KiB limit gets 431; one between the lean limit (8 KiB) and it is served by node', async () => {
    const big = await RawClient.open(await front());
    big.write(GET('/big', `X-Big: ${'a'.repeat(17_000)}\r\n`));
    await big.closed;
    expect((await big.next())?.head).toBe('HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close');

    const mid = await RawClient.open(await front());
    mid.write(GET('/mid', `X-Mid: ${'a'.repeat(10_000)}\r\n`));
    expect((await mid.next())!.body).toBe('node GET /mid ');
    mid.close();
  });

  it.each([
    ['within a head', 'GET /items HTTP/1.1\r\nHost: t\r\n'],
    ['within a body', 'POST /items HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc'],
  ])('a client that ends its side %s gets node\'s 400', async (_where, text) => {
    const c = await RawClient.open(await front());
    c.socket.end(text);
    await c.closed;
    expect((await c.next())?.head).toBe('HTTP/1.1 400 Bad Request\r\nConnection: close');
  });

  it('bytes after a "Connection: close" request get node\'s 400, as node gives it', async () => {
    const c = await RawClient.open(await front());
    c.write(GET('/x?wait=50', 'Connection: close\r\n') + GET('/y'));
    await c.closed;
    expect((await c.next())?.head.startsWith(NODE_400)).toBe(true);
  });
});

describe('the lean front times out what stalls, as node:http does', () => {
  const TIMEOUT = 'HTTP/1.1 408 Request Timeout\r\nConnection: close';

  it.each([
    ['a silent new connection', ''],
    ['a head that stops', 'GET /items HTTP/1.1\r\nHost: t\r\nX-Slow: '],
    ['a body that stops', 'POST /items HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\n0123456789'],
  ])('%s gets 408 and is closed', async (_what, text) => {
    const url = await front({ requestTimeoutMs: 300 });
    const t0 = performance.now(); // before the server can have seen the connection or its bytes
    const c = await RawClient.open(url);
    c.write(text);
    await c.closed;
    expect((await c.next())?.head).toBe(TIMEOUT);
    // not before the timeout (the sweep runs every 50 ms, a tenth of it bounded below)
    expect(performance.now() - t0).toBeGreaterThanOrEqual(300);
  });

  it('an idle keep-alive connection is closed, without a word, once it has idled past the keep-alive time', async () => {
    const c = await RawClient.open(await front({ requestTimeoutMs: 300 }, 200));
    const t0 = performance.now(); // before the answer went out
    c.write(GET('/a'));
    expect((await c.next())!.status).toBe(200);
    await c.closed;
    // seen idle by one sweep (every 50 ms), closed by a later one past 200 ms
    expect(performance.now() - t0).toBeGreaterThanOrEqual(200);
    expect(c.unread).toBe('');
  });

  it('a connection that was answered is not timed out while it idles', async () => {
    const c = await RawClient.open(await front({ requestTimeoutMs: 300 }));
    c.write(GET('/a'));
    expect((await c.next())!.status).toBe(200);
    await pause(700);
    expect(c.isClosed).toBe(false);
    c.write(GET('/b'));
    expect((await c.next())!.body).toMatch(/^lean GET \/b /);
    c.close();
  });
});
