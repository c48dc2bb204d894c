/** The HTTP response a proxy integration's result turns into. */
export interface MappedResponse {
  status: number;
  headers: [string, string][];
  body: Buffer;
  /** Checked header lines for it (framing ones replaced), when the emulator made it itself: response-writer.ts. */
  lines?: string;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function statusOf(x: unknown): number | undefined {
  const n = typeof x === 'string' ? Number(x) : x;
  return typeof n === 'number' && Number.isInteger(n) && n >= 100 && n <= 599 ? n : undefined;
}

function fromProxyObject(r: Record<string, unknown>, withCookies: boolean): MappedResponse | undefined {
  const status = statusOf(r.statusCode);
  if (status === undefined) return undefined;
  const headers: [string, string][] = [];
  const seen = new Set<string>();
  if (r.multiValueHeaders !== undefined && r.multiValueHeaders !== null) {
    if (!isObject(r.multiValueHeaders)) return undefined;
    for (const [k, vs] of Object.entries(r.multiValueHeaders)) {
      if (!Array.isArray(vs)) return undefined;
      for (const v of vs) headers.push([k, String(v)]);
      seen.add(k.toLowerCase());
    }
  }
  if (r.headers !== undefined && r.headers !== null) {
    if (!isObject(r.headers)) return undefined;
    for (const [k, v] of Object.entries(r.headers)) if (!seen.has(k.toLowerCase())) headers.push([k, String(v)]);
  }
  if (withCookies && Array.isArray(r.cookies)) for (const c of r.cookies) headers.push(['set-cookie', String(c)]);
  if (r.body !== undefined && r.body !== null && typeof r.body !== 'string') return undefined;
  const text = (r.body as string | null | undefined) ?? '';
  const body = r.isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
  return { status, headers, body };
}

/**
 * A REST API's mapping of a Lambda proxy result (payload 1.0): it must be an object with a
 * `statusCode`, optional `headers`/`multiValueHeaders`, a string `body` and `isBase64Encoded`.
 * Anything else is a malformed proxy response (undefined here; the client gets a 502).
 */
export function mapResponseV1(result: unknown): MappedResponse | undefined {
  return isObject(result) ? fromProxyObject(result, false) : undefined;
}

/**
 * Payload 2.0 (HTTP APIs, function URLs): the same object plus `cookies`; and when the result has
 * no `statusCode`, API Gateway assumes 200, `content-type: application/json` and the whole
 * result, serialized, as the body (http-api-develop-integrations-lambda).
 */
export function mapResponseV2(result: unknown): MappedResponse | undefined {
  if (isObject(result) && 'statusCode' in result) return fromProxyObject(result, true);
  const text = JSON.stringify(result === undefined ? null : result);
  return { status: 200, headers: [['content-type', 'application/json']], body: Buffer.from(text, 'utf8') };
}
