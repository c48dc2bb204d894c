/**
 * Response → outcome (DESIGN.md "Outcomes"), shared by the Node driver and the k6 helper, so that
 * client-side counts and server-side counts speak one vocabulary. Dependency-free on purpose: the
 * k6 script bundles it, and k6 is not Node.
 */

export type ApiKindForClassify = 'rest' | 'http' | 'function-url';

export type ClassifiedOutcome =
  | 'wafBlocked'
  | 'authRejected'
  | 'gatewayThrottled'
  | 'quotaExceeded'
  | 'lambdaThrottled'
  | 'succeeded'
  | 'failed'
  | 'timedOut';

export interface ResponseFacts {
  status: number;
  /** The start of the body as text (a few hundred bytes are plenty); '' when not read. */
  body?: string;
  /** Response headers, names in any case; values as the driver / node:http / k6 hand them over. */
  headers?: Record<string, string | string[] | undefined>;
  apiKind: ApiKindForClassify;
  /**
   * What an unmarked 403 "Forbidden" stands for. By default a rejected key; but where the request
   * cannot be rejected for its key (the API checks none, or the client holds a valid one) and a WAF
   * sits in front, a plain 403 can only be WAF's — AWS words both the same.
   */
  plainForbidden?: 'wafBlocked' | 'authRejected';
}

/** Which status codes need their body read to be classified (others are decided by status alone). */
export function bodyMatters(status: number): boolean {
  return status === 429 || status === 403 || status === 500;
}

/** What outcome a response stands for, from the client's side. */
export function classifyResponse(r: ResponseFacts): ClassifiedOutcome {
  const { status } = r;
  if (status === 429) {
    // Quota exhaustion is the one 429 API Gateway words differently ("Limit Exceeded").
    if (/limit exceeded/i.test(r.body ?? '') || /quota/i.test(errorType(r.headers))) return 'quotaExceeded';
    // A function URL has no gateway: its only 429 is Lambda's own concurrency throttle.
    return r.apiKind === 'function-url' ? 'lambdaThrottled' : 'gatewayThrottled';
  }
  if (status === 403) {
    if (isWafBlock(r)) return 'wafBlocked';
    // An unknown route (REST: "Missing Authentication Token") is never WAF's doing.
    if (/missing authentication token/i.test(r.body ?? '')) return 'authRejected';
    return r.plainForbidden ?? 'authRejected';
  }
  if (status === 500) {
    // API Gateway turns a throttled Lambda invocation into this exact 500; a handler's own 500 is its answer.
    if (r.apiKind !== 'function-url' && /internal server error/i.test(r.body ?? '')) return 'lambdaThrottled';
    return 'succeeded';
  }
  if (status === 502) return 'failed';
  if (status === 504 || status === 503) return 'timedOut';
  return 'succeeded';
}

function isWafBlock(r: ResponseFacts): boolean {
  // AWS's default WAF block is a plain 403 "Forbidden", like a missing key. What tells it apart: an
  // error type naming WAF, or a header AWS WAF itself adds — custom response headers of a WAF rule
  // always come out prefixed `x-amzn-waf-` (and challenge/captcha answers carry x-amzn-waf-action).
  if (/waf/i.test(errorType(r.headers))) return true;
  if (r.headers) for (const k of Object.keys(r.headers)) if (k.length > 11 && k.toLowerCase().startsWith('x-amzn-waf-')) return true;
  return /\bwaf\b|request blocked/i.test(r.body ?? '');
}

function errorType(headers: ResponseFacts['headers']): string {
  return header(headers, 'x-amzn-errortype') ?? '';
}

function header(headers: ResponseFacts['headers'], name: string): string | undefined {
  if (!headers) return undefined;
  let v = headers[name];
  if (v === undefined) {
    for (const k of Object.keys(headers)) {
      if (k.toLowerCase() === name) {
        v = headers[k];
        break;
      }
    }
  }
  if (Array.isArray(v)) return v.join(',');
  return v;
}
