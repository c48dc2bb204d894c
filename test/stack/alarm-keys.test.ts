import { describe, expect, it } from 'vitest';
import { alarmEntry, budgetEntries } from '../../src/stack/alarm-keys.ts';
import { parseStack } from '../../src/stack/parse.ts';

describe('alarms and budgets from infrastructure as code (the audit hook)', () => {
  it('an AWS::CloudWatch::Alarm on API Gateway Count becomes an alarms: entry the stack schema accepts', () => {
    const r = alarmEntry(
      { AlarmName: 'api-traffic', Namespace: 'AWS/ApiGateway', MetricName: 'Count', Statistic: 'Sum', Period: 300, EvaluationPeriods: 2, DatapointsToAlarm: 1, Threshold: 100000, ComparisonOperator: 'GreaterThanThreshold' },
      'ApiTrafficAlarm',
    );
    expect(r).toEqual({ alarm: { name: 'api-traffic', metric: 'Count', statistic: 'Sum', period: '300s', evaluationPeriods: 2, datapointsToAlarm: 1, threshold: 100000, comparison: 'GreaterThanThreshold' } });
    const stack = parseStack(JSON.stringify({ name: 's', api: { kind: 'rest' }, lambda: { memoryMb: 128 }, alarms: ['alarm' in r ? r.alarm : {}] }));
    expect(stack.alarms![0]).toMatchObject({ periodSeconds: 300, evaluationPeriods: 2, datapointsToAlarm: 1, delaySeconds: 60 });
  });

  it('says why an alarm cannot be modelled: another namespace, a percentile, anomaly detection, metric math', () => {
    expect(alarmEntry({ Namespace: 'AWS/SQS', MetricName: 'ApproximateAgeOfOldestMessage', Statistic: 'Maximum', ComparisonOperator: 'GreaterThanThreshold' }, 'Q')).toEqual({
      skipped: 'alarm "Q" watches AWS/SQS ApproximateAgeOfOldestMessage, not a metric dowsim models (API Gateway, Lambda, AWS/Billing EstimatedCharges)',
    });
    expect(alarmEntry({ Namespace: 'AWS/Lambda', MetricName: 'Duration', ExtendedStatistic: 'p99', ComparisonOperator: 'GreaterThanThreshold' }, 'D')).toHaveProperty('skipped');
    expect(alarmEntry({ Namespace: 'AWS/Lambda', MetricName: 'Errors', Statistic: 'Sum', ComparisonOperator: 'LessThanLowerOrGreaterThanUpperThreshold' }, 'E')).toHaveProperty('skipped');
    expect(alarmEntry({ Metrics: [{}] }, 'M')).toEqual({ skipped: 'alarm "M" uses metric math, which dowsim does not model' });
  });

  it('an AWS::Budgets::Budget with two notifications becomes two budgets: entries; an absolute threshold becomes a percentage', () => {
    const r = budgetEntries(
      {
        BudgetName: 'monthly',
        BudgetType: 'COST',
        TimeUnit: 'MONTHLY',
        BudgetLimit: { Amount: '500', Unit: 'USD' },
        Notifications: [
          { NotificationType: 'ACTUAL', ComparisonOperator: 'GREATER_THAN', Threshold: 80, ThresholdType: 'PERCENTAGE' },
          { NotificationType: 'FORECASTED', ComparisonOperator: 'GREATER_THAN', Threshold: 600, ThresholdType: 'ABSOLUTE_VALUE' },
        ],
      },
      'Budget',
    );
    expect(r).toEqual({
      budgets: [
        { name: 'monthly', limitUsd: 500, thresholdPercent: 80, type: 'ACTUAL' },
        { name: 'monthly-2', limitUsd: 500, thresholdPercent: 120, type: 'FORECASTED' }, // 600 / 500
      ],
      skipped: [],
    });
    expect(budgetEntries({ BudgetType: 'USAGE', BudgetLimit: { Amount: 5, Unit: 'GB' } }, 'B').skipped).toHaveLength(1);
  });
});
