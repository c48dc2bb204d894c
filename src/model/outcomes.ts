/** The outcome vocabulary (DESIGN.md "Outcomes"): every request ends in exactly one of these. */
export const OUTCOMES = [
  'wafBlocked',
  'authRejected',
  'gatewayThrottled',
  'quotaExceeded',
  'lambdaThrottled',
  'succeeded',
  'failed',
  'timedOut',
] as const;

export type Outcome = (typeof OUTCOMES)[number];

/** Outcomes that reached the function and were billed by Lambda (CloudWatch `Invocations`). */
export const INVOKED_OUTCOMES: readonly Outcome[] = ['succeeded', 'failed', 'timedOut'];

/** Outcomes that API Gateway bills (the request was sent to the integration). */
export const GATEWAY_BILLED_OUTCOMES: readonly Outcome[] = ['lambdaThrottled', 'succeeded', 'failed', 'timedOut'];

export type OutcomeCounts = Record<Outcome, number>;

export function emptyOutcomeCounts(): OutcomeCounts {
  return { wafBlocked: 0, authRejected: 0, gatewayThrottled: 0, quotaExceeded: 0, lambdaThrottled: 0, succeeded: 0, failed: 0, timedOut: 0 };
}
