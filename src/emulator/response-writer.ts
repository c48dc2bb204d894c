import type { ServerResponse } from 'node:http';
import type { ApiKind } from '../model/api-kind.ts';
import { cannedResponse, type GatewayAnswer } from '../model/gateway-responses.ts';
import { newIds, type RequestIds } from './request-ids.ts';

interface Canned {
  status: number;
  body: Buffer;
  length: string;
  contentType: string;
  errorType?: string;
}

/**
 * Writes answers the way API Gateway (or a function URL) does: its canned error responses (built
 * once per answer), the function's response with its framing headers replaced, and the
 * request-id headers of the API's kind.
 */
export class ResponseWriter {
  private readonly canned = new Map<GatewayAnswer, Canned>();

  constructor(private readonly kind: ApiKind) {}

  /** The status API Gateway answers with when it ends a request itself. */
  statusOf(answer: GatewayAnswer): number {
    return this.cannedFor(answer).status;
  }

  private cannedFor(answer: GatewayAnswer): Canned {
    let c = this.canned.get(answer);
    if (!c) {
      const r = cannedResponse(this.kind, answer);
      const body = Buffer.from(r.body, 'utf8');
      c = { status: r.status, body, length: String(body.length), contentType: r.body.startsWith('{') ? 'application/json' : 'text/plain', errorType: r.errorType };
      this.canned.set(answer, c);
    }
    return c;
  }

  /** Appends the request-id headers: REST x-amzn-RequestId + x-amz-apigw-id, HTTP APIs apigw-requestid, function URLs x-amzn-RequestId. */
  private pushIdHeaders(out: string[], ids: RequestIds): void {
    const kind = this.kind;
    if (kind === 'http') out.push('apigw-requestid', ids.shortId);
    else if (kind === 'rest') out.push('x-amzn-RequestId', ids.requestId, 'x-amz-apigw-id', ids.shortId);
    else out.push('x-amzn-RequestId', ids.requestId);
  }

  // Headers go to writeHead as one flat [name, value, …] list: no object to build per response.
  sendCanned(res: ServerResponse, answer: GatewayAnswer, ids: RequestIds = newIds()): number {
    const c = this.cannedFor(answer);
    if (res.headersSent || res.destroyed) return 0;
    const headers = ['content-type', c.contentType, 'content-length', c.length];
    this.pushIdHeaders(headers, ids);
    if (c.errorType) headers.push('x-amzn-ErrorType', c.errorType);
    res.writeHead(c.status, headers);
    res.end(c.body);
    return c.body.length;
  }

  sendFunction(res: ServerResponse, status: number, headers: [string, string][], body: Buffer, ids: RequestIds): void {
    if (res.headersSent || res.destroyed) return;
    const out: string[] = [];
    for (const [k, v] of headers) {
      const key = k.toLowerCase();
      // node frames the body itself; the function's own framing headers would contradict it
      if (key === 'content-length' || key === 'transfer-encoding' || key === 'connection') continue;
      out.push(k, v);
    }
    out.push('content-length', String(body.length));
    this.pushIdHeaders(out, ids);
    res.writeHead(status, out);
    res.end(body);
  }

  sendJson(res: ServerResponse, status: number, value: unknown): void {
    const text = JSON.stringify(value, null, 2);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }
}
