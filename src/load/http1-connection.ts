/**
 * One keep-alive HTTP/1.1 connection of the load driver, on `net` (or `tls` for https), carrying
 * one request at a time. Why not undici: profiled at saturation, undici's per-request work — a
 * Request object, header validation, the request head built as a string and encoded into the
 * socket on every write, its queue and timers — was most of the driver's CPU. Here the whole
 * request (head and body) is a Buffer built once per client identity and written as is, and the
 * answer is parsed just enough to find where it ends (Content-Length, chunked, or close), with the
 * headers kept only when the status needs a closer look.
 *
 * A connection that dies (reset, closed by the target, `Connection: close`, the server's
 * keep-alive timeout about to run out) is reopened by the next request sent on it.
 */
import { isIP, connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { DirectWriter } from './direct-write.ts';
import { ResponseParser } from './response-parser.ts';

export interface Origin {
  host: string;
  port: number;
  tls: boolean;
}

/** Who hears how a request ended. */
export interface Exchange {
  onHeaders(status: number, rawHeaders: readonly string[] | undefined): void;
  /** The status whose headers should be kept (their names and values handed to onHeaders). */
  wantsHeaders(status: number): boolean;
  onData(chunk: Buffer, start: number, end: number): void;
  onComplete(): void;
  onError(err: Error): void;
}

export interface ConnectionEvents {
  connected(): void;
  disconnected(): void;
}

const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Where every plain-TCP connection's reads land (net.connect's `onread`): one buffer for all of
 * them, as a read is handed to its parser before the next one starts. Without it each read is a
 * new Buffer pushed through the socket's Readable stream and its 'data' event — most of the
 * receive side's JavaScript. The parser copies what it keeps (a head split across reads).
 */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

export class Http1Connection {
  private socket: Socket | undefined;
  private connected = false;
  private current: Exchange | undefined;
  /** performance.now() when the current request went out (request timeouts are swept by the dispatcher). */
  sentMs = 0;
  private readonly parser: ResponseParser;
  private readonly writer = new DirectWriter();
  /** Reopen before sending after this time (the server's Keep-Alive timeout, less a second). */
  private reuseUntilMs = Infinity;
  private lastError: Error | undefined;
  /** Whoever sends on this connection may keep its per-request record here (the dispatcher's ResponseHandler). */
  exchange: Exchange | undefined;

  constructor(
    private readonly origin: Origin,
    private readonly events: ConnectionEvents,
  ) {
    this.parser = new ResponseParser({
      headers: (status, raw) => this.current?.onHeaders(status, raw),
      wantsHeaders: (status) => this.current?.wantsHeaders(status) ?? false,
      data: (chunk, start, end) => this.current?.onData(chunk, start, end),
      complete: (keepAlive, keepAliveSeconds) => this.completed(keepAlive, keepAliveSeconds),
    });
  }

  get busy(): boolean {
    return this.current !== undefined;
  }

  /** Sends `request` (a whole HTTP/1.1 request) and reports to `x`; `head`: no body will come back. */
  send(request: Buffer, x: Exchange, head: boolean, nowMs: number): void {
    if (this.current !== undefined) throw new Error('Http1Connection: one request at a time');
    if (this.socket !== undefined && nowMs > this.reuseUntilMs) this.close();
    this.current = x;
    this.sentMs = nowMs;
    this.parser.expect(head);
    const s = this.socket ?? this.open();
    // Straight to the handle once connected (direct-write.ts); still connecting, or TLS: the stream.
    if (!this.connected || this.origin.tls || !this.writer.write(s, request)) s.write(request);
  }

  /** Ends the current request with `err` and drops the connection (a timeout, a stop). */
  abort(err: Error): void {
    const x = this.current;
    this.current = undefined;
    this.close();
    x?.onError(err);
  }

  destroy(): void {
    this.abort(new Error('connection closed by the driver'));
  }

  private open(): Socket {
    const { host, port } = this.origin;
    // SNI carries host names only (RFC 6066): an address literal goes without one
    const s: Socket = this.origin.tls
      ? tlsConnect({ host, port, servername: isIP(host) ? undefined : host, ALPNProtocols: ['http/1.1'] })
      : netConnect({ host, port, onread: { buffer: READ_BUFFER, callback: (n: number, buf: Uint8Array) => this.read(s, buf as Buffer, n) } });
    this.socket = s;
    this.connected = false;
    this.lastError = undefined;
    this.reuseUntilMs = Infinity;
    this.parser.reset();
    s.setNoDelay(true);
    s.setTimeout(CONNECT_TIMEOUT_MS, () => s.destroy(Object.assign(new Error('connect timed out'), { code: 'ETIMEDOUT' })));
    s.once(this.origin.tls ? 'secureConnect' : 'connect', () => {
      if (this.socket !== s) return;
      s.setTimeout(0);
      this.connected = true;
      this.events.connected();
    });
    // TLS sockets take no `onread`: their reads come as 'data' events
    if (this.origin.tls) s.on('data', (chunk: Buffer) => void this.read(s, chunk, chunk.length));
    s.on('error', (err) => {
      if (this.socket === s) this.lastError = err;
    });
    s.on('close', () => this.closed(s));
    return s;
  }

  /** Hands n bytes read into buf to the parser; answers true: keep reading. */
  private read(s: Socket, buf: Buffer, n: number): boolean {
    if (this.socket !== s) return true;
    try {
      this.parser.feed(buf, n);
    } catch (err) {
      // not HTTP we can read: this request failed, and the connection cannot be trusted
      this.abort(Object.assign(err as Error, { code: 'EPROTO' }));
    }
    return true;
  }

  private closed(s: Socket): void {
    if (this.socket !== s) return;
    this.socket = undefined;
    if (this.connected) this.events.disconnected();
    this.connected = false;
    const x = this.current;
    if (x === undefined) return;
    this.current = undefined;
    // A body that runs until the connection closes ends here; anything else was cut short.
    if (this.parser.endsAtClose()) x.onComplete();
    else x.onError(this.lastError ?? Object.assign(new Error('connection closed before the answer ended'), { code: 'ECONNRESET' }));
  }

  private completed(keepAlive: boolean, keepAliveSeconds: number | undefined): void {
    const x = this.current;
    this.current = undefined;
    if (!keepAlive) this.close();
    else if (keepAliveSeconds !== undefined) this.reuseUntilMs = this.sentMs + Math.max(0, keepAliveSeconds - 1) * 1000;
    x?.onComplete();
  }

  private close(): void {
    const s = this.socket;
    if (s === undefined) return;
    this.socket = undefined;
    if (this.connected) this.events.disconnected();
    this.connected = false;
    s.destroy();
  }
}
