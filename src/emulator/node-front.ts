import { performance } from 'node:perf_hooks'; // not the global: that one is a lazy getter, read per call
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiReply, ApiRequest } from './api-request.ts';
import { writeRawHead } from './raw-head.ts';
import { refuseLargeBody } from './refuse-large-body.ts';
import { COHORT_HEADER, firstHeader, ROLE_HEADER, socketAddress } from './request-headers.ts';

/** Serves a whole request (api-server.ts). */
export type Serve = (req: ApiRequest, reply: ApiReply, body: Buffer, bytesIn: number, t0: number) => void;

const EMPTY = Buffer.alloc(0);

/** A request node:http read (the connections the lean front hands over: lean-front.ts). */
class NodeRequest implements ApiRequest {
  readonly method: string;
  readonly url: string;
  readonly httpVersion: string;
  readonly cohort: string | undefined;
  readonly role: string | undefined;
  readonly apiKey: string | undefined;
  readonly forwardedFor: string | undefined;

  constructor(private readonly req: IncomingMessage) {
    const h = req.headers; // a getter on node's request: read it once
    this.method = req.method ?? 'GET'; // node's parser takes upper-case methods only
    this.url = req.url ?? '/';
    this.httpVersion = req.httpVersion;
    this.cohort = firstHeader(h[COHORT_HEADER]);
    this.role = firstHeader(h[ROLE_HEADER]);
    this.apiKey = firstHeader(h['x-api-key']);
    const xff = h['x-forwarded-for'];
    this.forwardedFor = Array.isArray(xff) ? xff.join(',') : xff;
  }

  peerAddress(): string {
    return socketAddress(this.req.socket);
  }

  rawHeaders(): string[] {
    return this.req.rawHeaders;
  }

  header(name: 'host' | 'user-agent'): string | undefined {
    return firstHeader(this.req.headers[name]);
  }
}

/** Its answer, through node's ServerResponse. */
class NodeReply implements ApiReply {
  constructor(private readonly res: ServerResponse) {}

  get open(): boolean {
    return !this.res.headersSent && !this.res.destroyed;
  }

  send(status: number, shared: string, more: string, body: Buffer, close = false): void {
    const res = this.res;
    if (!this.open) return;
    const lines = shared + more;
    if (!close && writeRawHead(res, status, lines)) {
      res.end(body);
      return;
    }
    // off raw-head's path: the same headers as one flat [name, value, …] list
    const headers: string[] = [];
    for (const line of lines.split('\r\n')) {
      const colon = line.indexOf(': ');
      if (colon > 0) headers.push(line.slice(0, colon), line.slice(colon + 2));
    }
    if (close) headers.push('connection', 'close');
    res.writeHead(status, headers);
    res.end(body);
  }
}

/** node:http's request handler for the API: reads the body (up to `maxBodyBytes`) and serves the request. */
export function nodeRequestHandler(serve: Serve, maxBodyBytes: number, keepBodies: boolean): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const t0 = performance.now();
    const request = new NodeRequest(req);
    const reply = new NodeReply(res);
    const length = req.headers['content-length'];
    if ((length === undefined || length === '0') && req.headers['transfer-encoding'] === undefined) {
      // no body to wait for: node discards the empty stream after the response
      serve(request, reply, EMPTY, 0, t0);
      return;
    }
    if (Number(length) > maxBodyBytes) return refuseLargeBody(reply);
    // the body is read to the end (its size is metered); only a real handler needs its bytes
    const keep = keepBodies;
    const chunks: Buffer[] = [];
    let bytesIn = 0;
    req.on('data', (c: Buffer) => {
      bytesIn += c.length;
      if (bytesIn > maxBodyBytes) {
        req.removeAllListeners('data').removeAllListeners('end');
        refuseLargeBody(reply);
      } else if (keep) chunks.push(c);
    });
    req.on('end', () => {
      const body = !keep ? EMPTY : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, bytesIn);
      serve(request, reply, body, bytesIn, t0);
    });
    req.on('error', () => res.destroy());
  };
}
