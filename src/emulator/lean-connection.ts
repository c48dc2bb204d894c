import { performance } from 'node:perf_hooks'; // not the global: that one is a lazy getter, read per call
import type { Socket } from 'node:net';
import { answerBytes, CLOSE_END } from './answer-bytes.ts';
import { emptyHead, HEAD_INCOMPLETE, HEAD_UNUSUAL, parseHead, type RequestHead } from './request-head.ts';
import { LeanRequest, type LeanChannel } from './lean-request.ts';
import { refuseLargeBody } from './refuse-large-body.ts';
import { socketAddress } from './request-headers.ts';
import { readInto } from './socket-reads.ts';

/** What a lean connection needs of the front that accepted it (lean-front.ts). */
export interface LeanHost {
  /** Serves a whole request (api-server.ts); `t0`: performance.now() when its head was read. */
  serve(r: LeanRequest, body: Buffer, bytesIn: number, t0: number): void;
  /** Gives the connection to node:http with `bytes` — read, not yet parsed — as the first it reads. */
  handOver(socket: Socket, bytes: Buffer): void;
  readonly maxBodyBytes: number;
  /** A real handler reads the request's headers and body; the synthetic one reads neither. */
  readonly keepRequests: boolean;
  /** "Connection: keep-alive" and "Keep-Alive: timeout=…" lines as node writes them, and the blank line. */
  readonly keepAliveEnd: Buffer;
}

const EMPTY = Buffer.alloc(0);
// node's own answers to requests that time out and to bytes after a "Connection: close" request
const REQUEST_TIMEOUT = Buffer.from('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n', 'latin1');
const BAD_REQUEST = Buffer.from('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n', 'latin1');
const IDLE_FROM_NEXT_SWEEP = -1;
/** Answers awaited at once on one connection before it stops reading (node stops at a full write buffer). */
const MAX_PIPELINED = 64;

/**
 * One client connection of the lean front: reads requests from the socket's reads as they come
 * (heads and bodies split anywhere, several in one read), hands each whole one to the front, and
 * writes the answers in the order of the requests, each head and body in one write. The first
 * request it does not read itself (request-head.ts) and everything after it go to node:http, once
 * the requests before it are answered.
 */
export class LeanConnection implements LeanChannel {
  /** A request has begun (or the connection is new) and has not all arrived: the timeouts run. */
  reading = true;
  /** That request's head is in: the request timeout applies, not the headers one. */
  headRead = false;
  /**
   * performance.now() when that request began; else when the connection went idle, as the next
   * sweep saw it (no clock read per answer: an idle connection closes up to a sweep interval
   * later than node would, past the keep-alive timeout it was told anyway).
   */
  since: number;
  /** Whole requests waiting for their answers, in order. */
  private readonly queue: LeanRequest[] = [];
  private rest: Buffer | undefined; // an incomplete head
  private awaitingBody: LeanRequest | undefined; // the request whose body is coming in
  private bodyLeft = 0;
  private bodyBytes = 0;
  private bodyT0 = 0;
  private chunks: Buffer[] | undefined;
  private handing: Buffer | undefined; // bytes for node:http, once the queue is answered
  /** A request without keep-alive was read, or a body refused: nothing more is read. */
  private closing = false;
  private discard = false;
  private paused = false;
  private address: string | undefined;
  private readonly stopReads: () => void;
  private readonly head: RequestHead = emptyHead();

  constructor(
    readonly socket: Socket,
    private readonly host: LeanHost,
    now: number,
  ) {
    this.since = now;
    this.stopReads = readInto(socket, this.onData);
    socket.on('drain', this.onDrain);
    socket.on('end', this.onEnd);
    socket.on('error', onError);
  }

  get writable(): boolean {
    return this.socket.writable;
  }

  /** Whether a whole request is waiting for its answer (the connection cap spares such ones). */
  get answering(): boolean {
    return this.queue.length > 0;
  }

  peerAddress(): string {
    return (this.address ??= socketAddress(this.socket));
  }

  /** Closes the connection when its request stalled past its timeout (408, as node) or it idled past `idleMs`. */
  sweep(now: number, headersMs: number, requestMs: number, idleMs: number): void {
    if (this.handing !== undefined) return;
    if (this.reading) {
      if (now - this.since <= (this.headRead ? requestMs : headersMs)) return;
      if (this.socket.writable) this.socket.write(REQUEST_TIMEOUT);
      this.socket.destroy();
    } else if (this.queue.length === 0) {
      if (this.since === IDLE_FROM_NEXT_SWEEP) this.since = now;
      else if (now - this.since > idleMs) this.socket.destroy();
    }
  }

  private readonly onData = (chunk: Buffer): void => {
    if (this.handing !== undefined) {
      this.handing = Buffer.concat([this.handing, chunk]);
      return;
    }
    if (this.discard) return;
    if (this.closing && this.bodyLeft === 0) return this.bytesAfterClose();
    const now = performance.now();
    let buf = chunk;
    if (this.rest !== undefined) {
      buf = Buffer.concat([this.rest, chunk]);
      this.rest = undefined;
    }
    this.read(buf, now);
  };

  /** Reads the requests in buf (heads, bodies, several pipelined). */
  private read(buf: Buffer, now: number): void {
    let p = 0;
    for (;;) {
      if (this.bodyLeft > 0) {
        p = this.takeBody(buf, p);
        if (this.bodyLeft > 0) return;
      }
      if (p >= buf.length) return;
      if (this.closing) return this.bytesAfterClose();
      if (!this.reading) {
        this.reading = true;
        this.since = now;
      }
      const end = parseHead(buf, p, this.head);
      if (end === HEAD_INCOMPLETE) {
        this.rest = Buffer.from(buf.subarray(p)); // a copy: not the whole read kept alive
        return;
      }
      if (end === HEAD_UNUSUAL) return this.handOver(buf.subarray(p));
      const h = this.head;
      const r = new LeanRequest(this, h, this.host.keepRequests ? Buffer.from(buf.subarray(p, end)) : undefined);
      p = end;
      if (!h.keepAlive) this.closing = true;
      if (h.contentLength > this.host.maxBodyBytes) return this.refuse(r);
      if (h.contentLength > 0) {
        this.awaitingBody = r;
        this.headRead = true;
        this.bodyLeft = h.contentLength;
        this.bodyBytes = 0;
        this.bodyT0 = now;
        this.chunks = this.host.keepRequests ? [] : undefined;
        continue;
      }
      this.dispatch(r, EMPTY, 0, now);
    }
  }

  /** node's parser refuses bytes after a "Connection: close" request: 400, and an answer still due is lost. */
  private bytesAfterClose(): void {
    if (this.queue.length > 0 && this.socket.writable) this.socket.write(BAD_REQUEST);
    this.socket.destroy();
  }

  /** Reads what buf holds of the current body from p; answers where it stopped. */
  private takeBody(buf: Buffer, p: number): number {
    const n = Math.min(this.bodyLeft, buf.length - p);
    // a copy: reads share one buffer (socket-reads.ts)
    this.chunks?.push(Buffer.from(buf.subarray(p, p + n)));
    this.bodyLeft -= n;
    this.bodyBytes += n;
    if (this.bodyLeft === 0) {
      const r = this.awaitingBody!;
      const chunks = this.chunks;
      this.awaitingBody = this.chunks = undefined;
      const body = chunks === undefined ? EMPTY : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, this.bodyBytes);
      this.dispatch(r, body, this.bodyBytes, this.bodyT0);
    }
    return p + n;
  }

  private dispatch(r: LeanRequest, body: Buffer, bytesIn: number, t0: number): void {
    this.reading = false;
    this.headRead = false;
    this.queue.push(r);
    if (this.queue.length >= MAX_PIPELINED) this.updateFlow();
    this.host.serve(r, body, bytesIn, t0);
  }

  /** A body over the cap: 413 and close without reading it (refuse-large-body.ts on node's path). */
  private refuse(r: LeanRequest): void {
    this.discard = true;
    this.reading = false;
    this.queue.push(r);
    refuseLargeBody(r);
  }

  answer(r: LeanRequest, status: number, lines: string, more: string, body: Buffer, close: boolean): void {
    r.out = answerBytes(status, lines, more, body, close ? CLOSE_END : this.host.keepAliveEnd);
    r.last = close;
    if (this.queue[0] === r) this.flush();
  }

  /** Writes the answers that are due, in order. */
  private flush(): void {
    const queue = this.queue;
    if (!this.socket.writable) {
      queue.length = 0;
      return;
    }
    while (queue.length > 0 && queue[0].out !== undefined) {
      const r = queue.shift()!;
      const out = r.out!;
      r.out = undefined;
      const full = !this.socket.write(out);
      if (r.last) {
        queue.length = 0;
        this.closing = true;
        endSoon(this.socket);
        return;
      }
      if (full) this.updateFlow();
    }
    if (queue.length > 0) {
      if (this.paused) this.updateFlow();
      return;
    }
    if (this.handing !== undefined) return this.passOn();
    if (!this.reading) this.since = IDLE_FROM_NEXT_SWEEP;
    if (this.paused) this.updateFlow();
  }

  /** Stops reading while answers pile up (a client that does not read them, or pipelines without end). */
  private updateFlow(): void {
    const stop = this.handing !== undefined || this.queue.length >= MAX_PIPELINED || this.socket.writableNeedDrain;
    if (stop && !this.paused) this.socket.pause();
    else if (!stop && this.paused) this.socket.resume();
    this.paused = stop;
  }

  private readonly onDrain = (): void => {
    if (this.paused) this.updateFlow();
  };

  private readonly onEnd = (): void => {
    // as node:http (httpAllowHalfOpen off): a client that ends its side gets no more answers, and
    // one that ends it within a request gets 400
    if (!this.discard && (this.rest !== undefined || this.bodyLeft > 0)) {
      if (this.socket.writable) this.socket.write(BAD_REQUEST);
      this.socket.destroy();
      return;
    }
    this.closing = true;
    this.queue.length = 0;
    this.socket.end();
  };

  /** Hands the connection over from `bytes` on, once the requests before them are answered. */
  private handOver(bytes: Buffer): void {
    this.handing = Buffer.from(bytes);
    this.reading = false;
    this.updateFlow();
    if (this.queue.length === 0) this.passOn();
  }

  private passOn(): void {
    const bytes = this.handing!;
    const s = this.socket;
    this.stopReads();
    s.off('drain', this.onDrain);
    s.off('end', this.onEnd);
    s.off('error', onError);
    this.host.handOver(s, bytes);
  }
}

// a socket error ends the socket (net destroys it); nothing else to do for it
function onError(): void {}

/** Ends the socket once its last answer is written (node's destroySoon). */
function endSoon(s: Socket): void {
  if (s.writable) s.end();
  if (s.writableFinished) s.destroy();
  else s.once('finish', () => s.destroy());
}
