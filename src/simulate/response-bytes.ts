import type { Outcome } from '../model/outcomes.ts';
import type { Stack } from '../stack/types.ts';
import { cannedResponse } from '../model/gateway-responses.ts';

/** Bytes the client receives for each outcome (bodies only; the emulator sends the same ones). */
export function responseBytesByOutcome(stack: Stack): Record<Outcome, number> {
  const k = stack.api.kind;
  const len = (a: Parameters<typeof cannedResponse>[1]) => Buffer.byteLength(cannedResponse(k, a).body);
  return {
    wafBlocked: len('wafBlocked'),
    authRejected: len('authRejected'),
    gatewayThrottled: len('gatewayThrottled'),
    quotaExceeded: len('quotaExceeded'),
    lambdaThrottled: len('lambdaThrottled'),
    succeeded: stack.responseBytes,
    failed: len('failed'),
    timedOut: len('timedOut'),
  };
}
