import { dateLine, statusLine } from './raw-head.ts';

/**
 * An answer of the lean front on the wire: its head and body in one Buffer, for one write. The
 * head is copied from pieces kept as bytes, not joined into one string: joining a dozen strings
 * and flattening the join to write it cost more than copying the pieces. Header values are
 * latin1 by node's own rule (validateHeaderValue).
 */

/** "Connection: close" and the blank line. */
export const CLOSE_END = Buffer.from('Connection: close\r\n\r\n', 'latin1');

/** Buffer's own latin1 writer (node's Buffer.write calls it): no encoding lookup per piece. */
type Latin1Buffer = Buffer & { latin1Write(s: string, offset: number): number };

// the head lines answers share (status lines, canned answers', the synthetic function's), as
// bytes kept by their text; a real handler's may differ every time, so the few kept start over
// when full
const lineBytes = new Map<string, Buffer>();
const MAX_KEPT_LINES = 64;

function bytesOf(s: string): Buffer {
  let b = lineBytes.get(s);
  if (b === undefined) {
    if (lineBytes.size >= MAX_KEPT_LINES) lineBytes.clear();
    b = Buffer.from(s, 'latin1');
    lineBytes.set(s, b);
  }
  return b;
}

// the Date line changes once a second: its bytes are the last one's
let lastDate = '';
let lastDateBytes = Buffer.alloc(0);

function dateBytes(): Buffer {
  const d = dateLine();
  if (d !== lastDate) {
    lastDate = d;
    lastDateBytes = Buffer.from(d, 'latin1');
  }
  return lastDateBytes;
}

/** 1xx, 204 and 304 answers carry no body (node drops one given). */
function hasBody(status: number): boolean {
  return status >= 200 && status !== 204 && status !== 304;
}

/**
 * The status line, `lines` (the header lines many answers share), `more` (the request's own),
 * Date, `end` (connection lines and the blank line), then `body` unless the status has none.
 */
export function answerBytes(status: number, lines: string, more: string, body: Buffer, end: Buffer): Buffer {
  const start = bytesOf(statusLine(status));
  const shared = bytesOf(lines);
  const date = dateBytes();
  const bodyBytes = hasBody(status) ? body.length : 0;
  const headBytes = start.length + shared.length + more.length + date.length + end.length;
  const out = Buffer.allocUnsafe(headBytes + bodyBytes) as Latin1Buffer;
  out.set(start, 0);
  let o = start.length;
  out.set(shared, o);
  o += shared.length;
  o += out.latin1Write(more, o);
  out.set(date, o);
  out.set(end, o + date.length);
  if (bodyBytes > 0) out.set(body, headBytes);
  return out;
}
