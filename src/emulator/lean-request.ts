import type { ApiReply, ApiRequest } from './api-request.ts';
import type { RequestHead } from './request-head.ts';

/** What a lean request needs of its connection (lean-connection.ts). */
export interface LeanChannel {
  /** Whether answers can still be written to the client. */
  readonly writable: boolean;
  peerAddress(): string;
  /** Queues `r`'s answer; it goes out once the requests before it on the connection are answered. */
  answer(r: LeanRequest, status: number, lines: string, more: string, body: Buffer, close: boolean): void;
}

/**
 * One request read by the lean front, and its one answer. Made for every request of a flood: the
 * head's fields are copied in, and the head's bytes are kept only for a real handler (its event
 * carries every header).
 */
export class LeanRequest implements ApiRequest, ApiReply {
  readonly method: string;
  readonly url: string;
  readonly httpVersion: string;
  readonly keepAlive: boolean;
  readonly cohort: string | undefined;
  readonly role: string | undefined;
  readonly apiKey: string | undefined;
  readonly forwardedFor: string | undefined;
  /** Its answer on the wire, while an earlier request on the connection waits for its own. */
  out: Buffer | undefined = undefined;
  /** The connection closes after its answer. */
  last = false;
  private answered = false;

  constructor(
    private readonly channel: LeanChannel,
    h: RequestHead,
    private readonly head: Buffer | undefined,
  ) {
    this.method = h.method;
    this.url = h.url;
    this.httpVersion = h.http10 ? '1.0' : '1.1';
    this.keepAlive = h.keepAlive;
    this.cohort = h.cohort;
    this.role = h.role;
    this.apiKey = h.apiKey;
    this.forwardedFor = h.forwardedFor;
  }

  get open(): boolean {
    return !this.answered && this.channel.writable;
  }

  send(status: number, lines: string, more: string, body: Buffer, close = false): void {
    if (!this.open) return;
    this.answered = true;
    this.channel.answer(this, status, lines, more, body, close || !this.keepAlive);
  }

  peerAddress(): string {
    return this.channel.peerAddress();
  }

  /** The head's header lines as [name, value, …], values trimmed (node's rawHeaders). */
  rawHeaders(): string[] {
    const out: string[] = [];
    if (this.head === undefined) return out;
    const lines = this.head.toString('latin1').split('\r\n');
    // the request line first, the blank line and what follows it last
    for (let i = 1; i < lines.length && lines[i] !== ''; i++) {
      const colon = lines[i].indexOf(':');
      out.push(lines[i].slice(0, colon), lines[i].slice(colon + 1).trim());
    }
    return out;
  }

  header(name: 'host' | 'user-agent'): string | undefined {
    const raw = this.rawHeaders();
    for (let i = 0; i < raw.length; i += 2) if (raw[i].toLowerCase() === name) return raw[i + 1];
    return undefined;
  }
}
