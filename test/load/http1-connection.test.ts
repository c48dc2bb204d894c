/** The driver's HTTP/1.1 connection against real node:http servers on 127.0.0.1. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Http1Connection, type Exchange } from '../../src/load/http1-connection.ts';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((s) => {
      s.closeAllConnections();
      return new Promise((r) => s.close(r));
    }),
  );
});

async function listen(s: Server): Promise<number> {
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return (s.address() as AddressInfo).port;
}

/** Sends one request and answers how it ended. */
function exchange(c: Http1Connection, request: string): Promise<{ status: number; body: string; error?: string }> {
  return new Promise((resolve) => {
    let status = 0;
    let body = '';
    const x: Exchange = {
      wantsHeaders: () => false,
      onHeaders: (s) => (status = s),
      onData: (chunk, start, end) => (body += chunk.toString('latin1', start, end)),
      onComplete: () => resolve({ status, body }),
      onError: (err) => resolve({ status, body, error: (err as { code?: string }).code ?? err.message }),
    };
    c.send(Buffer.from(request, 'latin1'), x, false, performance.now());
  });
}

describe('Http1Connection', () => {
  it('reads a streamed (chunked) answer, then reuses the connection for the next request', async () => {
    let sockets = 0;
    const s = createServer((req, res) => {
      req.resume();
      res.write('part one, ');
      setTimeout(() => res.end('part two'), 5);
    });
    s.on('connection', () => sockets++);
    const port = await listen(s);
    let connects = 0;
    const c = new Http1Connection({ host: '127.0.0.1', port, tls: false }, { connected: () => connects++, disconnected: () => {} });
    const req = `GET /x HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\n\r\n`;
    expect(await exchange(c, req)).toEqual({ status: 200, body: 'part one, part two' });
    expect(await exchange(c, req)).toEqual({ status: 200, body: 'part one, part two' });
    expect(sockets).toBe(1);
    expect(connects).toBe(1);
    c.destroy();
  });

  it('reopens after the server closed the connection, and reports a refused one as ECONNREFUSED', async () => {
    const s = createServer((req, res) => {
      req.resume();
      res.setHeader('connection', 'close');
      res.end('bye');
    });
    const port = await listen(s);
    const c = new Http1Connection({ host: '127.0.0.1', port, tls: false }, { connected: () => {}, disconnected: () => {} });
    const req = `GET / HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\n\r\n`;
    expect(await exchange(c, req)).toEqual({ status: 200, body: 'bye' });
    expect(await exchange(c, req)).toEqual({ status: 200, body: 'bye' });
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
    servers.splice(0);
    expect((await exchange(c, req)).error).toBe('ECONNREFUSED');
  });
});
