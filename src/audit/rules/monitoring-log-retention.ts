import type { Rule } from './rule.ts';

/** A log group that keeps its logs forever: every flooded request's log lines are stored, and billed, indefinitely. */
export const monitoringLogRetention: Rule = {
  id: 'DOW403',
  title: 'Log group without retention',
  category: 'monitoring',
  severity: 'note',
  help:
    'A log group without RetentionInDays keeps logs forever; after a flood its storage is billed every month. ' +
    'Set RetentionInDays / retention_in_days. Equivalent checks: cfn_nag W86; Checkov CKV_AWS_66.',
  check(ctx) {
    return ctx.model.logGroups
      .filter((g) => g.retentionDays === undefined || g.retentionDays === 0)
      .map((g) => ({ loc: g.loc, message: `${g.loc.resource} keeps logs forever (no retention)`, fix: { description: 'set a retention, e.g. 30 days' } }));
  },
};
