import type { ServerResponse } from 'node:http';
import type { ApiKind } from '../model/api-kind.ts';
import { cannedResponse, type GatewayAnswer } from '../model/gateway-responses.ts';
import type { MappedResponse } from './proxy-response.ts';
import { headerLines, writeRawHead } from './raw-head.ts';
import { newIds, type RequestIds } from './request-ids.ts';

interface Canned {
  status: number;
  body: Buffer;
  length: string;
  contentType: string;
  errorType?: string;
  /** Its header lines before and after the request ids (raw-head.ts). */
  lines: string;
  trailingLines: string;
}

/** Framing headers node writes itself; a function's own would contradict it. */
function isFraming(name: string): boolean {
  const key = name.toLowerCase();
  return key === 'content-length' || key === 'transfer-encoding' || key === 'connection';
}

/**
 * The header lines of a function response the emulator makes itself (the synthetic handler's),
 * checked once: its headers without framing ones, and its content-length (raw-head.ts).
 */
export function functionHeaderLines(headers: readonly [string, string][], bodyBytes: number): string {
  return headerLines([...headers.filter(([k]) => !isFraming(k)), ['content-length', String(bodyBytes)]]);
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
      const contentType = r.body.startsWith('{') ? 'application/json' : 'text/plain';
      const length = String(body.length);
      const lines = headerLines([['content-type', contentType], ['content-length', length]]);
      const trailingLines = r.errorType ? headerLines([['x-amzn-ErrorType', r.errorType]]) : '';
      c = { status: r.status, body, length, contentType, errorType: r.errorType, lines, trailingLines };
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

  /** The request-id header lines (raw-head.ts): the ids are hex and base64url, nothing to check. */
  private idLines(ids: RequestIds): string {
    const kind = this.kind;
    if (kind === 'http') return 'apigw-requestid: ' + ids.shortId + '\r\n';
    if (kind === 'rest') return 'x-amzn-RequestId: ' + ids.requestId + '\r\nx-amz-apigw-id: ' + ids.shortId + '\r\n';
    return 'x-amzn-RequestId: ' + ids.requestId + '\r\n';
  }

  // Off raw-head's path, headers go to writeHead as one flat [name, value, …] list: no object to build.
  sendCanned(res: ServerResponse, answer: GatewayAnswer, ids: RequestIds = newIds()): number {
    const c = this.cannedFor(answer);
    if (res.headersSent || res.destroyed) return 0;
    if (writeRawHead(res, c.status, c.lines + this.idLines(ids) + c.trailingLines)) {
      res.end(c.body);
      return c.body.length;
    }
    const headers = ['content-type', c.contentType, 'content-length', c.length];
    this.pushIdHeaders(headers, ids);
    if (c.errorType) headers.push('x-amzn-ErrorType', c.errorType);
    res.writeHead(c.status, headers);
    res.end(c.body);
    return c.body.length;
  }

  /** The function's response, its framing headers replaced; `r.lines` (the synthetic handler's) skip node's checks. */
  sendFunction(res: ServerResponse, r: MappedResponse, ids: RequestIds): void {
    if (res.headersSent || res.destroyed) return;
    const { status, body } = r;
    if (r.lines !== undefined && writeRawHead(res, status, r.lines + this.idLines(ids))) {
      res.end(body);
      return;
    }
    const out: string[] = [];
    for (const [k, v] of r.headers) if (!isFraming(k)) out.push(k, v);
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
