import { describe, expect, it } from 'vitest';
import { ResponseParser } from '../../src/load/response-parser.ts';

interface Seen {
  status: number[];
  headers: (readonly string[] | undefined)[];
  body: string;
  done: { keepAlive: boolean; keepAliveSeconds: number | undefined }[];
}

/** A sink that writes down what the parser reports. */
function recorder(wants: number[] = []): { seen: Seen; p: ResponseParser } {
  const seen: Seen = { status: [], headers: [], body: '', done: [] };
  const p = new ResponseParser({
    headers: (status, raw) => {
      seen.status.push(status);
      seen.headers.push(raw);
    },
    wantsHeaders: (status) => wants.includes(status),
    data: (chunk, start, end) => (seen.body += chunk.toString('latin1', start, end)),
    complete: (keepAlive, keepAliveSeconds) => seen.done.push({ keepAlive, keepAliveSeconds }),
  });
  p.expect(false);
  return { seen, p };
}

/**
 * Feeds `wire` cut at the given points, each piece copied into the front of one reused read
 * buffer whose rest holds stale bytes of another answer (what net.connect's `onread` hands over).
 */
function parseCut(wire: string, cuts: number[], wants: number[] = []): Seen {
  const { seen, p } = recorder(wants);
  const bytes = Buffer.from(wire, 'latin1');
  const stale = Buffer.from('\r\n\r\nHTTP/1.1 500 Stale\r\nContent-Length: 3\r\n\r\nbad\r\n0\r\n\r\n', 'latin1');
  const readBuffer = Buffer.alloc(bytes.length + stale.length);
  const points = [0, ...cuts, bytes.length];
  for (let k = 0; k + 1 < points.length; k++) {
    stale.copy(readBuffer, 0);
    stale.copy(readBuffer, readBuffer.length - stale.length);
    const n = bytes.copy(readBuffer, 0, points[k], points[k + 1]);
    p.feed(readBuffer, n);
  }
  return seen;
}

/** Feeds `wire` in pieces of `step` bytes (every split point gets exercised) and answers what came out. */
function parse(wire: string, step: number, opts: { head?: boolean; wants?: number[] } = {}): Seen {
  const seen: Seen = { status: [], headers: [], body: '', done: [] };
  const p = new ResponseParser({
    headers: (status, raw) => {
      seen.status.push(status);
      seen.headers.push(raw);
    },
    wantsHeaders: (status) => (opts.wants ?? []).includes(status),
    data: (chunk, start, end) => (seen.body += chunk.toString('latin1', start, end)),
    complete: (keepAlive, keepAliveSeconds) => seen.done.push({ keepAlive, keepAliveSeconds }),
  });
  p.expect(opts.head ?? false);
  const bytes = Buffer.from(wire, 'latin1');
  for (let i = 0; i < bytes.length; i += step) p.feed(bytes.subarray(i, i + step));
  return seen;
}

const STEPS = [1, 2, 3, 7, 1000];

describe('ResponseParser', () => {
  it('a Content-Length answer, in any split: status, body bytes, keep-alive with the server’s timeout', () => {
    const wire = 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nKeep-Alive: timeout=5\r\nContent-Length: 11\r\n\r\n{"ok":true}';
    for (const step of STEPS) {
      const s = parse(wire, step);
      expect(s.status).toEqual([200]);
      expect(s.headers).toEqual([undefined]); // not asked for
      expect(s.body).toBe('{"ok":true}');
      expect(s.done).toEqual([{ keepAlive: true, keepAliveSeconds: 5 }]);
    }
  });

  it('a chunked answer with an extension and a trailer: the data without the coding', () => {
    const wire = 'HTTP/1.1 429 Too Many Requests\r\nTransfer-Encoding: chunked\r\nx-amzn-ErrorType: TooManyRequestsException\r\n\r\n' + '5;x=y\r\nhello\r\n6\r\n world\r\n0\r\nx-trailer: 1\r\n\r\n';
    for (const step of STEPS) {
      const s = parse(wire, step, { wants: [429] });
      expect(s.status).toEqual([429]);
      expect(s.headers[0]).toEqual(['transfer-encoding', 'chunked', 'x-amzn-errortype', 'TooManyRequestsException']);
      expect(s.body).toBe('hello world');
      expect(s.done).toHaveLength(1);
    }
  });

  it('skips a 100 Continue; Connection: close and HTTP/1.0 answers do not keep the connection', () => {
    for (const step of STEPS) {
      const s = parse('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok', step);
      expect(s.status).toEqual([200]);
      expect(s.done).toEqual([{ keepAlive: false, keepAliveSeconds: undefined }]);
      expect(parse('HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n', step).done[0].keepAlive).toBe(false);
      expect(parse('HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n', step).done[0].keepAlive).toBe(true);
    }
  });

  it('no body after HEAD, 204 or 304, whatever Content-Length says; none-framed bodies run until the close', () => {
    expect(parse('HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n', 3, { head: true }).done).toHaveLength(1);
    expect(parse('HTTP/1.1 204 No Content\r\n\r\n', 3).done).toHaveLength(1);
    const open = parse('HTTP/1.1 200 OK\r\n\r\nsome bytes', 3);
    expect(open.body).toBe('some bytes');
    expect(open.done).toHaveLength(0); // the connection's close ends it
  });

  it('refuses a chunk size that is not hex', () => {
    expect(() => parse('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', 1000)).toThrow(/chunk size/);
  });

  it('a head and body cut at every byte boundary of a reused read buffer: the stale bytes past each read are never read', () => {
    // node:http's own keep-alive answer; its body is the 11 bytes {"ok":true}
    const wire = 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nDate: Mon, 30 Nov 2026 01:00:00 GMT\r\nConnection: keep-alive\r\nKeep-Alive: timeout=60\r\nContent-Length: 11\r\n\r\n{"ok":true}';
    for (let cut = 1; cut < wire.length; cut++) {
      const s = parseCut(wire, [cut]);
      expect(s.status, `cut at ${cut}`).toEqual([200]);
      expect(s.body, `cut at ${cut}`).toBe('{"ok":true}');
      expect(s.done, `cut at ${cut}`).toEqual([{ keepAlive: true, keepAliveSeconds: 60 }]);
    }
    // one byte per read: 167 reads
    const every = Array.from({ length: wire.length - 1 }, (_v, i) => i + 1);
    expect(parseCut(wire, every).done).toEqual([{ keepAlive: true, keepAliveSeconds: 60 }]);
  });

  it('a chunked body cut at every byte boundary, and in one-byte reads: the data without the coding, headers as asked', () => {
    const wire = 'HTTP/1.1 403 Forbidden\r\nTRANSFER-ENCODING: Chunked\r\nx-amzn-waf-action: block\r\n\r\n' + 'a\r\n{"message"\r\n1;ext\r\n:\r\n0\r\n\r\n';
    // 'a' = 10 bytes {"message", then 1 byte ':'; names lower-cased, values as sent
    const headers = ['transfer-encoding', 'Chunked', 'x-amzn-waf-action', 'block'];
    for (let cut = 1; cut < wire.length; cut++) {
      const s = parseCut(wire, [cut], [403]);
      expect(s.status, `cut at ${cut}`).toEqual([403]);
      expect(s.headers, `cut at ${cut}`).toEqual([headers]);
      expect(s.body, `cut at ${cut}`).toBe('{"message":');
      expect(s.done, `cut at ${cut}`).toEqual([{ keepAlive: true, keepAliveSeconds: undefined }]);
    }
    const every = Array.from({ length: wire.length - 1 }, (_v, i) => i + 1);
    const s = parseCut(wire, every, [403]);
    expect([s.body, s.done.length]).toEqual(['{"message":', 1]);
  });

  it('header names in any case, values with blanks, Connection: close among other tokens', () => {
    const s = parseCut('HTTP/1.1 200 OK\r\ncontent-LENGTH:   2\r\nCONNECTION: Upgrade, Close\r\nkeep-alive: max=5, TIMEOUT=7\r\n\r\nok', [5, 40]);
    expect(s.body).toBe('ok');
    expect(s.done).toEqual([{ keepAlive: false, keepAliveSeconds: 7 }]);
  });

  it('refuses what is not an HTTP/1.x status line', () => {
    expect(() => parse('SSH-2.0-OpenSSH_9.6\r\n\r\n', 1000)).toThrow(/status line/);
    expect(() => parse('HTTP/1.1 2x0 OK\r\n\r\n', 1000)).toThrow(/status line/);
  });

  it('a head repeated byte for byte is taken as read before; one byte different, it is read again', () => {
    const { seen, p } = recorder([429]);
    const answer = (wire: string, head = false) => {
      p.expect(head);
      const b = Buffer.from(wire, 'latin1');
      p.feed(b, b.length);
    };
    answer('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nKeep-Alive: timeout=5\r\n\r\nok');
    answer('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nKeep-Alive: timeout=5\r\n\r\nok');
    // same length of head, one digit apart: 3 bytes of body, not 2
    answer('HTTP/1.1 200 OK\r\nContent-Length: 3\r\nKeep-Alive: timeout=5\r\n\r\nyes');
    answer('HTTP/1.1 200 OK\r\nContent-Length: 3\r\nKeep-Alive: timeout=9\r\n\r\nyes');
    answer('HTTP/1.1 200 OK\r\nContent-Length: 3\r\nKeep-Alive: timeout=9\r\n\r\n', true); // to a HEAD: no body
    answer('HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nyes');
    // headers asked for (429): handed over every time
    answer('HTTP/1.1 429 Too Many Requests\r\nContent-Length: 0\r\n\r\n');
    answer('HTTP/1.1 429 Too Many Requests\r\nContent-Length: 0\r\n\r\n');
    expect(seen.body).toBe('okokyesyesyes');
    expect(seen.status).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
    expect(seen.headers.slice(6)).toEqual([
      ['content-length', '0'],
      ['content-length', '0'],
    ]);
    expect(seen.done).toEqual([
      { keepAlive: true, keepAliveSeconds: 5 },
      { keepAlive: true, keepAliveSeconds: 5 },
      { keepAlive: true, keepAliveSeconds: 5 },
      { keepAlive: true, keepAliveSeconds: 9 },
      { keepAlive: true, keepAliveSeconds: 9 },
      { keepAlive: false, keepAliveSeconds: undefined },
      { keepAlive: true, keepAliveSeconds: undefined },
      { keepAlive: true, keepAliveSeconds: undefined },
    ]);
  });
});
