import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/*
 * A CloudWatch endpoint in front of the emulator's: it forwards every AWS JSON 1.0 request to the
 * emulator unchanged, except that it can (a) answer the first N requests the way CloudWatch does
 * when it throttles — HTTP 400, `x-amzn-query-error: Throttling;Sender` for the SDK's
 * query-compatible client, "Rate exceeded" — or with a 503 InternalFailure, and (b) ask the emulator
 * for small pages (MaxDatapoints) so that NextToken pagination happens on a small window.
 */
export interface ProxyOptions {
  target: string; // the emulator's cloudwatchUrl
  throttleFirst?: number;
  failFirst?: number; // 503 InternalFailure
  maxDatapoints?: number;
}

export interface CloudWatchProxy {
  url: string;
  /** Requests received (throttled ones included), with their x-amz-target. */
  targets: string[];
  forwarded: number;
  close(): Promise<void>;
}

export async function startCloudWatchProxy(opts: ProxyOptions): Promise<CloudWatchProxy> {
  let throttles = opts.throttleFirst ?? 0;
  let failures = opts.failFirst ?? 0;
  const state = { targets: [] as string[], forwarded: 0 };
  const target = new URL(opts.target);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks)));
  });

  function handle(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    state.targets.push(String(req.headers['x-amz-target'] ?? ''));
    if (throttles > 0) {
      throttles--;
      return sendError(res, 400, 'Throttling', 'Throttling;Sender', 'Rate exceeded');
    }
    if (failures > 0) {
      failures--;
      return sendError(res, 503, 'InternalFailure', 'InternalFailure;Receiver', 'The request processing has failed because of an unknown error.');
    }
    let out = body;
    if (opts.maxDatapoints !== undefined && body.length > 0) {
      const input = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      input.MaxDatapoints = opts.maxDatapoints;
      out = Buffer.from(JSON.stringify(input));
    }
    const headers = { ...req.headers, host: target.host, 'content-length': String(out.length) };
    const fwd = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (up) => {
      state.forwarded++;
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    fwd.on('error', (err) => sendError(res, 502, 'InternalFailure', 'InternalFailure;Receiver', err.message));
    fwd.end(out);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    get targets() {
      return state.targets;
    },
    get forwarded() {
      return state.forwarded;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function sendError(res: ServerResponse, status: number, type: string, queryError: string, message: string): void {
  const text = JSON.stringify({ __type: type, message });
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': Buffer.byteLength(text),
    'x-amzn-query-error': queryError,
    'x-amzn-requestid': globalThis.crypto.randomUUID(),
  });
  res.end(text);
}
