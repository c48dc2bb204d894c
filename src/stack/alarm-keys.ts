/**
 * The hook for `dowsim audit` (issue 15, item 4): alarms and budgets as infrastructure as code
 * declares them, turned into the `alarms:` and `budgets:` entries of a stack file. A reader maps
 * its format's properties to the CloudWatch / Budgets API names below (CloudFormation uses them
 * as they are; Terraform's snake_case names map one to one), calls these, and puts the entries in
 * the derived stack, where the stack schema checks them like any stack file's. What dowsim cannot
 * model comes back as a `skipped` sentence for a finding instead.
 */
import { ALARM_COMPARISONS, ALARM_STATISTICS, API_GATEWAY_METRICS, BILLING_METRICS, LAMBDA_METRICS } from './alarm-types.ts';

/** AWS::CloudWatch::Alarm properties (PutMetricAlarm's names); aws_cloudwatch_metric_alarm maps 1:1. */
export interface CloudWatchAlarmProps {
  AlarmName?: string;
  Namespace?: string;
  MetricName?: string;
  Statistic?: string;
  ExtendedStatistic?: string;
  Period?: number;
  EvaluationPeriods?: number;
  DatapointsToAlarm?: number;
  Threshold?: number;
  ComparisonOperator?: string;
  /** Metric math alarms (Metrics: [...]) are not modelled. */
  Metrics?: unknown[];
}

const NAMESPACES: Record<string, readonly string[]> = {
  'AWS/ApiGateway': [...API_GATEWAY_METRICS, '4xx', '5xx'],
  'AWS/Lambda': LAMBDA_METRICS,
  'AWS/Billing': BILLING_METRICS,
};

/** A stack file's `alarms:` entry for one CloudWatch alarm, or why it cannot be one. `delay` is left to its default. */
export function alarmEntry(p: CloudWatchAlarmProps, fallbackName: string): { alarm: Record<string, unknown> } | { skipped: string } {
  const name = p.AlarmName || fallbackName;
  const what = `alarm "${name}"`;
  if (p.Metrics?.length) return { skipped: `${what} uses metric math, which dowsim does not model` };
  const metrics = p.Namespace ? NAMESPACES[p.Namespace] : undefined;
  if (!metrics || !p.MetricName || !metrics.includes(p.MetricName)) {
    return { skipped: `${what} watches ${p.Namespace ?? '?'} ${p.MetricName ?? '?'}, not a metric dowsim models (API Gateway, Lambda, AWS/Billing EstimatedCharges)` };
  }
  if (p.ExtendedStatistic || !p.Statistic || !(ALARM_STATISTICS as readonly string[]).includes(p.Statistic)) {
    return { skipped: `${what} uses the statistic ${p.ExtendedStatistic ?? p.Statistic ?? '(none)'}; dowsim models Sum, Average, Maximum and SampleCount` };
  }
  if (!p.ComparisonOperator || !(ALARM_COMPARISONS as readonly string[]).includes(p.ComparisonOperator)) {
    return { skipped: `${what} compares with ${p.ComparisonOperator ?? '(none)'}; dowsim models the four static threshold comparisons` };
  }
  return {
    alarm: {
      name,
      metric: p.MetricName,
      statistic: p.Statistic,
      ...(p.Period !== undefined ? { period: `${p.Period}s` } : {}),
      ...(p.EvaluationPeriods !== undefined ? { evaluationPeriods: p.EvaluationPeriods } : {}),
      ...(p.DatapointsToAlarm !== undefined ? { datapointsToAlarm: p.DatapointsToAlarm } : {}),
      ...(p.Threshold !== undefined ? { threshold: p.Threshold } : {}),
      comparison: p.ComparisonOperator,
    },
  };
}

/** AWS::Budgets::Budget (Budget + NotificationsWithSubscribers[].Notification); aws_budgets_budget maps 1:1. */
export interface BudgetProps {
  BudgetName?: string;
  BudgetType?: string; // COST is modelled
  TimeUnit?: string; // MONTHLY is modelled
  BudgetLimit?: { Amount?: number | string; Unit?: string };
  Notifications?: { NotificationType?: string; ComparisonOperator?: string; Threshold?: number; ThresholdType?: string }[];
}

/** A stack file's `budgets:` entries, one per notification (names `<budget>`, `<budget>-2`, …), or why none can be made. */
export function budgetEntries(p: BudgetProps, fallbackName: string): { budgets: Record<string, unknown>[]; skipped: string[] } {
  const name = p.BudgetName || fallbackName;
  const what = `budget "${name}"`;
  const limit = Number(p.BudgetLimit?.Amount);
  if ((p.BudgetType ?? 'COST') !== 'COST' || (p.TimeUnit ?? 'MONTHLY') !== 'MONTHLY' || (p.BudgetLimit?.Unit ?? 'USD') !== 'USD' || !(limit > 0)) {
    return { budgets: [], skipped: [`${what} is not a monthly cost budget in USD with a limit; dowsim models those only`] };
  }
  const budgets: Record<string, unknown>[] = [];
  const skipped: string[] = [];
  (p.Notifications ?? []).forEach((n, i) => {
    const type = n.NotificationType ?? 'ACTUAL';
    if ((type !== 'ACTUAL' && type !== 'FORECASTED') || (n.ComparisonOperator ?? 'GREATER_THAN') !== 'GREATER_THAN' || !(Number(n.Threshold) > 0)) {
      skipped.push(`${what}: notification ${i + 1} (${type} ${n.ComparisonOperator ?? ''} ${n.Threshold ?? ''}) is not one dowsim models`);
      return;
    }
    const percent = n.ThresholdType === 'ABSOLUTE_VALUE' ? (Number(n.Threshold) / limit) * 100 : Number(n.Threshold);
    budgets.push({ name: i === 0 ? name : `${name}-${i + 1}`, limitUsd: limit, thresholdPercent: percent, type });
  });
  return { budgets, skipped };
}
