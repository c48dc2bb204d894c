import type { Rule } from './rule.ts';

/** A Lambda permission letting any principal ("*") invoke the function, not scoped to a source. */
export const authWildcardInvoke: Rule = {
  id: 'DOW103',
  title: 'Wildcard invoke permission (Principal "*")',
  category: 'auth',
  severity: 'error',
  help:
    'A resource policy with Principal "*" and no SourceArn/SourceAccount lets anyone invoke the function directly. ' +
    'Scope the permission to the API (SourceArn) or to a service principal. Equivalent checks: cfn_nag F13; Checkov CKV_AWS_301.',
  check(ctx) {
    return ctx.model.permissions
      .filter((p) => p.principal === '*' && !p.sourceArn)
      .map((p) => ({
        loc: p.loc,
        message: `${p.loc.resource} lets any principal call ${p.action}${p.functionUrlAuthType === 'NONE' ? ' (the public permission of an AuthType NONE function URL)' : ''}`,
        fix: { description: 'name the principal (apigateway.amazonaws.com) and scope it with SourceArn' },
      }));
  },
};
