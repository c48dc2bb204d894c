import type { ApiKind } from '../model/api-kind.ts';
import { cannedResponse, type GatewayAnswer } from '../model/gateway-responses.ts';
import type { MappedResponse } from './proxy-response.ts';
import type { ApiReply } from './api-request.ts';
import { headerLines } from './raw-head.ts';
import { newIds, type RequestIds } from './request-ids.ts';

interface Canned {
  status: number;
  body: Buffer;
  /** Its header lines before and after the request ids. */
  lines: string;
  trailingLines: string;
}

/** Framing headers node writes itself; a function's own would contradict it. */
function isFraming(name: string): boolean {
  const key = name.toLowerCase();
  return key === 'content-length' || key === 'transfer-encoding' || key === 'connection';
}

/**
 * The header lines of a function response, checked as node checks headers (throws as writeHead
 * would): its headers without framing ones, and its content-length. The synthetic handler's are
 * made once (lambda-runtime.ts).
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
      const lines = headerLines([['content-type', contentType], ['content-length', String(body.length)]]);
      const trailingLines = r.errorType ? headerLines([['x-amzn-ErrorType', r.errorType]]) : '';
      c = { status: r.status, body, lines, trailingLines };
      this.canned.set(answer, c);
    }
    return c;
  }

  /** The request-id header lines: REST x-amzn-RequestId + x-amz-apigw-id, HTTP APIs apigw-requestid, function URLs x-amzn-RequestId (hex and base64url: nothing to check). */
  private idLines(ids: RequestIds): string {
    const kind = this.kind;
    if (kind === 'http') return 'apigw-requestid: ' + ids.shortId + '\r\n';
    if (kind === 'rest') return 'x-amzn-RequestId: ' + ids.requestId + '\r\nx-amz-apigw-id: ' + ids.shortId + '\r\n';
    return 'x-amzn-RequestId: ' + ids.requestId + '\r\n';
  }

  /** Sends API Gateway's own answer: the body bytes sent (0 when the client is gone or answered). */
  sendCanned(reply: ApiReply, answer: GatewayAnswer, ids: RequestIds = newIds()): number {
    const c = this.cannedFor(answer);
    if (!reply.open) return 0;
    reply.send(c.status, c.lines, this.idLines(ids) + c.trailingLines, c.body);
    return c.body.length;
  }

  /** The function's response, its framing headers replaced; `r.lines` (the synthetic handler's) are checked already. */
  sendFunction(reply: ApiReply, r: MappedResponse, ids: RequestIds): void {
    if (!reply.open) return;
    // a real handler's headers are checked here, as writeHead checks them (and throws as it does)
    const lines = r.lines ?? functionHeaderLines(r.headers, r.body.length);
    reply.send(r.status, lines, this.idLines(ids), r.body);
  }

  sendJson(reply: ApiReply, status: number, value: unknown): void {
    const body = Buffer.from(JSON.stringify(value, null, 2));
    reply.send(status, `content-type: application/json\r\ncontent-length: ${body.length}\r\n`, '', body);
  }
}
