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

const CRLFCRLF = Buffer.from('\r\n\r\n', 'latin1');
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

  feed(chunk: Buffer): void {
    let i = 0;
    while (i < chunk.length) {
      switch (this.state) {
        case State.Head:
          i = this.readHead(chunk, i);
          break;
        case State.Length: {
          const end = Math.min(chunk.length, i + this.remaining);
          this.sink.data(chunk, i, end);
          this.remaining -= end - i;
          i = end;
          if (this.remaining === 0) this.finish();
          break;
        }
        case State.UntilClose:
          this.sink.data(chunk, i, chunk.length);
          i = chunk.length;
          break;
        case State.ChunkSize:
        case State.Trailer:
          i = this.readLine(chunk, i);
          break;
        case State.ChunkData: {
          const end = Math.min(chunk.length, i + this.remaining);
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
          const n = Math.min(this.remaining, chunk.length - i);
          this.remaining -= n;
          i += n;
          if (this.remaining === 0) this.state = State.ChunkSize;
          break;
        }
        case State.Done:
          return; // bytes after the answer: nothing was asked for, they are dropped
      }
    }
  }

  private readHead(chunk: Buffer, from: number): number {
    let buf = chunk;
    let start = from;
    if (this.partial !== undefined) {
      buf = Buffer.concat([this.partial, chunk.subarray(from)]);
      start = 0;
    }
    const end = buf.indexOf(CRLFCRLF, start);
    if (end < 0) {
      if (buf.length - start > MAX_HEAD_BYTES) throw new Error('response head too long');
      this.partial = Buffer.from(buf.subarray(start));
      return chunk.length;
    }
    const consumedBefore = this.partial === undefined ? 0 : this.partial.length;
    this.partial = undefined;
    this.parseHead(buf.toString('latin1', start, end));
    // where the body starts, in `chunk`'s own offsets
    return end + 4 - consumedBefore + (buf === chunk ? 0 : from);
  }

  private parseHead(text: string): void {
    const lines = text.split('\r\n');
    const statusLine = lines[0];
    const status = Number.parseInt(statusLine.slice(9, 12), 10);
    const http10 = statusLine.startsWith('HTTP/1.0');
    if (status >= 100 && status < 200 && status !== 101) return; // informational: the real answer follows
    const keep = this.sink.wantsHeaders(status);
    const raw: string[] | undefined = keep ? [] : undefined;
    let length = -1;
    let chunked = false;
    let connection = '';
    this.keepAliveSeconds = undefined;
    for (let k = 1; k < lines.length; k++) {
      const l = lines[k];
      const colon = l.indexOf(':');
      if (colon <= 0) continue;
      const n = colon;
      // Only the few names that matter are compared (by length first: most headers skip the work).
      if (raw === undefined && n !== 14 && n !== 17 && n !== 10) continue;
      const name = l.slice(0, colon).toLowerCase();
      const value = l.slice(colon + 1).trim();
      raw?.push(name, value);
      if (name === 'content-length') length = Number.parseInt(value, 10);
      else if (name === 'transfer-encoding') chunked = /chunked/i.test(value);
      else if (name === 'connection') connection = value.toLowerCase();
      else if (name === 'keep-alive') {
        const m = /timeout=(\d+)/i.exec(value);
        if (m) this.keepAliveSeconds = Number(m[1]);
      }
    }
    this.keepAlive = http10 ? connection.includes('keep-alive') : !connection.includes('close');
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
  private readLine(chunk: Buffer, from: number): number {
    const nl = chunk.indexOf(10, from);
    const endOfText = nl < 0 ? chunk.length : nl;
    this.line += chunk.toString('latin1', from, endOfText);
    if (nl < 0) return chunk.length;
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
