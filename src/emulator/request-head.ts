/**
 * The lean front's request-head parser: reads a plain HTTP/1.x request head where it lies in the
 * read buffer, and says "unusual" to anything it does not fully understand, which then goes to
 * node:http (lean-front.ts) — so it never has to be as complete as node's llhttp, only never
 * wrong about what it accepts.
 *
 * Accepted: `GET|POST|PUT|DELETE|PATCH|OPTIONS /origin-form HTTP/1.1|HTTP/1.0`, CRLF line ends,
 * header names of token characters followed at once by ":", values of visible ASCII, spaces and
 * tabs, at most one Content-Length of digits, Connection "close"/"keep-alive", a Host on HTTP/1.1
 * (node answers 400 without one), the whole head within MAX_LEAN_HEAD bytes. Unusual: anything
 * else, and Transfer-Encoding, Expect, Upgrade, HEAD (no body in its answer), absolute-form and
 * `*` targets, obs-folds, bytes outside ASCII.
 */

/** What the front needs of a head: the request line, its framing, and the four headers it reads. */
export interface RequestHead {
  method: string;
  url: string;
  http10: boolean;
  keepAlive: boolean;
  /** 0 when absent. */
  contentLength: number;
  cohort: string | undefined;
  role: string | undefined;
  apiKey: string | undefined;
  forwardedFor: string | undefined;
  /** The previous head's texts, read into the same object: a flood repeats them, and the same bytes need no new string. */
  readonly last: HeadTexts;
}

export type HeadTexts = { url: string; cohort: string | undefined; role: string | undefined; apiKey: string | undefined; forwardedFor: string | undefined };

/** A RequestHead to read heads into, one per connection. */
export function emptyHead(): RequestHead {
  const texts = (): HeadTexts => ({ url: '', cohort: undefined, role: undefined, apiKey: undefined, forwardedFor: undefined });
  return { method: '', http10: false, keepAlive: true, contentLength: 0, ...texts(), last: texts() };
}

/** The head has not all arrived yet (and what did could be a plain head). */
export const HEAD_INCOMPLETE = 0;
/** Not for the lean front: node:http gets the connection. */
export const HEAD_UNUSUAL = -1;

/** Far below node's 16 KiB header limit, so that node's 431 stays node's to give. */
export const MAX_LEAN_HEAD = 8 * 1024;
// node's default maxHeadersCount: it ignores headers past it, so such heads go to node
const MAX_HEADERS = 2000;

const CR = 0x0d;
const LF = 0x0a;
const SP = 0x20;
const HT = 0x09;
const COLON = 0x3a;
const CRLFCRLF = Buffer.from('\r\n\r\n', 'latin1');

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];
const METHOD_BYTES = METHODS.map((m) => Buffer.from(m, 'latin1'));

// RFC 9110 token characters (header names)
const TOKEN = new Uint8Array(256);
for (const c of "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") TOKEN[c.charCodeAt(0)] = 1;

const lower = (s: string) => Buffer.from(s, 'latin1');
const HOST = lower('host');
const EXPECT = lower('expect');
const UPGRADE = lower('upgrade');
const X_API_KEY = lower('x-api-key');
const CONNECTION = lower('connection');
const ROLE = lower('x-dowsim-role');
const CONTENT_LENGTH = lower('content-length');
const COHORT = lower('x-dowsim-cohort');
const FORWARDED_FOR = lower('x-forwarded-for');
const TRANSFER_ENCODING = lower('transfer-encoding');
const CLOSE = lower('close');
const KEEP_ALIVE = lower('keep-alive');

/** Whether buf[at, at + word.length) is `word` (lower case) in any case; `word` holds letters and "-" only. */
function isWord(buf: Buffer, at: number, len: number, word: Buffer): boolean {
  if (len !== word.length) return false;
  for (let k = 0; k < len; k++) if ((buf[at + k] | 0x20) !== word[k]) return false;
  return true;
}

/** The method at buf[start, end) as one of METHODS' own strings, or undefined. */
function methodAt(buf: Buffer, start: number, end: number): string | undefined {
  const len = end - start;
  for (let m = 0; m < METHOD_BYTES.length; m++) {
    const bytes = METHOD_BYTES[m];
    if (bytes.length !== len) continue;
    let k = 0;
    while (k < len && buf[start + k] === bytes[k]) k++;
    if (k === len) return METHODS[m];
  }
  return undefined;
}

/**
 * Reads the head that starts at `start` in buf (up to buf.length) into `out`: answers where the
 * head ends (the index after its blank line), HEAD_INCOMPLETE or HEAD_UNUSUAL.
 */
export function parseHead(buf: Buffer, start: number, out: RequestHead): number {
  const blank = buf.indexOf(CRLFCRLF, start);
  if (blank < 0) return plausibleStart(buf, start) ? HEAD_INCOMPLETE : HEAD_UNUSUAL;
  const end = blank + 4;
  if (end - start > MAX_LEAN_HEAD) return HEAD_UNUSUAL;

  // request line: METHOD SP /target SP HTTP/1.x CRLF
  let p = start;
  while (p < blank && buf[p] >= 0x41 && buf[p] <= 0x5a) p++;
  const method = methodAt(buf, start, p);
  if (method === undefined || buf[p] !== SP || buf[p + 1] !== 0x2f) return HEAD_UNUSUAL;
  const target = p + 1;
  p = target;
  while (buf[p] > SP && buf[p] < 0x7f) p++;
  const version = p + 1;
  if (buf[p] !== SP || !isVersion(buf, version) || version + 10 > blank + 2) return HEAD_UNUSUAL;
  const http10 = buf[version + 7] === 0x30;
  const prev = out.last;
  prev.url = out.url;
  prev.cohort = out.cohort;
  prev.role = out.role;
  prev.apiKey = out.apiKey;
  prev.forwardedFor = out.forwardedFor;
  out.method = method;
  out.url = textAt(prev.url, buf, target, p);
  out.http10 = http10;
  out.contentLength = 0;
  out.cohort = out.role = out.apiKey = out.forwardedFor = undefined;
  return readHeaders(buf, version + 10, blank, out, prev) ? end : HEAD_UNUSUAL;
}

/** "HTTP/1.1\r\n" or "HTTP/1.0\r\n" at `at`. */
function isVersion(buf: Buffer, at: number): boolean {
  return (
    buf[at] === 0x48 && buf[at + 1] === 0x54 && buf[at + 2] === 0x54 && buf[at + 3] === 0x50 && buf[at + 4] === 0x2f &&
    buf[at + 5] === 0x31 && buf[at + 6] === 0x2e && (buf[at + 7] === 0x31 || buf[at + 7] === 0x30) && buf[at + 8] === CR && buf[at + 9] === LF
  );
}

/** The header lines from `line` to the blank line at `blank`, into `out`; false: unusual. */
function readHeaders(buf: Buffer, line: number, blank: number, out: RequestHead, prev: HeadTexts): boolean {
  let hasHost = false;
  let hasLength = false;
  let close = false;
  let keepAlive = false;
  let count = 0;
  while (line < blank + 2) {
    if (++count > MAX_HEADERS) return false;
    let n = line;
    while (TOKEN[buf[n]] === 1) n++;
    if (n === line || buf[n] !== COLON) return false;
    let v = n + 1;
    while (buf[v] === SP || buf[v] === HT) v++;
    let e = v;
    for (let c = buf[e]; c !== CR; c = buf[++e]) if ((c < SP && c !== HT) || c >= 0x7f) return false;
    if (buf[e + 1] !== LF) return false;
    let ve = e;
    while (ve > v && (buf[ve - 1] === SP || buf[ve - 1] === HT)) ve--;
    const len = n - line;
    switch (len) {
      case 4:
        if (isWord(buf, line, len, HOST)) hasHost = true;
        break;
      case 6:
      case 7:
      case 17:
        if (isWord(buf, line, len, EXPECT) || isWord(buf, line, len, UPGRADE) || isWord(buf, line, len, TRANSFER_ENCODING)) return false;
        break;
      case 9:
        if (isWord(buf, line, len, X_API_KEY)) out.apiKey = joined(out.apiKey, prev.apiKey, buf, v, ve);
        break;
      case 10:
        if (isWord(buf, line, len, CONNECTION)) {
          const tokens = connectionTokens(buf, v, ve);
          if (tokens < 0) return false;
          close ||= (tokens & 1) !== 0;
          keepAlive ||= (tokens & 2) !== 0;
        }
        break;
      case 13:
        if (isWord(buf, line, len, ROLE)) out.role = joined(out.role, prev.role, buf, v, ve);
        break;
      case 14:
        if (isWord(buf, line, len, CONTENT_LENGTH)) {
          if (hasLength) return false;
          hasLength = true;
          out.contentLength = digits(buf, v, ve);
          if (out.contentLength < 0) return false;
        }
        break;
      case 15:
        if (isWord(buf, line, len, COHORT)) out.cohort = joined(out.cohort, prev.cohort, buf, v, ve);
        else if (isWord(buf, line, len, FORWARDED_FOR)) out.forwardedFor = joined(out.forwardedFor, prev.forwardedFor, buf, v, ve);
        break;
    }
    line = e + 2;
  }
  if (!out.http10 && !hasHost) return false;
  out.keepAlive = out.http10 ? keepAlive && !close : !close;
  return true;
}

/** A header's value after `sofar` (this head's earlier ones, joined as node:http joins repeats); `last`: the previous head's. */
function joined(sofar: string | undefined, last: string | undefined, buf: Buffer, from: number, to: number): string {
  if (sofar === undefined) return textAt(last, buf, from, to);
  return `${sofar}, ${buf.toString('latin1', from, to)}`;
}

/** buf[from, to) as a string: `known` itself when it holds those very bytes. */
function textAt(known: string | undefined, buf: Buffer, from: number, to: number): string {
  if (known !== undefined && known.length === to - from) {
    let i = 0;
    while (i < known.length && known.charCodeAt(i) === buf[from + i]) i++;
    if (i === known.length) return known;
  }
  return buf.toString('latin1', from, to);
}

/** A Content-Length value: its digits (at most 15, an exact double), or -1. */
function digits(buf: Buffer, from: number, to: number): number {
  if (to <= from || to - from > 15) return -1;
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = buf[i] - 0x30;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** A Connection value's tokens: bit 1 close, bit 2 keep-alive; -1 for any other token. */
function connectionTokens(buf: Buffer, from: number, to: number): number {
  let bits = 0;
  let i = from;
  while (i < to) {
    while (i < to && (buf[i] === SP || buf[i] === HT)) i++;
    let j = i;
    while (j < to && buf[j] !== 0x2c) j++;
    let k = j;
    while (k > i && (buf[k - 1] === SP || buf[k - 1] === HT)) k--;
    if (isWord(buf, i, k - i, CLOSE)) bits |= 1;
    else if (isWord(buf, i, k - i, KEEP_ALIVE)) bits |= 2;
    else return -1;
    i = j + 1;
  }
  return bits;
}

/**
 * Whether the start of a head still arriving may be a plain one (an upper-case letter first, only
 * text and CRLF line ends, within MAX_LEAN_HEAD); anything else is node's to answer at once — a
 * TLS hello or bare-LF lines, say, wait for no CRLF blank line.
 */
function plausibleStart(buf: Buffer, start: number): boolean {
  if (buf.length - start > MAX_LEAN_HEAD || buf[start] < 0x41 || buf[start] > 0x5a) return false;
  for (let i = start; i < buf.length; i++) {
    const c = buf[i];
    if (c === LF ? buf[i - 1] !== CR : c === CR ? i + 1 < buf.length && buf[i + 1] !== LF : (c < SP && c !== HT) || c >= 0x7f) return false;
  }
  return true;
}
