import type { Rule } from './rule.ts';
import { SUGGESTED_RESERVED_CONCURRENCY, withFunctionReservedConcurrency, withReservedConcurrency } from './fixes.ts';
import { otherFunctions, primaryFunction } from '../stack-document.ts';
import type { FunctionModel } from '../model.ts';
import type { Stack } from '../../stack/types.ts';

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
      const out = [];
      // the API's own function (`lambda`), then every other function behind one of its routes
      const primary = primaryFunction(ctx.model, p.api);
      const behind: { fn: FunctionModel; reserved: number | undefined; fixed: () => Stack }[] = [];
      if (primary) behind.push({ fn: primary, reserved: p.stack.lambda.reservedConcurrency, fixed: () => withReservedConcurrency(p.stack) });
      for (const [id, name] of otherFunctions(ctx.model, p.api, primary)) {
        const fn = ctx.model.functions.find((f) => f.id === id);
        const i = (p.stack.functions ?? []).findIndex((f) => f.name === name);
        if (!fn || i < 0) continue;
        behind.push({ fn, reserved: p.stack.functions![i].reservedConcurrency, fixed: () => withFunctionReservedConcurrency(p.stack, i) });
      }
      for (const { fn, reserved, fixed } of behind) {
        if (reserved !== undefined) continue;
        out.push({
          loc: fn.loc,
          severity: p.stack.api.kind === 'function-url' ? ('error' as const) : ('warning' as const),
          message: `${fn.id} (behind ${p.api.id}) has no reserved concurrency: under ${p.scenario} the API costs $${p.perHour.throttled.toFixed(2)}/hour`,
          atRisk: { perHour: p.perHour.throttled, scenario: p.scenario },
          fix: { description: `reserve concurrency for ${fn.id}, e.g. ${SUGGESTED_RESERVED_CONCURRENCY}`, perHourAfterFix: ctx.price(p, fixed()) },
        });
      }
      return out;
    });
  },
};
