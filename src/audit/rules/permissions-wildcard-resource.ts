import type { Rule } from './rule.ts';

/** An IAM Allow statement on every resource ("*"). */
export const permissionsWildcardResource: Rule = {
  id: 'DOW202',
  title: 'IAM policy allows actions on "*" resources',
  category: 'permissions',
  severity: 'warning',
  help:
    'Resource "*" lets the granted actions touch every table, bucket or queue in the account. Name the resources. ' +
    'Some actions (e.g. logs:CreateLogGroup, xray:PutTraceSegments) only take "*"; those are common and harmless. Equivalent checks: cfn_nag W12; Checkov CKV_AWS_111, CKV_AWS_355; cdk-nag AwsSolutions-IAM5.',
  check(ctx) {
    const harmless = /^(logs:|xray:|cloudwatch:PutMetricData|ec2:(Create|Describe|Delete)NetworkInterface)/;
    return ctx.model.statements
      .filter((s) => s.effect === 'Allow' && s.resources.includes('*') && !s.actions.every((a) => harmless.test(a)))
      .map((s) => ({ loc: s.loc, message: `${s.loc.resource} allows ${s.actions.slice(0, 3).join(', ')}${s.actions.length > 3 ? ', …' : ''} on every resource ("*")`, fix: { description: 'name the resources (ARNs) the actions apply to' } }));
  },
};
