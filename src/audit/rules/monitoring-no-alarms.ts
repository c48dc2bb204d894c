import type { Rule } from './rule.ts';

/** Metrics an alarm must watch so someone hears about a flood: traffic, throttles, errors or charges. */
const WATCHED = /^(Count|4XXError|5XXError|Throttles|Invocations|Errors|ConcurrentExecutions|EstimatedCharges|Latency|Duration)$/;

/** An API nobody is told about: no alarm on its traffic, throttles, errors, or on the bill. */
export const monitoringNoAlarms: Rule = {
  id: 'DOW401',
  title: 'No alarm on traffic, throttles, errors or charges',
  category: 'monitoring',
  severity: 'warning',
  help:
    'A denial-of-wallet attack is silent unless an alarm watches API Gateway Count/4XXError/5XXError, Lambda Invocations/Throttles/Errors/ConcurrentExecutions or AWS/Billing EstimatedCharges. ' +
    'Add a CloudWatch alarm (AWS::CloudWatch::Alarm, aws_cloudwatch_metric_alarm). No direct equivalent in cfn_nag, Checkov or cdk-nag.',
  check(ctx) {
    const watched = ctx.model.alarms.some((a) => a.metric && WATCHED.test(a.metric) && (!a.namespace || /^AWS\/(ApiGateway|Lambda|Billing)$/.test(a.namespace)));
    if (watched) return [];
    return ctx.model.apis.map((api) => ({
      loc: api.loc,
      message: `nothing alarms on ${api.id}'s traffic, throttles, errors or on the bill: a flood would go unnoticed until the invoice`,
      fix: { description: 'add a CloudWatch alarm on Count (API Gateway) or Invocations (Lambda), and one on AWS/Billing EstimatedCharges' },
    }));
  },
};
