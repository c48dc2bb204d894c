import type { Rule } from './rule.ts';
import { SUGGESTED_RESERVED_CONCURRENCY, withReservedConcurrency } from './fixes.ts';
import { primaryFunction } from '../stack-document.ts';

/** The function behind an API can scale to the whole account's concurrency. */
export const dosNoReservedConcurrency: Rule = {
  id: 'DOW003',
  title: 'Function behind an API has no reserved concurrency',
  category: 'dos',
  severity: 'warning',
  help:
    'Reserved concurrency caps how many copies of a function run at once: the last line of defence for function URLs (which have no API Gateway throttle) and a bound on what a flood can invoke. ' +
    'Set ReservedConcurrentExecutions (SAM/CloudFormation), reserved_concurrent_executions (Terraform) or reservedConcurrency (Serverless). ' +
    'Equivalent checks: cfn_nag W92; Checkov CKV_AWS_115.',
  check(ctx) {
    return ctx.stacks.flatMap((p) => {
      if (p.stack.lambda.reservedConcurrency !== undefined) return [];
      const fn = primaryFunction(ctx.model, p.api);
      if (!fn) return [];
      const after = ctx.price(p, withReservedConcurrency(p.stack));
      return [
        {
          loc: fn.loc,
          severity: p.stack.api.kind === 'function-url' ? 'error' : 'warning',
          message: `${fn.id} (behind ${p.api.id}) has no reserved concurrency: under ${p.scenario} the API costs $${p.perHour.throttled.toFixed(2)}/hour`,
          atRisk: { perHour: p.perHour.throttled, scenario: p.scenario },
          fix: { description: `reserve concurrency for ${fn.id}, e.g. ${SUGGESTED_RESERVED_CONCURRENCY}`, perHourAfterFix: after },
        },
      ];
    });
  },
};
