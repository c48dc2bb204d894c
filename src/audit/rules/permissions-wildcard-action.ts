import type { Rule } from './rule.ts';

/** An IAM Allow statement granting every action ("*" or "service:*"). */
export const permissionsWildcardAction: Rule = {
  id: 'DOW201',
  title: 'IAM policy allows "*" actions',
  category: 'permissions',
  severity: 'error',
  help:
    'A function that may do anything turns one injection bug into an account takeover. Grant the actions the function uses. ' +
    'Equivalent checks: cfn_nag F4 (and F38/F39); Checkov CKV_AWS_1, CKV_AWS_49, CKV_AWS_62, CKV_AWS_63; cdk-nag AwsSolutions-IAM5.',
  check(ctx) {
    const wild = (a: string) => a === '*' || a.endsWith(':*');
    return ctx.model.statements
      // Allow with NotAction grants every action but those listed
      .filter((s) => s.effect === 'Allow' && (s.actions.some(wild) || s.notActions !== undefined))
      .map((s) => ({
        loc: s.loc,
        message: s.actions.some(wild) ? `${s.loc.resource} allows ${s.actions.filter(wild).join(', ')}` : `${s.loc.resource} allows every action but ${s.notActions!.join(', ')} (Allow with NotAction)`,
        fix: { description: 'list the actions the function needs (e.g. dynamodb:GetItem, dynamodb:PutItem)' },
      }));
  },
};
