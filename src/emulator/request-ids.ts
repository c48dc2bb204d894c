import { randomBytes } from 'node:crypto';

/** A request's ids: the UUID (x-amzn-RequestId, awsRequestId) and API Gateway's short id. */
export interface RequestIds {
  requestId: string;
  shortId: string;
}

// Every request of a flood needs both ids, so neither may cost a random draw: a random
// per-process prefix and a counter from a random start make unique ids of AWS's shapes — the
// UUID a version-4 one ("xxxxxxxx-xxxx-4xxx-[89ab]xxx-" + 12 hex digits), the short id 15
// base64url characters and "=" (x-amz-apigw-id, apigw-requestid). The counter's 48 bits are
// written as four 12-bit chunks, each one table lookup: 3 hex digits, or 2 base64 characters.
const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const HEX3: string[] = [];
const B64_2: string[] = [];
for (let i = 0; i < 4096; i++) {
  HEX3.push(i.toString(16).padStart(3, '0'));
  B64_2.push(ID_ALPHABET[i >> 6] + ID_ALPHABET[i & 63]);
}

const rnd = randomBytes(16);
const hex = rnd.toString('hex');
const UUID_PREFIX = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${'89ab'[rnd[8] & 3]}${hex.slice(17, 20)}-`;
const SHORT_PREFIX = Array.from(rnd.subarray(9, 16), (b) => ID_ALPHABET[b & 63]).join('');
const COUNTER_SPAN = 2 ** 48;
let idCounter = Math.floor(Math.random() * 2 ** 40);

export function newIds(): RequestIds {
  const n = idCounter++ % COUNTER_SPAN;
  const hi = Math.floor(n / 0x1000000);
  const lo = n % 0x1000000;
  const c3 = hi >>> 12;
  const c2 = hi & 0xfff;
  const c1 = lo >>> 12;
  const c0 = lo & 0xfff;
  return {
    requestId: UUID_PREFIX + HEX3[c3] + HEX3[c2] + HEX3[c1] + HEX3[c0],
    shortId: SHORT_PREFIX + B64_2[c3] + B64_2[c2] + B64_2[c1] + B64_2[c0] + '=',
  };
}
