import { formatDuration } from '../../model/units.ts';
import type { Rule, RuleFinding } from './rule.ts';

/** Metrics an alarm must watch so someone hears about a flood: traffic, throttles, errors or charges. */
const WATCHED = /^(Count|4XXError|5XXError|4xx|5xx|Throttles|Invocations|Errors|ConcurrentExecutions|EstimatedCharges|Latency|Duration)$/;

const usd = (n: number) => `$${n.toFixed(2)}`;

/**
 * An API nobody is told about under attack: one finding per API, either because nothing watches it
 * at all, or because the alarms and budgets it has (read from the source into its stack) would not
 * fire under the attack the audit prices, evaluated by the same code as `simulate`'s `detection`.
 */
export const monitoringNoAlarms: Rule = {
  id: 'DOW401',
  title: 'No alarm or budget fires under attack',
  category: 'monitoring',
  severity: 'warning',
  help:
    'A denial-of-wallet attack is silent unless an alarm watches API Gateway Count/4XXError/5XXError, Lambda Invocations/Throttles/Errors/ConcurrentExecutions or AWS/Billing EstimatedCharges, with a threshold the attack crosses. ' +
    'The audit evaluates the alarms (AWS::CloudWatch::Alarm, aws_cloudwatch_metric_alarm) and budgets (AWS::Budgets::Budget) that watch each API under the priced attack, and reports an API when none would fire within the hour. No direct equivalent in cfn_nag, Checkov or cdk-nag.',
  check(ctx) {
    const watching = ctx.model.alarms.filter((a) => a.metric && WATCHED.test(a.metric) && (!a.namespace || /^AWS\/(ApiGateway|Lambda|Billing)$/.test(a.namespace)));
    // an alarm dowsim cannot evaluate (an assumption says why) is given the benefit of the doubt;
    // one it evaluates counts only for the APIs it was attached to
    const unevaluated = watching.some((a) => !a.entry);
    const out: RuleFinding[] = [];
    for (const api of ctx.model.apis) {
      const p = ctx.stacks.find((s) => s.api === api);
      if (p && p.detection.length) {
        if (p.detection.some((d) => d.firesAtSeconds !== null)) continue;
        const names = p.detection.map((d) => d.alarm).join(', ');
        out.push({
          loc: api.loc,
          message: `none of ${api.id}'s alarms and budgets (${names}) fires under ${p.scenario}: the attack costs ${usd(p.perHour.throttled)}/hour as configured, ${usd(p.detection[0].costBeforeUsd)} over ${formatDuration(3600)} before anyone is told`,
          atRisk: { perHour: p.perHour.throttled, scenario: p.scenario },
          fix: { description: 'lower a threshold so the flood crosses it (e.g. API Gateway Count, Sum over 1 minute, above a few times the legit peak), or add an alarm on Lambda Invocations or ConcurrentExecutions' },
        });
      } else if (!(p ? unevaluated : watching.length > 0)) {
        out.push({
          loc: api.loc,
          message: `nothing alarms on ${api.id}'s traffic, throttles, errors or on the bill: a flood would go unnoticed until the invoice`,
          fix: { description: 'add a CloudWatch alarm on Count (API Gateway) or Invocations (Lambda), and one on AWS/Billing EstimatedCharges' },
        });
      }
    }
    return out;
  },
};
