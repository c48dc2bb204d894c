/**
 * One request's life on a connection, from dispatch to answer or error, written against undici's
 * raw handler methods (onConnect/onHeaders/onData/onComplete/onError). undici 7 still runs every
 * request through these internally: its newer onRequestStart/onResponse* API is adapted onto them
 * and parses every response's headers into an object on the way, and `request()` adds a promise
 * and a Readable body stream per request. Here headers stay unparsed Buffers and the body is
 * counted, not kept, unless the status needs a closer look (classify.ts `bodyMatters`).
 */
import type { Client } from 'undici';
import { bodyMatters } from './classify.ts';

/** Enough of the body to tell API Gateway's error messages apart. */
const BODY_SNIFF_BYTES = 512;

/** Who is told how the request ended (the dispatcher). */
export interface ResponseSink {
  answered(r: ResponseHandler): void;
  failed(r: ResponseHandler, err: Error): void;
}

export class ResponseHandler {
  status = 0;
  bytes = 0;
  /** The start of the body, read only when the status needs it. */
  body: string | undefined = undefined;
  private rawHeaders: Buffer[] | undefined = undefined;
  private finished = false;

  constructor(
    private readonly sink: ResponseSink,
    /** The connection the request went out on: free again once this ends. */
    readonly client: Client,
    readonly cohort: number,
    readonly second: number,
    readonly dueMs: number,
    /** When it went out (performance.now()): the target's own latency is measured from here. */
    readonly sentMs: number,
  ) {}

  onConnect(): void {}

  onHeaders(status: number, rawHeaders: Buffer[]): boolean {
    if (status < 200 && status >= 100) return true; // informational: the real answer follows
    this.status = status;
    if (bodyMatters(status)) {
      this.body = '';
      this.rawHeaders = rawHeaders;
    }
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.bytes += chunk.length;
    if (this.body !== undefined && this.body.length < BODY_SNIFF_BYTES) this.body += chunk.toString('latin1', 0, BODY_SNIFF_BYTES);
    return true;
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
    for (let i = 0; i + 1 < raw.length; i += 2) out[raw[i].toString('latin1').toLowerCase()] = raw[i + 1].toString('latin1');
    return out;
  }
}
