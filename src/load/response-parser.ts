/**
 * Just enough of an HTTP/1.1 response parser for the load driver: the status, where the body ends
 * (Content-Length, chunked transfer coding, or the connection's close), whether the connection may
 * be reused (and for how long, from Keep-Alive: timeout=N), and the headers only when asked for.
 * Pure: bytes in, callbacks out, any split of the bytes into chunks.
 */
import { CHUNKED, CLOSE, CONNECTION, CONTENT_LENGTH, digitsAt, find, KEEP_ALIVE, nameIs, pushHeader, statusOf, TIMEOUT, TRANSFER_ENCODING } from './head-bytes.ts';

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
/** Heads up to this long are remembered for the next answer (see ResponseParser.seen). */
const SEEN_BYTES = 512;

export class ResponseParser {
  private state = State.Head;
  private head = false;
  /** Bytes of a head split across chunks. */
  private partial: Buffer | undefined;
  private remaining = 0;
  private line = '';
  private keepAlive = true;
  private keepAliveSeconds: number | undefined;
  /** Where each line of the head being read ends (its CR), reused from answer to answer. */
  private readonly lineEnds: number[] = [];
  /**
   * The last head read whole (with no headers asked for) and what it said. A server repeats its
   * head byte for byte from answer to answer (node:http's changes with its Date, once a second):
   * one memcmp against it replaces reading the head again.
   */
  private readonly seen = Buffer.allocUnsafe(SEEN_BYTES);
  private seenLength = 0;
  private seenStatus = 0;
  private seenBodyLength = -1;
  private seenChunked = false;
  private seenKeepAlive = true;
  private seenKeepAliveSeconds: number | undefined;

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
      const seen = this.seenLength;
      if (seen > 0 && n - from >= seen && this.seen.compare(chunk, from, from + seen, 0, seen) === 0 && !this.sink.wantsHeaders(this.seenStatus)) {
        this.keepAlive = this.seenKeepAlive;
        this.keepAliveSeconds = this.seenKeepAliveSeconds;
        this.begin(this.seenStatus, undefined, this.seenBodyLength, this.seenChunked);
        return from + seen;
      }
      const end = this.findLines(chunk, from, n);
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
    const end = this.findLines(buf, 0, buf.length);
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
   * Finds the head's lines in buf[from, to) by hopping from CR to CR (memchr, not a byte loop in
   * JavaScript), noting where each ends in `lineEnds`. Answers where the head's CRLFCRLF starts, or
   * -1 when it is not all there yet.
   */
  private findLines(buf: Buffer, from: number, to: number): number {
    const ends = this.lineEnds;
    ends.length = 0;
    let p = from;
    for (;;) {
      const cr = buf.indexOf(13, p);
      // none, or only in the stale bytes past this read
      if (cr < 0 || cr + 1 >= to) return -1;
      if (buf[cr + 1] !== 10) {
        p = cr + 1; // a lone CR inside a line
        continue;
      }
      ends.push(cr);
      if (cr + 3 >= to) return -1;
      if (buf[cr + 2] === 13 && buf[cr + 3] === 10) return cr;
      p = cr + 2;
    }
  }

  /**
   * The status line and headers in buf[start, end) (end: the CRLFCRLF), their lines as `findLines`
   * noted them. Only the few headers that frame the answer are looked at — a colon right after the
   * 10, 14 or 17 bytes of their names picks them out — and no string is made unless the headers
   * were asked for.
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
    const ends = this.lineEnds;
    for (let k = 1; k < ends.length; k++) {
      const p = ends[k - 1] + 2;
      const stop = ends[k];
      const size = stop - p;
      if (raw !== undefined) pushHeader(raw, buf, p, stop);
      if (size > 14 && buf[p + 14] === 0x3a && nameIs(buf, p, CONTENT_LENGTH)) length = digitsAt(buf, p + 15, stop);
      else if (size > 10 && buf[p + 10] === 0x3a) {
        if (nameIs(buf, p, CONNECTION)) {
          close ||= find(buf, p + 11, stop, CLOSE) >= 0;
          keepAliveToken ||= find(buf, p + 11, stop, KEEP_ALIVE) >= 0;
        } else if (nameIs(buf, p, KEEP_ALIVE)) {
          const t = find(buf, p + 11, stop, TIMEOUT);
          const seconds = t < 0 ? -1 : digitsAt(buf, t + TIMEOUT.length, stop);
          if (seconds >= 0) this.keepAliveSeconds = seconds;
        }
      } else if (size > 17 && buf[p + 17] === 0x3a && nameIs(buf, p, TRANSFER_ENCODING)) chunked = find(buf, p + 18, stop, CHUNKED) >= 0;
    }
    this.keepAlive = http10 ? keepAliveToken : !close;
    if (raw === undefined && end + 4 - start <= SEEN_BYTES) {
      this.seenLength = buf.copy(this.seen, 0, start, end + 4);
      this.seenStatus = status;
      this.seenBodyLength = length;
      this.seenChunked = chunked;
      this.seenKeepAlive = this.keepAlive;
      this.seenKeepAliveSeconds = this.keepAliveSeconds;
    }
    this.begin(status, raw, length, chunked);
  }

  /** The head is read: tells the sink, then reads the body as its framing says. */
  private begin(status: number, raw: readonly string[] | undefined, length: number, chunked: boolean): void {
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
