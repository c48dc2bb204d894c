/**
 * One request's life on a connection (http1-connection.ts), from send to answer or error. The
 * body is counted, not kept, and headers are not even split out, unless the status needs a closer
 * look (classify.ts `bodyMatters`). A connection carries one request at a time, so each has one
 * handler, started afresh for every request (`start`): no object per request for the GC.
 */
import { bodyMatters } from './classify.ts';
import type { Exchange, Http1Connection } from './http1-connection.ts';

/** Enough of the body to tell API Gateway's error messages apart. */
const BODY_SNIFF_BYTES = 512;

/** Who is told how the request ended (the dispatcher). */
export interface ResponseSink {
  answered(r: ResponseHandler): void;
  failed(r: ResponseHandler, err: Error): void;
}

export class ResponseHandler implements Exchange {
  status = 0;
  bytes = 0;
  /** The start of the body, read only when the status needs it. */
  body: string | undefined = undefined;
  private rawHeaders: readonly string[] | undefined = undefined;
  private finished = true;
  cohort = 0;
  second = 0;
  dueMs = 0;
  /** When it went out (performance.now()): the target's own latency is measured from here. */
  sentMs = 0;

  constructor(
    private readonly sink: ResponseSink,
    /** The connection the requests go out on: free again once each ends. */
    readonly client: Http1Connection,
  ) {}

  /** A new request on the connection: forgets the previous one. */
  start(cohort: number, second: number, dueMs: number, sentMs: number): this {
    if (!this.finished) throw new Error('ResponseHandler: the previous request has not ended');
    this.cohort = cohort;
    this.second = second;
    this.dueMs = dueMs;
    this.sentMs = sentMs;
    this.status = 0;
    this.bytes = 0;
    this.body = undefined;
    this.rawHeaders = undefined;
    this.finished = false;
    return this;
  }

  wantsHeaders(status: number): boolean {
    return bodyMatters(status);
  }

  onHeaders(status: number, rawHeaders: readonly string[] | undefined): void {
    this.status = status;
    if (bodyMatters(status)) {
      this.body = '';
      this.rawHeaders = rawHeaders;
    }
  }

  onData(chunk: Buffer, start: number, end: number): void {
    this.bytes += end - start;
    if (this.body !== undefined && this.body.length < BODY_SNIFF_BYTES) this.body += chunk.toString('latin1', start, Math.min(end, start + BODY_SNIFF_BYTES));
  }

  onComplete(): void {
    if (this.finished) return;
    this.finished = true;
    this.sink.answered(this);
  }

  onError(err: Error): void {
    if (this.finished) return;
    this.finished = true;
    this.sink.failed(this, err);
  }

  /** Response headers by lower-case name, kept only for statuses whose body is read too. */
  headers(): Record<string, string> | undefined {
    const raw = this.rawHeaders;
    if (!raw) return undefined;
    const out: Record<string, string> = {};
    for (let i = 0; i + 1 < raw.length; i += 2) out[raw[i]] = raw[i + 1];
    return out;
  }
}
