import { describe, expect, it } from 'vitest';
import { classifyResponse } from '../../src/load/classify.ts';
import { cannedResponse } from '../../src/model/gateway-responses.ts';
import type { Outcome } from '../../src/model/outcomes.ts';

describe('classifyResponse', () => {
  // API Gateway's own wording (aws-facts.md; the emulator's canned answers carry the same text)
  it.each([
    [429, '{"message":"Too Many Requests"}', 'rest', 'gatewayThrottled'],
    [429, '{"message":"Limit Exceeded"}', 'rest', 'quotaExceeded'],
    [403, '{"message":"Forbidden"}', 'rest', 'authRejected'],
    [403, '{"message":"Missing Authentication Token"}', 'rest', 'authRejected'],
    [500, '{"message": "Internal server error"}', 'rest', 'lambdaThrottled'],
    [500, '{"message":"Internal Server Error"}', 'http', 'lambdaThrottled'],
    [502, '{"message": "Internal server error"}', 'rest', 'failed'],
    [504, '{"message": "Endpoint request timed out"}', 'rest', 'timedOut'],
    [503, '{"message":"Service Unavailable"}', 'http', 'timedOut'],
    [429, '{"Reason":"ReservedFunctionConcurrentInvocationLimitExceeded","Type":"User","message":"Rate Exceeded."}', 'function-url', 'lambdaThrottled'],
    [200, '{"ok":true}', 'rest', 'succeeded'],
    [404, '{"error":"no such item"}', 'rest', 'succeeded'],
    [500, '{"error":"my handler said so"}', 'rest', 'succeeded'],
  ] as const)('%i %s on %s → %s', (status, body, apiKind, outcome) => {
    expect(classifyResponse({ status, body, apiKind })).toBe(outcome);
  });

  it('reads an HTTP API\'s 404 {"message":"Not Found"} as the gateway rejecting an unknown route; a handler\'s own 404 is its answer', () => {
    // aws-facts.md: HTTP API unknown routes answer 404 {"message":"Not Found"}
    expect(classifyResponse({ status: 404, apiKind: 'http', body: '{"message":"Not Found"}' })).toBe('authRejected');
    expect(classifyResponse({ status: 404, apiKind: 'http', body: 'Not Found' })).toBe('authRejected'); // a k6 hint's message
    expect(classifyResponse({ status: 404, apiKind: 'http', body: '{"error":"no such order"}' })).toBe('succeeded');
    expect(classifyResponse({ status: 404, apiKind: 'rest', body: '{"message":"Not Found"}' })).toBe('succeeded');
  });

  it('tells a WAF block from a rejected key by the headers AWS WAF adds', () => {
    expect(classifyResponse({ status: 403, body: '{"message":"Forbidden"}', headers: { 'x-amzn-waf-action': 'block' }, apiKind: 'rest' })).toBe('wafBlocked');
    expect(classifyResponse({ status: 403, body: 'blocked', headers: { 'X-Amzn-Waf-Blocked': 'yes' }, apiKind: 'rest' })).toBe('wafBlocked');
    expect(classifyResponse({ status: 403, body: '{"message":"Forbidden"}', headers: { 'x-amzn-ErrorType': 'WAFFilteredException' }, apiKind: 'rest' })).toBe('wafBlocked');
  });

  it('reads a plain 403 as WAF only where the request cannot be rejected for its key', () => {
    const plain = { status: 403, body: '{"message":"Forbidden"}', headers: { 'x-amzn-ErrorType': 'ForbiddenException' }, apiKind: 'rest' as const };
    expect(classifyResponse(plain)).toBe('authRejected');
    expect(classifyResponse({ ...plain, plainForbidden: 'wafBlocked' })).toBe('wafBlocked');
    expect(classifyResponse({ ...plain, body: '{"message":"Missing Authentication Token"}', plainForbidden: 'wafBlocked' })).toBe('authRejected');
  });

  it("agrees with every answer the emulator sends for the gateway's own outcomes", () => {
    const cases: [Parameters<typeof cannedResponse>[0], Parameters<typeof cannedResponse>[1], Outcome][] = [
      ['rest', 'gatewayThrottled', 'gatewayThrottled'],
      ['rest', 'quotaExceeded', 'quotaExceeded'],
      ['rest', 'authRejected', 'authRejected'],
      ['rest', 'lambdaThrottled', 'lambdaThrottled'],
      ['rest', 'failed', 'failed'],
      ['rest', 'timedOut', 'timedOut'],
      ['http', 'gatewayThrottled', 'gatewayThrottled'],
      ['http', 'timedOut', 'timedOut'],
      ['function-url', 'lambdaThrottled', 'lambdaThrottled'],
    ];
    for (const [kind, answer, outcome] of cases) {
      const c = cannedResponse(kind, answer);
      const headers = c.errorType ? { 'x-amzn-ErrorType': c.errorType } : {};
      expect(classifyResponse({ status: c.status, body: c.body, headers, apiKind: kind }), `${kind} ${answer}`).toBe(outcome);
    }
  });
});
