import type { Rule } from './rule.ts';

/** API Gateway data trace logs full request and response bodies (secrets, personal data) to CloudWatch. */
export const monitoringDataTrace: Rule = {
  id: 'DOW402',
  title: 'Data trace logging enabled (request bodies in logs)',
  category: 'monitoring',
  severity: 'warning',
  help:
    'DataTraceEnabled writes whole requests and responses to CloudWatch Logs: credentials and personal data end up in logs, and a flood of large bodies is billed again as log ingestion. ' +
    'AWS recommends it only for troubleshooting. Use access logs instead. Equivalent checks: Checkov CKV_AWS_276.',
  check(ctx) {
    return ctx.model.apis
      .filter((a) => a.dataTrace)
      .map((a) => ({ loc: a.dataTrace!, message: `${a.id} logs full request and response bodies (DataTraceEnabled)`, fix: { description: 'turn DataTraceEnabled off; keep access logging' } }));
  },
};
