/**
 * CloudWatch metrics computed from a timeline, aggregated per period the way CloudWatch
 * aggregates them. What each outcome contributes (aws-facts.md, DESIGN "Outcomes"):
 *
 * | metric (namespace)           | samples (SampleCount)                 | value 1 for (Sum)                         |
 * |------------------------------|---------------------------------------|-------------------------------------------|
 * | Count (AWS/ApiGateway)       | every request API Gateway answered    | every one                                 |
 * | 4XXError                     | same                                  | wafBlocked, authRejected (403), gatewayThrottled, quotaExceeded (429) |
 * | 5XXError                     | same                                  | lambdaThrottled (500), failed (502), timedOut (504/503) |
 * | Invocations (AWS/Lambda)     | invocations                           | every one                                 |
 * | Errors                       | invocations                           | failed, timedOut (a timeout is a function error) |
 * | Throttles                    | invocation requests (invoked + throttled) | lambdaThrottled                       |
 *
 * So Average is the error (or throttle) rate, as AWS documents for 4XXError/5XXError, and Maximum
 * is 1 when any sample was a hit. A 429 is a 4XX: API Gateway has no throttle metric (AWS docs:
 * rest-api-monitor), so 429s only show as 4XXError and in Count. WAF blocks are answered by API
 * Gateway with its WAF_FILTERED gateway response (403; AWS docs: supported-gateway-response-types),
 * and authorization failures with INVALID_API_KEY/MISSING_AUTHENTICATION_TOKEN (403), so both are
 * counted in Count and 4XXError. AWS warns it "might not generate logs and metrics" for excessive
 * 429s: for an alarm on Count or 4XXError, dowsim's figure is the upper bound.
 *
 * Latency, Duration (milliseconds) and ConcurrentExecutions come from Lambda busy time
 * (gbSeconds ÷ memory): Latency averages over every request (0 ms for requests API Gateway answers
 * itself, the integration timeout for a timed-out one), Duration over invocations without INIT;
 * Maximum is the duration model's p99 (plus INIT when there were cold starts), or the timeout when
 * anything timed out. ConcurrentExecutions is busy seconds ÷ seconds per one-minute datapoint.
 * Function URLs have no API Gateway metrics (the stack schema refuses such alarms). A timeline has
 * no function dimension: with several functions, Lambda metrics are account-wide (CloudWatch
 * publishes them without FunctionName too) and busy time uses `lambda.memoryMb`.
 */
import type { Totals } from '../model/totals.ts';
import type { AlarmMetric, AlarmStatistic } from '../stack/alarm-types.ts';
import type { Stack } from '../stack/types.ts';
import type { CountWindow } from './window.ts';

/** One period's statistics; absent (undefined) when nothing was published in the period. */
export interface Datapoint {
  sum: number;
  sampleCount: number;
  maximum: number;
}

export function statistic(d: Datapoint, s: AlarmStatistic): number {
  switch (s) {
    case 'Sum':
      return d.sum;
    case 'SampleCount':
      return d.sampleCount;
    case 'Maximum':
      return d.maximum;
    case 'Average':
      return d.sampleCount > 0 ? d.sum / d.sampleCount : 0;
  }
}

type CountMetric = Exclude<AlarmMetric, 'Latency' | 'Duration' | 'ConcurrentExecutions' | 'EstimatedCharges'>;

const answered = (t: Totals) =>
  t.wafBlocked + t.authRejected + t.gatewayThrottled + t.quotaExceeded + t.lambdaThrottled + t.succeeded + t.failed + t.timedOut;

/** For each count metric: its samples and its hits in a window's counts. */
const COUNTS: Record<CountMetric, (t: Totals) => [samples: number, hits: number]> = {
  Count: (t) => [answered(t), answered(t)],
  '4XXError': (t) => [answered(t), t.wafBlocked + t.authRejected + t.gatewayThrottled + t.quotaExceeded],
  '5XXError': (t) => [answered(t), t.lambdaThrottled + t.failed + t.timedOut],
  Invocations: (t) => [t.invoked, t.invoked],
  Errors: (t) => [t.invoked, t.failed + t.timedOut],
  Throttles: (t) => [t.invoked + t.lambdaThrottled, t.lambdaThrottled],
};

/**
 * The datapoints of `metric` for each whole period [i·P, (i+1)·P) of the timeline (EstimatedCharges
 * excepted: see billing.ts). Counts below half a request are float noise of a fluid simulation and
 * read as nothing published.
 */
export function metricDatapoints(w: CountWindow, stack: Stack, metric: Exclude<AlarmMetric, 'EstimatedCharges'>, periodSeconds: number): (Datapoint | undefined)[] {
  const periods = Math.floor(w.durationSeconds / periodSeconds + 1e-9);
  const out: (Datapoint | undefined)[] = [];
  for (let i = 0; i < periods; i++) {
    const from = i * periodSeconds;
    const to = from + periodSeconds;
    out.push(datapoint(metric, stack, w.between(from, to), (a, b) => w.field(a, b, 'gbSeconds'), from, to));
  }
  return out;
}

function datapoint(
  metric: Exclude<AlarmMetric, 'EstimatedCharges'>,
  stack: Stack,
  t: Totals,
  gbSecondsBetween: (from: number, to: number) => number,
  from: number,
  to: number,
): Datapoint | undefined {
  const memGb = stack.lambda.memoryMb / 1024;
  if (metric === 'ConcurrentExecutions') return concurrency(gbSecondsBetween, from, to, memGb);
  if (metric === 'Latency' || metric === 'Duration') return timing(metric, stack, t, memGb);
  const [samples, hits] = COUNTS[metric](t);
  if (!(samples >= 0.5)) return undefined;
  return { sum: hits, sampleCount: samples, maximum: hits >= 0.5 ? 1 : 0 };
}

/** Lambda publishes ConcurrentExecutions once a minute: one sample per minute (or per shorter period). */
function concurrency(gbSecondsBetween: (from: number, to: number) => number, from: number, to: number, memGb: number): Datapoint | undefined {
  const step = Math.min(60, to - from);
  let sum = 0;
  let n = 0;
  let max = 0;
  for (let s = from; s < to - 1e-9; s += step) {
    const busy = gbSecondsBetween(s, s + step) / memGb;
    if (!(busy > 1e-9)) continue;
    const c = busy / step;
    sum += c;
    n += 1;
    max = Math.max(max, c);
  }
  return n > 0 ? { sum, sampleCount: n, maximum: max } : undefined;
}

function timing(metric: 'Latency' | 'Duration', stack: Stack, t: Totals, memGb: number): Datapoint | undefined {
  const l = stack.lambda;
  const completed = t.succeeded + t.failed;
  const busy = t.gbSeconds / memGb; // billed seconds, INIT included
  const timedOutBusy = t.timedOut * l.timeout;
  const perCompleted = completed > 0 ? Math.max(0, busy - Math.min(busy, timedOutBusy)) / completed : 0;
  const longest = t.timedOut >= 0.5 ? l.timeout : l.duration.p99 + (t.coldStarts >= 0.5 ? l.initDuration : 0);
  if (metric === 'Duration') {
    if (!(t.invoked >= 0.5)) return undefined;
    const code = Math.max(0, busy - t.initGbSeconds / memGb);
    return { sum: code * 1000, sampleCount: t.invoked, maximum: (t.timedOut >= 0.5 ? l.timeout : l.duration.p99) * 1000 };
  }
  const samples = answered(t);
  if (!(samples >= 0.5)) return undefined;
  const integration = stack.api.integrationTimeout;
  const sum = (completed * perCompleted + t.timedOut * integration) * 1000;
  const maximum = t.timedOut >= 0.5 ? integration : completed >= 0.5 ? Math.min(integration, longest) : 0;
  return { sum, sampleCount: samples, maximum: maximum * 1000 };
}
