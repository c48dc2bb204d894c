import { randomUUID } from 'node:crypto';

/** A request's ids: the UUID (x-amzn-RequestId, awsRequestId) and API Gateway's short id. */
export interface RequestIds {
  requestId: string;
  shortId: string;
}

// API Gateway's short ids (x-amz-apigw-id, apigw-requestid) look like 15 base64 characters and
// "=": a random per-process prefix and a counter make unique ones at the cost of a string concat
const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const ID_PREFIX = Array.from({ length: 7 }, () => ID_ALPHABET[Math.floor(Math.random() * 64)]).join('');
let idCounter = Math.floor(Math.random() * 2 ** 40);

export function newIds(): RequestIds {
  let n = idCounter++;
  let tail = '';
  for (let i = 0; i < 8; i++) {
    tail = ID_ALPHABET[n % 64] + tail;
    n = Math.floor(n / 64);
  }
  return { requestId: randomUUID(), shortId: `${ID_PREFIX}${tail}=` };
}
