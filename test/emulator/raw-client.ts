import { connect, type Socket } from 'node:net';

/** One HTTP/1.1 answer as it came on the wire. */
export interface RawAnswer {
  status: number;
  /** The status line and header lines, as sent. */
  head: string;
  /** Header names lower-cased; a repeated one keeps its values joined by ", ". */
  headers: Record<string, string>;
  body: string;
}

/**
 * A hand-driven HTTP/1.1 client over a raw socket (loopback only): writes whatever bytes a test
 * gives it and reads answers by their own framing — Content-Length, none for 1xx, else to the
 * close — so that tests see exactly what a server wrote.
 */
export class RawClient {
  private buf = Buffer.alloc(0);
  private ended = false;
  private wake: (() => void) | undefined;
  readonly closed: Promise<void>;

  private constructor(readonly socket: Socket) {
    socket.on('data', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.wake?.();
    });
    socket.on('error', () => {});
    this.closed = new Promise((resolve) =>
      socket.on('close', () => {
        this.ended = true;
        this.wake?.();
        resolve();
      }),
    );
  }

  static async open(base: string): Promise<RawClient> {
    const { hostname, port } = new URL(base);
    if (hostname !== '127.0.0.1' && hostname !== 'localhost') throw new Error('tests only connect to 127.0.0.1');
    const socket = connect(Number(port), hostname);
    socket.setNoDelay(true);
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    return new RawClient(socket);
  }

  write(bytes: string | Buffer): void {
    this.socket.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
  }

  /** Everything received and not yet read as an answer. */
  get unread(): string {
    return this.buf.toString('latin1');
  }

  get isClosed(): boolean {
    return this.ended;
  }

  /** The next answer (`bodiless`: an answer to HEAD); undefined when the connection closed first. */
  async next(bodiless = false): Promise<RawAnswer | undefined> {
    for (;;) {
      const a = this.take(bodiless);
      if (a) return a;
      if (this.ended) return undefined;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }

  private take(bodiless: boolean): RawAnswer | undefined {
    const end = this.buf.indexOf('\r\n\r\n');
    if (end < 0) return undefined;
    const head = this.buf.toString('latin1', 0, end);
    const [statusLine, ...lines] = head.split('\r\n');
    const status = Number(statusLine.split(' ')[1]);
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
    }
    let bodyEnd: number;
    if (status < 200 || bodiless) bodyEnd = end + 4;
    else if (headers['content-length'] !== undefined) bodyEnd = end + 4 + Number(headers['content-length']);
    else if (this.ended) bodyEnd = this.buf.length;
    else return undefined;
    if (this.buf.length < bodyEnd) return undefined;
    const body = this.buf.toString('utf8', end + 4, bodyEnd);
    this.buf = this.buf.subarray(bodyEnd);
    return { status, head, headers, body };
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Resolves after `ms` (lets a write reach the server as a read of its own). */
export function pause(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
