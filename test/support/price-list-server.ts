import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';

/*
 * A local AWS Price List endpoint speaking the wire protocol @aws-sdk/client-pricing uses
 * (aws-facts.md): AWS JSON 1.1 — POST /, content-type application/x-amz-json-1.1,
 * x-amz-target AWSPriceListService.GetProducts — with TERM_MATCH filters on product attributes,
 * NextToken pagination and `PriceList` as an array of JSON STRINGS, as AWS sends it.
 * It insists on a SigV4 Authorization header like the real service, so the real SDK client (with
 * dummy credentials) is exercised end to end.
 */

/** Items by service code: objects are served as JSON strings; strings are served as they are (malformed on purpose). */
export type PriceListItems = Record<string, (object | string)[]>;

export interface PriceListServerOptions {
  items: PriceListItems;
  /** Items per page at most (AWS's MaxResults cap is 100); default 3, so pagination always happens. */
  pageSize?: number;
  /** Answer the first N requests with a ThrottlingException (HTTP 400), as AWS does. */
  throttleFirst?: number;
  /** Answer every request for these service codes with this error (e.g. AccessDeniedException). */
  failServices?: Record<string, { status: number; type: string; message: string }>;
}

export interface PriceListServer {
  url: string;
  /** Every GetProducts request body received, in order. */
  requests: { serviceCode: string; filters: { Field: string; Value: string }[]; nextToken?: string }[];
  close(): Promise<void>;
}

/** Loads a fixture from test/fixtures/price-list/ (its `_comment` key dropped). */
export function loadPriceListFixture(name: string): PriceListItems {
  const data = JSON.parse(readFileSync(new URL(`../fixtures/price-list/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
  delete data._comment;
  return data as PriceListItems;
}

export async function startPriceListServer(opts: PriceListServerOptions): Promise<PriceListServer> {
  const requests: PriceListServer['requests'] = [];
  const pageSize = opts.pageSize ?? 3;
  let throttlesLeft = opts.throttleFirst ?? 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        answer(req, res, Buffer.concat(chunks).toString('utf8'));
      } catch (err) {
        sendError(res, 500, 'InternalErrorException', (err as Error).message);
      }
    });
  });

  function answer(req: IncomingMessage, res: ServerResponse, body: string): void {
    if (req.method !== 'POST' || req.url !== '/') return sendError(res, 404, 'UnknownOperationException', 'POST / only');
    if (!String(req.headers['content-type'] ?? '').startsWith('application/x-amz-json-1.1')) {
      return sendError(res, 400, 'SerializationException', 'expected application/x-amz-json-1.1');
    }
    if (req.headers['x-amz-target'] !== 'AWSPriceListService.GetProducts') {
      return sendError(res, 400, 'UnknownOperationException', `unknown operation ${String(req.headers['x-amz-target'])}`);
    }
    if (!/^AWS4-HMAC-SHA256 Credential=/.test(String(req.headers.authorization ?? ''))) {
      return sendError(res, 403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
    }
    const input = JSON.parse(body || '{}') as {
      ServiceCode?: string;
      Filters?: { Type: string; Field: string; Value: string }[];
      NextToken?: string;
      MaxResults?: number;
      FormatVersion?: string;
    };
    const serviceCode = input.ServiceCode ?? '';
    const filters = (input.Filters ?? []).map((f) => ({ Field: f.Field, Value: f.Value }));
    requests.push({ serviceCode, filters, ...(input.NextToken ? { nextToken: input.NextToken } : {}) });
    if (throttlesLeft > 0) {
      throttlesLeft--;
      return sendError(res, 400, 'ThrottlingException', 'Rate exceeded');
    }
    const failure = opts.failServices?.[serviceCode];
    if (failure) return sendError(res, failure.status, failure.type, failure.message);
    if (!(serviceCode in opts.items)) return sendError(res, 400, 'NotFoundException', `Service ${serviceCode} not found`);
    if ((input.Filters ?? []).some((f) => f.Type !== 'TERM_MATCH')) {
      return sendError(res, 400, 'InvalidParameterException', 'Only TERM_MATCH filters are supported');
    }
    const matching = opts.items[serviceCode].filter((item) => {
      if (typeof item === 'string') return true; // cannot be filtered: it is what the test wants served
      const attrs = (item as { product?: { attributes?: Record<string, string> } }).product?.attributes ?? {};
      return filters.every((f) => f.Field === 'ServiceCode' ? f.Value === serviceCode : attrs[f.Field] === f.Value);
    });
    const offset = input.NextToken ? Number(Buffer.from(input.NextToken, 'base64').toString('utf8').replace(/^offset:/, '')) : 0;
    if (!Number.isInteger(offset) || offset < 0) return sendError(res, 400, 'InvalidNextTokenException', 'Invalid NextToken');
    const size = Math.min(pageSize, input.MaxResults ?? 100);
    const page = matching.slice(offset, offset + size);
    const out: Record<string, unknown> = {
      FormatVersion: input.FormatVersion ?? 'aws_v1',
      PriceList: page.map((item) => (typeof item === 'string' ? item : JSON.stringify(item))),
    };
    if (offset + size < matching.length) out.NextToken = Buffer.from(`offset:${offset + size}`).toString('base64');
    send(res, 200, out);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': cryptoId(),
  });
  res.end(text);
}

function sendError(res: ServerResponse, status: number, type: string, message: string): void {
  res.setHeader('x-amzn-errortype', `${type}:`);
  send(res, status, { __type: `com.amazonaws.pricing#${type}`, message });
}

function cryptoId(): string {
  return globalThis.crypto.randomUUID();
}
