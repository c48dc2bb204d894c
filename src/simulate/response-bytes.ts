import type { Outcome } from '../model/outcomes.ts';
import type { Stack } from '../stack/types.ts';
import { cannedResponse } from '../model/gateway-responses.ts';

/**
 * Bytes the client receives for each outcome (bodies only; the emulator sends the same ones).
 * `unknownRoute`: the cohort's path matches no route, so its 403s carry the REST "Missing
 * Authentication Token" body (HTTP APIs: 404 "Not Found") rather than "Forbidden".
 */
export function responseBytesByOutcome(stack: Stack, opts: { unknownRoute?: boolean } = {}): Record<Outcome, number> {
  const k = stack.api.kind;
  const len = (a: Parameters<typeof cannedResponse>[1]) => Buffer.byteLength(cannedResponse(k, a).body);
  return {
    wafBlocked: len('wafBlocked'),
    authRejected: len(opts.unknownRoute ? 'unknownRoute' : 'authRejected'),
    gatewayThrottled: len('gatewayThrottled'),
    quotaExceeded: len('quotaExceeded'),
    lambdaThrottled: len('lambdaThrottled'),
    succeeded: stack.responseBytes,
    failed: len('failed'),
    timedOut: len('timedOut'),
  };
}
