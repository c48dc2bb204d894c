/**
 * Just enough of an HTTP/1.1 response parser for the load driver: the status, where the body ends
 * (Content-Length, chunked transfer coding, or the connection's close), whether the connection may
 * be reused (and for how long, from Keep-Alive: timeout=N), and the headers only when asked for.
 * Pure: bytes in, callbacks out, any split of the bytes into chunks.
 */

export interface ParserSink {
  /** The status line and headers are in; `raw` is [name, value, …] when wantsHeaders said so. */
  headers(status: number, raw: readonly string[] | undefined): void;
  wantsHeaders(status: number): boolean;
  /** Body bytes chunk[start, end) (chunked coding removed). */
  data(chunk: Buffer, start: number, end: number): void;
  /** The answer ended; keepAlive: the connection may carry another request. */
  complete(keepAlive: boolean, keepAliveSeconds: number | undefined): void;
}

const enum State {
  Head,
  Length,
  ChunkSize,
  ChunkData,
  ChunkEnd,
  Trailer,
  UntilClose,
  Done,
}

/** A head longer than this is not an answer we can read. */
const MAX_HEAD_BYTES = 64 * 1024;

export class ResponseParser {
  private state = State.Head;
  private head = false;
  /** Bytes of a head split across chunks. */
  private partial: Buffer | undefined;
  private remaining = 0;
  private line = '';
  private keepAlive = true;
  private keepAliveSeconds: number | undefined;

  constructor(private readonly sink: ParserSink) {}

  /** The next answer is to a HEAD request (no body, whatever the headers say). */
  expect(head: boolean): void {
    this.head = head;
    this.state = State.Head;
    this.partial = undefined;
  }

  reset(): void {
    this.expect(false);
  }

  /** The body runs until the connection closes: its close ends the answer, not an error. */
  endsAtClose(): boolean {
    return this.state === State.UntilClose;
  }

  /** The next `length` bytes of the answer, chunk[0, length) (a reused read buffer may be longer). */
  feed(chunk: Buffer, length = chunk.length): void {
    const n = length;
    let i = 0;
    while (i < n) {
      switch (this.state) {
        case State.Head:
          i = this.readHead(chunk, i, n);
          break;
        case State.Length: {
          const end = Math.min(n, i + this.remaining);
          this.sink.data(chunk, i, end);
          this.remaining -= end - i;
          i = end;
          if (this.remaining === 0) this.finish();
          break;
        }
        case State.UntilClose:
          this.sink.data(chunk, i, n);
          i = n;
          break;
        case State.ChunkSize:
        case State.Trailer:
          i = this.readLine(chunk, i, n);
          break;
        case State.ChunkData: {
          const end = Math.min(n, i + this.remaining);
          this.sink.data(chunk, i, end);
          this.remaining -= end - i;
          i = end;
          if (this.remaining === 0) {
            this.state = State.ChunkEnd;
            this.remaining = 2; // the CRLF after the chunk's data
          }
          break;
        }
        case State.ChunkEnd: {
          const k = Math.min(this.remaining, n - i);
          this.remaining -= k;
          i += k;
          if (this.remaining === 0) this.state = State.ChunkSize;
          break;
        }
        case State.Done:
          return; // bytes after the answer: nothing was asked for, they are dropped
      }
    }
  }

  /** Reads the head from chunk[from, n) (and any part kept from earlier reads); answers where the body starts. */
  private readHead(chunk: Buffer, from: number, n: number): number {
    if (this.partial === undefined) {
      const end = headEnd(chunk, from, n);
      if (end >= 0) {
        this.parseHead(chunk, from, end);
        return end + 4;
      }
      if (n - from > MAX_HEAD_BYTES) throw new Error('response head too long');
      // kept as a copy: the chunk may be a read buffer that the next read overwrites
      this.partial = Buffer.from(chunk.subarray(from, n));
      return n;
    }
    const before = this.partial.length;
    const buf = Buffer.concat([this.partial, chunk.subarray(from, n)]);
    // the end of the head was not in what was kept: look only where it can start
    const end = headEnd(buf, Math.max(0, before - 3), buf.length);
    if (end < 0) {
      if (buf.length > MAX_HEAD_BYTES) throw new Error('response head too long');
      this.partial = buf;
      return n;
    }
    this.partial = undefined;
    this.parseHead(buf, 0, end);
    // where the body starts, in `chunk`'s own offsets
    return from + end + 4 - before;
  }

  /**
   * The status line and headers in buf[start, end) (end: the CRLFCRLF). Read as bytes: only the
   * few headers that frame the answer are looked at (by name length first), and no string is made
   * unless the headers were asked for.
   */
  private parseHead(buf: Buffer, start: number, end: number): void {
    const status = statusOf(buf, start, end);
    const http10 = buf[start + 7] === 0x30;
    if (status >= 100 && status < 200 && status !== 101) return; // informational: the real answer follows
    const raw: string[] | undefined = this.sink.wantsHeaders(status) ? [] : undefined;
    let length = -1;
    let chunked = false;
    let close = false;
    let keepAliveToken = false;
    this.keepAliveSeconds = undefined;
    let p = lineEnd(buf, start, end) + 2;
    while (p < end) {
      const stop = lineEnd(buf, p, end);
      let colon = p;
      while (colon < stop && buf[colon] !== 0x3a) colon++;
      const n = colon - p;
      if (colon > p && colon < stop) {
        if (raw !== undefined) raw.push(buf.toString('latin1', p, colon).toLowerCase(), buf.toString('latin1', colon + 1, stop).trim());
        if (n === 14 && nameIs(buf, p, CONTENT_LENGTH)) length = digitsAt(buf, colon + 1, stop);
        else if (n === 17 && nameIs(buf, p, TRANSFER_ENCODING)) chunked = find(buf, colon + 1, stop, CHUNKED) >= 0;
        else if (n === 10 && nameIs(buf, p, CONNECTION)) {
          close ||= find(buf, colon + 1, stop, CLOSE) >= 0;
          keepAliveToken ||= find(buf, colon + 1, stop, KEEP_ALIVE) >= 0;
        } else if (n === 10 && nameIs(buf, p, KEEP_ALIVE)) {
          const t = find(buf, colon + 1, stop, TIMEOUT);
          const seconds = t < 0 ? -1 : digitsAt(buf, t + TIMEOUT.length, stop);
          if (seconds >= 0) this.keepAliveSeconds = seconds;
        }
      }
      p = stop + 2;
    }
    this.keepAlive = http10 ? keepAliveToken : !close;
    this.sink.headers(status, raw);
    if (this.head || status === 204 || status === 304) this.finish();
    else if (chunked) {
      this.state = State.ChunkSize;
      this.line = '';
    } else if (length >= 0) {
      this.remaining = length;
      if (length === 0) this.finish();
      else this.state = State.Length;
    } else {
      this.keepAlive = false;
      this.state = State.UntilClose;
    }
  }

  /** A chunk-size line or a trailer line, byte by byte (they are a few bytes long). */
  private readLine(chunk: Buffer, from: number, n: number): number {
    let nl = from;
    while (nl < n && chunk[nl] !== 10) nl++;
    this.line += chunk.toString('latin1', from, nl);
    if (nl === n) return n;
    const text = this.line.endsWith('\r') ? this.line.slice(0, -1) : this.line;
    this.line = '';
    if (this.state === State.ChunkSize) {
      const size = Number.parseInt(text.split(';')[0].trim(), 16);
      if (!Number.isFinite(size) || size < 0) throw new Error(`bad chunk size line ${JSON.stringify(text.slice(0, 40))}`);
      if (size === 0) this.state = State.Trailer;
      else {
        this.state = State.ChunkData;
        this.remaining = size;
      }
    } else if (text === '') this.finish(); // the empty line after the trailers
    return nl + 1;
  }

  private finish(): void {
    this.state = State.Done;
    this.sink.complete(this.keepAlive, this.keepAliveSeconds);
  }
}

const CONTENT_LENGTH = ascii('content-length');
const TRANSFER_ENCODING = ascii('transfer-encoding');
const CONNECTION = ascii('connection');
const KEEP_ALIVE = ascii('keep-alive');
const CHUNKED = ascii('chunked');
const CLOSE = ascii('close');
const TIMEOUT = ascii('timeout=');

function ascii(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

/** Where the head's CRLFCRLF starts in buf[from, to), or -1. */
function headEnd(buf: Buffer, from: number, to: number): number {
  for (let i = from + 3; i < to; i++) if (buf[i] === 10 && buf[i - 2] === 10 && buf[i - 1] === 13 && buf[i - 3] === 13) return i - 3;
  return -1;
}

/** Where the line starting at `from` ends (its CR), at most `to` (the head's last line has its CRLF there). */
function lineEnd(buf: Buffer, from: number, to: number): number {
  let i = from;
  while (i < to && buf[i] !== 13) i++;
  return i;
}

/** The status of "HTTP/1.x NNN …"; anything else is not an answer we can read. */
function statusOf(buf: Buffer, start: number, end: number): number {
  const d0 = buf[start + 9] - 0x30;
  const d1 = buf[start + 10] - 0x30;
  const d2 = buf[start + 11] - 0x30;
  const ok = end - start >= 12 && buf[start] === 0x48 && buf[start + 4] === 0x2f && buf[start + 5] === 0x31 && buf[start + 8] === 0x20;
  if (!ok || !(d0 >= 0 && d0 <= 9 && d1 >= 0 && d1 <= 9 && d2 >= 0 && d2 <= 9)) {
    throw new Error(`not an HTTP/1.x status line: ${JSON.stringify(buf.toString('latin1', start, Math.min(end, start + 40)))}`);
  }
  return d0 * 100 + d1 * 10 + d2;
}

/** Whether the header name at `at` is `name` (lower case), in any case. */
function nameIs(buf: Buffer, at: number, name: Uint8Array): boolean {
  for (let k = 0; k < name.length; k++) if ((buf[at + k] | 0x20) !== name[k]) return false;
  return true;
}

/** Where `word` (lower case) first occurs in buf[from, to), in any case, or -1. */
function find(buf: Buffer, from: number, to: number, word: Uint8Array): number {
  for (let i = from; i + word.length <= to; i++) if (nameIs(buf, i, word)) return i;
  return -1;
}

/** The decimal number after optional blanks at buf[from, to), or -1 when there is none. */
function digitsAt(buf: Buffer, from: number, to: number): number {
  let i = from;
  while (i < to && (buf[i] === 0x20 || buf[i] === 0x09)) i++;
  let v = -1;
  for (; i < to; i++) {
    const d = buf[i] - 0x30;
    if (d < 0 || d > 9) break;
    v = v < 0 ? d : v * 10 + d;
  }
  return v;
}
