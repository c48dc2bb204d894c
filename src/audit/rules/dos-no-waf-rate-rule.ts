import type { Rule } from './rule.ts';
import { SUGGESTED_WAF_LIMIT, withWafRateRule } from './fixes.ts';

/** A REST API with no WAF rate-based rule: nothing limits one source. */
export const dosNoWafRateRule: Rule = {
  id: 'DOW004',
  title: 'REST API has no WAF rate-based rule',
  category: 'dos',
  severity: 'note',
  help:
    'A WAF rate-based rule blocks a source that sends more than a limit per window, before API Gateway bills the request. ' +
    'Associate a web ACL with a RateBasedStatement with the stage. Equivalent checks: Checkov CKV2_AWS_29; cdk-nag AwsSolutions-APIG3 (WAF present; neither checks for a rate rule).',
  check(ctx) {
    return ctx.stacks.flatMap((p) => {
      // a PRIVATE API is no internet-facing target (Checkov counts it as passing too)
      if (p.stack.api.kind !== 'rest' || p.stack.waf?.rateLimit || p.api.private) return [];
      const after = ctx.price(p, withWafRateRule(p.stack));
      return [
        {
          loc: p.api.waf?.loc ?? p.api.loc,
          message: p.api.waf ? `${p.api.id}'s web ACL has no rate-based rule` : `${p.api.id} has no WAF web ACL`,
          atRisk: { perHour: p.perHour.throttled, scenario: p.scenario },
          // WAF bills every request it inspects: under a flood its price can exceed what the rule saves
          fix: {
            description:
              `add a WAF rate-based rule, e.g. ${SUGGESTED_WAF_LIMIT} requests per IP per 5 minutes` +
              (after > p.perHour.throttled ? ` (under ${p.scenario} it would cost more than it saves: WAF bills each of the flood's requests it inspects; it pays off against floods from few IPs that the throttles let through)` : ''),
            perHourAfterFix: after,
          },
        },
      ];
    });
  },
};
