/** Alarms and budgets of a stack after parsing (DESIGN "Stack": `alarms:` and `budgets:`), durations in seconds. */

/** API Gateway metrics (namespace AWS/ApiGateway). HTTP APIs call the error metrics 4xx/5xx; both spellings are accepted. */
export const API_GATEWAY_METRICS = ['Count', '4XXError', '5XXError', 'Latency'] as const;
/** Lambda metrics (namespace AWS/Lambda). */
export const LAMBDA_METRICS = ['Invocations', 'Errors', 'Throttles', 'ConcurrentExecutions', 'Duration'] as const;
/** Billing metric (namespace AWS/Billing): month-to-date estimated charges in USD. */
export const BILLING_METRICS = ['EstimatedCharges'] as const;

export const ALARM_METRICS = [...API_GATEWAY_METRICS, ...LAMBDA_METRICS, ...BILLING_METRICS] as const;
export type AlarmMetric = (typeof ALARM_METRICS)[number];

export const ALARM_STATISTICS = ['Sum', 'Average', 'Maximum', 'SampleCount'] as const;
export type AlarmStatistic = (typeof ALARM_STATISTICS)[number];

export const ALARM_COMPARISONS = [
  'GreaterThanThreshold',
  'GreaterThanOrEqualToThreshold',
  'LessThanThreshold',
  'LessThanOrEqualToThreshold',
] as const;
export type AlarmComparison = (typeof ALARM_COMPARISONS)[number];

export interface Alarm {
  name: string;
  metric: AlarmMetric;
  statistic: AlarmStatistic;
  periodSeconds: number;
  evaluationPeriods: number;
  datapointsToAlarm: number;
  threshold: number;
  comparison: AlarmComparison;
  /** Metric publishing lag: how long after a period ends the alarm can see it. */
  delaySeconds: number;
}

export interface Budget {
  name: string;
  limitUsd: number;
  thresholdPercent: number;
  /** ACTUAL: spend so far reaches the threshold; FORECASTED: the month's forecast does. */
  type: 'ACTUAL' | 'FORECASTED';
}
