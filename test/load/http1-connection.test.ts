/** The driver's HTTP/1.1 connection against real node:http servers on 127.0.0.1. */
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
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

const tcpServers: TcpServer[] = [];
afterEach(async () => {
  await Promise.all(tcpServers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A raw TCP server that answers each connection's first request with `answer(socket)`. */
async function listenRaw(answer: (socket: Socket) => void): Promise<number> {
  const s = createTcpServer((socket) => socket.once('data', () => answer(socket)));
  tcpServers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return (s.address() as AddressInfo).port;
}

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

  it('an answer written a few bytes at a time arrives whole', async () => {
    const wire = 'HTTP/1.1 200 OK\r\nContent-Length: 12\r\nKeep-Alive: timeout=30\r\n\r\nhello, world';
    const port = await listenRaw((socket) => {
      let i = 0;
      // 3 bytes, then the next 3 after 1 ms, …: reads as small as the writes (no Nagle: noDelay)
      socket.setNoDelay(true);
      const t = setInterval(() => {
        socket.write(wire.slice(i, i + 3));
        i += 3;
        if (i >= wire.length) clearInterval(t);
      }, 1);
    });
    const c = new Http1Connection({ host: '127.0.0.1', port, tls: false }, { connected: () => {}, disconnected: () => {} });
    expect(await exchange(c, `GET / HTTP/1.1\r\nhost: x\r\n\r\n`)).toEqual({ status: 200, body: 'hello, world' });
    c.destroy();
  });

  it('a connection closed mid-answer fails the request (ECONNRESET) with what came so far; one that is not HTTP fails it (EPROTO)', async () => {
    const cut = await listenRaw((socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf'));
    const c = new Http1Connection({ host: '127.0.0.1', port: cut, tls: false }, { connected: () => {}, disconnected: () => {} });
    // 4 of the 10 promised bytes, then FIN
    expect(await exchange(c, `GET / HTTP/1.1\r\nhost: x\r\n\r\n`)).toEqual({ status: 200, body: 'half', error: 'ECONNRESET' });
    const midHead = await listenRaw((socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Le'));
    const d = new Http1Connection({ host: '127.0.0.1', port: midHead, tls: false }, { connected: () => {}, disconnected: () => {} });
    expect(await exchange(d, `GET / HTTP/1.1\r\nhost: x\r\n\r\n`)).toEqual({ status: 0, body: '', error: 'ECONNRESET' });
    const notHttp = await listenRaw((socket) => socket.write('SSH-2.0-OpenSSH_9.6\r\n\r\n'));
    const e = new Http1Connection({ host: '127.0.0.1', port: notHttp, tls: false }, { connected: () => {}, disconnected: () => {} });
    expect(await exchange(e, `GET / HTTP/1.1\r\nhost: x\r\n\r\n`)).toEqual({ status: 0, body: '', error: 'EPROTO' });
  });
});
