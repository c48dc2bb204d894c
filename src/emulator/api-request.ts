/**
 * One request as the API front sees it, whichever HTTP server read it: the lean front's own parser
 * (lean-connection.ts) for the common requests, node:http (node-front.ts) for the rest.
 */
export interface ApiRequest {
  readonly method: string;
  /** The request target as sent (origin form: path and query). */
  readonly url: string;
  /** "1.1" or "1.0" (node's httpVersion). */
  readonly httpVersion: string;
  // The headers the front reads for every request, as node:http gives them: repeats joined by ", ".
  readonly cohort: string | undefined;
  readonly role: string | undefined;
  readonly apiKey: string | undefined;
  readonly forwardedFor: string | undefined;
  /** The TCP peer's address (IPv4-mapped IPv6 unwrapped). */
  peerAddress(): string;
  /** Only a real handler's event needs the rest: header names and values as sent (node's rawHeaders). */
  rawHeaders(): string[];
  /** The first value of a header (node's `req.headers[name]` for host and user-agent). */
  header(name: 'host' | 'user-agent'): string | undefined;
}

/** Where that request's one answer goes. */
export interface ApiReply {
  /** Whether an answer may still be sent: none was, and the client is still there. */
  readonly open: boolean;
  /**
   * Sends `status`, `lines` then `more` ("name: value\r\n" lines, checked as node checks headers,
   * a content-length among them; `lines` the ones most answers share, `more` the request's own,
   * its ids) and `body`; Date and the connection's headers are added. `close`: close the
   * connection after it.
   */
  send(status: number, lines: string, more: string, body: Buffer, close?: boolean): void;
}
