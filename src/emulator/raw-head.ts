import { STATUS_CODES, validateHeaderName, validateHeaderValue, type ServerResponse } from 'node:http';

/**
 * Response heads without node's per-header checks, for the headers the emulator composes itself,
 * on node:http's path (the connections the lean front hands over: lean-front.ts); the status and
 * Date lines are the lean front's too.
 *
 * `writeHead` runs two regular expressions over every header name and value it is handed; with
 * the per-request ids that is about a microsecond a response. The emulator's own headers are checked once, when their lines
 * are built (`headerLines`); its ids are hex and base64url by construction. `writeRawHead` then
 * hands node the very head `writeHead` would have stored (status line, these lines, Date, the
 * keep-alive lines), and node sends it before the body as its own. Only on the common path — a
 * keep-alive response with a body, nothing else set on it; anywhere else it declines and the
 * caller uses `writeHead`. test/emulator/raw-head.test.ts compares both on the wire.
 */

/** What of node's OutgoingMessage this relies on (stable since node 0.x; absent: never the fast path). */
interface NodeResponse {
  _header: string | null | undefined;
  _headerSent: boolean;
  _keepAliveTimeout?: number;
  _maxRequestsPerSocket?: number;
  shouldKeepAlive: boolean;
  maxRequestsOnConnectionReached?: boolean;
  sendDate: boolean;
  statusCode: number;
  statusMessage: string;
}

/** "name: value\r\n" lines, checked the way node checks each header (throws as writeHead would). */
export function headerLines(pairs: readonly (readonly [string, string])[]): string {
  let out = '';
  for (const [name, value] of pairs) {
    validateHeaderName(name);
    validateHeaderValue(name, value);
    out += `${name}: ${value}\r\n`;
  }
  return out;
}

let utcDate: string | undefined;

/** node's Date header line, refreshed the way node refreshes its own (once a second, on a timer). */
export function dateLine(): string {
  if (utcDate === undefined) {
    const d = new Date();
    utcDate = `Date: ${d.toUTCString()}\r\n`;
    setTimeout(() => (utcDate = undefined), 1000 - d.getMilliseconds()).unref();
  }
  return utcDate;
}

const statusLines = new Map<number, string>();

/** "HTTP/1.1 200 OK\r\n": node's status line for `status`. */
export function statusLine(status: number): string {
  let line = statusLines.get(status);
  if (line === undefined) {
    line = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'unknown'}\r\n`;
    statusLines.set(status, line);
  }
  return line;
}

let keepAliveMs = -1;
let keepAliveLines = '';

/**
 * Stores the head of a `status` response whose header lines are `lines` (from `headerLines`,
 * plus lines of characters node accepts; a content-length among them) on `res`, exactly as
 * `res.writeHead` would; false (and nothing done) off the common path.
 */
export function writeRawHead(res: ServerResponse, status: number, lines: string): boolean {
  const r = res as unknown as NodeResponse;
  // 1xx, 204 and 304 have no body; a closing connection, a server cap on requests per socket
  // (node adds "max=" then) or a head node already stored take node's own path
  if (r._header !== null || status < 200 || status === 204 || status === 304 || !r.shouldKeepAlive || !r.sendDate) return false;
  if (r.maxRequestsOnConnectionReached || (r._maxRequestsPerSocket ?? 0) > 0) return false;
  const timeout = r._keepAliveTimeout ?? 0;
  if (timeout !== keepAliveMs) {
    keepAliveMs = timeout;
    keepAliveLines = `Connection: keep-alive\r\n${timeout ? `Keep-Alive: timeout=${Math.floor(timeout / 1000)}\r\n` : ''}`;
  }
  r.statusCode = status;
  r.statusMessage = STATUS_CODES[status] ?? 'unknown';
  r._header = statusLine(status) + lines + dateLine() + keepAliveLines + '\r\n';
  r._headerSent = false;
  return true;
}
