import { describe, expect, it } from 'vitest';
import { ResponseParser } from '../../src/load/response-parser.ts';

interface Seen {
  status: number[];
  headers: (readonly string[] | undefined)[];
  body: string;
  done: { keepAlive: boolean; keepAliveSeconds: number | undefined }[];
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
});
