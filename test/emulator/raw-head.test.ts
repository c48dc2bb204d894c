import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { headerLines, writeRawHead } from '../../src/emulator/raw-head.ts';

// The expected bytes come from node itself: one server answers through res.writeHead, the other
// through writeRawHead; every response must be the same on the wire (Date aside, it moves).
const BODY = Buffer.from('{"ok":true}');

function answer(res: ServerResponse, status: number, raw: boolean, taken: boolean[]): void {
  const pairs: [string, string][] = [
    ['content-type', 'application/json'],
    ['content-length', String(BODY.length)],
    ['x-amzn-RequestId', '0f8fad5b-d9cb-469f-a165-70867728950e'],
    ['x-amz-apigw-id', 'AbCdEfGhIjKlMnO='],
  ];
  if (raw) {
    const ok = writeRawHead(res, status, headerLines(pairs));
    taken.push(ok);
    if (ok) return void res.end(BODY);
  }
  res.writeHead(status, pairs.flat());
  res.end(BODY);
}

function serve(raw: boolean, taken: boolean[]): Promise<Server> {
  const server = createServer((req, res) => answer(res, Number(req.url?.slice(1)) || 200, raw, taken));
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Sends `request` bytes and reads everything until the server closes or `responses` heads (and bodies) arrived. */
function wire(server: Server, request: string, responses = 1): Promise<string> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let got = '';
    const complete = () => {
      // count finished responses: each head, then its content-length bytes (none for HEAD or 204)
      let at = 0;
      for (let n = 0; n < responses; n++) {
        const end = got.indexOf('\r\n\r\n', at);
        if (end < 0) return false;
        const head = got.slice(at, end);
        const length = /content-length: (\d+)/i.exec(head)?.[1];
        at = end + 4 + (request.startsWith('HEAD') || head.startsWith('HTTP/1.1 204') ? 0 : Number(length ?? 0));
        if (got.length < at) return false;
      }
      return true;
    };
    socket.setEncoding('latin1');
    socket.setTimeout(5_000, () => socket.destroy()); // a reader that waits for too much fails on the bytes, not the clock
    socket.on('data', (c: string) => {
      got += c;
      if (complete()) socket.destroy();
    });
    socket.on('close', () => resolve(got.replace(/\r\nDate: [^\r]+\r\n/g, '\r\nDate: (now)\r\n')));
    socket.on('error', reject);
    socket.write(request);
  });
}

describe('writeRawHead: the head node writes, without its per-header checks', () => {
  const taken: boolean[] = [];
  let viaNode: Server;
  let viaRaw: Server;
  beforeAll(async () => {
    viaNode = await serve(false, []);
    viaRaw = await serve(true, taken);
  });
  afterAll(() => {
    viaNode.closeAllConnections();
    viaRaw.closeAllConnections();
    viaNode.close();
    viaRaw.close();
  });

  const cases: [string, string, boolean][] = [
    ['a keep-alive HTTP/1.1 GET', 'GET /200 HTTP/1.1\r\nHost: x\r\n\r\n', true],
    ['a 429 (the throttled answer)', 'GET /429 HTTP/1.1\r\nHost: x\r\n\r\n', true],
    ['a HEAD request (head only, same content-length)', 'HEAD /200 HTTP/1.1\r\nHost: x\r\n\r\n', true],
    ['an HTTP/1.0 request asking for keep-alive', 'GET /200 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n', true],
    ['Connection: close (declined: node closes the connection)', 'GET /200 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', false],
    ['HTTP/1.0 without keep-alive (declined)', 'GET /200 HTTP/1.0\r\n\r\n', false],
    ['a 204 (declined: no body)', 'GET /204 HTTP/1.1\r\nHost: x\r\n\r\n', false],
  ];
  for (const [name, request, fast] of cases) {
    it(`${name}: the same bytes as writeHead`, async () => {
      taken.length = 0;
      const expected = await wire(viaNode, request);
      const got = await wire(viaRaw, request);
      expect(got).toBe(expected);
      expect(got).toMatch(/^HTTP\/1\.1 \d{3} /);
      expect(taken).toEqual([fast]);
    });
  }

  it('two pipelined requests on one connection: both answered alike, the connection kept', async () => {
    const request = 'GET /200 HTTP/1.1\r\nHost: x\r\n\r\nGET /429 HTTP/1.1\r\nHost: x\r\n\r\n';
    const expected = await wire(viaNode, request, 2);
    expect(await wire(viaRaw, request, 2)).toBe(expected);
    expect(expected.match(/HTTP\/1\.1 /g)).toHaveLength(2);
  });

  it('headerLines refuses what writeHead refuses, with node’s own error codes', () => {
    expect(() => headerLines([['x-bad', 'a\nb']])).toThrow(expect.objectContaining({ code: 'ERR_INVALID_CHAR' }));
    expect(() => headerLines([['bad name', 'v']])).toThrow(expect.objectContaining({ code: 'ERR_INVALID_HTTP_TOKEN' }));
    expect(headerLines([['a', '1'], ['b', '2']])).toBe('a: 1\r\nb: 2\r\n');
  });
});
