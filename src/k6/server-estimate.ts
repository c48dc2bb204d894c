/**
 * What k6 cannot see from the client side, estimated from the stack: Lambda's billed duration
 * (GB-seconds) per invocation from the stack's duration model, and API Gateway's billable units
 * per request. Cold starts and INIT time are invisible to a client: they stay 0 here, and the
 * result's assumptions say so (`dowsim collect` reads the server's own figures).
 */
import { billableUnits as apiBillableUnits } from '../model/metering.ts';
import { DurationModel } from '../limits/duration-model.ts';
import type { Stack } from '../stack/types.ts';

export interface ServerEstimate {
  /** Mean billed seconds of one invocation ending in each invoked outcome. */
  billedSeconds: { succeeded: number; failed: number; timedOut: number };
  gb: number;
}

/** Expected billed duration per invoked outcome, from the stack's p50/p99 durations and timeouts. */
export function serverEstimate(stack: Stack): ServerEstimate {
  const model = new DurationModel(stack.lambda.duration);
  const limits = {
    functionTimeout: stack.lambda.timeout,
    integrationTimeout: stack.api.integrationTimeout,
    errorRate: stack.lambda.errorRate,
  };
  const sum = { succeeded: 0, failed: 0, timedOut: 0 };
  const weight = { succeeded: 0, failed: 0, timedOut: 0 };
  const n = 2000;
  for (let i = 0; i < n; i++) {
    const o = DurationModel.outcome(model.quantile((i + 0.5) / n), limits);
    sum[o.outcome] += o.billedSeconds;
    weight[o.outcome] += 1;
  }
  const mean = (k: keyof typeof sum, fallback: number) => (weight[k] > 0 ? sum[k] / weight[k] : fallback);
  const typical = mean('succeeded', stack.lambda.duration.p50);
  return {
    billedSeconds: {
      succeeded: typical,
      // a handler error runs about as long as a success; one the model never produces, too
      failed: weight.failed > 0 ? mean('failed', typical) : typical,
      // a 504/503 means the function ran at least to the integration timeout, at most to its own
      timedOut: mean('timedOut', Math.min(stack.lambda.timeout, Math.max(stack.api.integrationTimeout, typical))),
    },
    gb: stack.lambda.memoryMb / 1024,
  };
}

/** API Gateway billable units of one request of `requestBytes` on this stack (0 for a function URL). */
export function billableUnits(stack: Stack, requestBytes: number): number {
  return apiBillableUnits(stack.api.kind, requestBytes);
}
