/**
 * Byte-level pieces of the response parser (response-parser.ts): an HTTP/1.1 head is read where it
 * lies in the read buffer, without making strings of it.
 */

export const CONTENT_LENGTH = ascii('content-length');
export const TRANSFER_ENCODING = ascii('transfer-encoding');
export const CONNECTION = ascii('connection');
export const KEEP_ALIVE = ascii('keep-alive');
export const CHUNKED = ascii('chunked');
export const CLOSE = ascii('close');
export const TIMEOUT = ascii('timeout=');

function ascii(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

/** Header line buf[p, stop) as its lower-case name and trimmed value; a line without a colon is skipped. */
export function pushHeader(raw: string[], buf: Buffer, p: number, stop: number): void {
  let colon = p;
  while (colon < stop && buf[colon] !== 0x3a) colon++;
  if (colon > p && colon < stop) raw.push(buf.toString('latin1', p, colon).toLowerCase(), buf.toString('latin1', colon + 1, stop).trim());
}

/** The status of "HTTP/1.x NNN …"; anything else is not an answer we can read. */
export function statusOf(buf: Buffer, start: number, end: number): number {
  const d0 = buf[start + 9] - 0x30;
  const d1 = buf[start + 10] - 0x30;
  const d2 = buf[start + 11] - 0x30;
  const ok = end - start >= 12 && buf[start] === 0x48 && buf[start + 4] === 0x2f && buf[start + 5] === 0x31 && buf[start + 8] === 0x20;
  if (!ok || !(d0 >= 0 && d0 <= 9 && d1 >= 0 && d1 <= 9 && d2 >= 0 && d2 <= 9)) {
    throw new Error(`not an HTTP/1.x status line: ${JSON.stringify(buf.toString('latin1', start, Math.min(end, start + 40)))}`);
  }
  return d0 * 100 + d1 * 10 + d2;
}

/** Whether the header name at `at` is `name` (lower case), in any case. */
export function nameIs(buf: Buffer, at: number, name: Uint8Array): boolean {
  for (let k = 0; k < name.length; k++) if ((buf[at + k] | 0x20) !== name[k]) return false;
  return true;
}

/** Where `word` (lower case) first occurs in buf[from, to), in any case, or -1. */
export function find(buf: Buffer, from: number, to: number, word: Uint8Array): number {
  const first = word[0];
  for (let i = from; i + word.length <= to; i++) if ((buf[i] | 0x20) === first && nameIs(buf, i, word)) return i;
  return -1;
}

/** The decimal number after optional blanks at buf[from, to), or -1 when there is none. */
export function digitsAt(buf: Buffer, from: number, to: number): number {
  let i = from;
  while (i < to && (buf[i] === 0x20 || buf[i] === 0x09)) i++;
  let v = -1;
  for (; i < to; i++) {
    const d = buf[i] - 0x30;
    if (d < 0 || d > 9) break;
    v = v < 0 ? d : v * 10 + d;
  }
  return v;
}
