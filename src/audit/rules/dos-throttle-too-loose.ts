import type { Rule } from './rule.ts';
import { SUGGESTED_THROTTLE, withStageThrottle } from './fixes.ts';
import { attackedRoute } from '../attack-scenario.ts';

/** Below this share of the unthrottled bill saved, a throttle is present but does not matter. */
export const TOO_LOOSE_SAVING = 0.5;

/** A throttle exists, but under attack it saves less than half of what no throttle would cost. */
export const dosThrottleTooLoose: Rule = {
  id: 'DOW002',
  title: 'Throttle present but too loose to matter',
  category: 'dos',
  severity: 'warning',
  help:
    'A throttle that is higher than what an attacker needs (or than the account limit) is present on paper only: existing checks pass, the bill under attack barely moves. ' +
    `dowsim prices the API under the standard attack with and without its throttles; when the throttles save less than ${TOO_LOOSE_SAVING * 100}% of the unthrottled bill, lower them. ` +
    'No equivalent in cfn_nag, Checkov or cdk-nag (they check presence, not effect).',
  check(ctx) {
    return ctx.stacks.flatMap((p) => {
      const s = p.stack;
      if (s.api.kind === 'function-url') return [];
      const route = attackedRoute(p.api);
      const hasThrottle = !!(s.api.stage || route?.throttle || s.api.usagePlans.some((u) => u.throttle));
      const { throttled, unthrottled } = p.perHour;
      if (!hasThrottle || unthrottled <= 0 || throttled < unthrottled * (1 - TOO_LOOSE_SAVING)) return [];
      const after = ctx.price(p, withStageThrottle(s));
      if (after >= throttled) return [];
      const saved = unthrottled > 0 ? (1 - throttled / unthrottled) * 100 : 0;
      return [
        {
          loc: p.api.loc,
          message: `${p.api.id}'s throttles save only ${saved.toFixed(0)}% under ${p.scenario}: $${throttled.toFixed(2)}/hour with them, $${unthrottled.toFixed(2)}/hour without`,
          atRisk: { perHour: throttled, scenario: p.scenario },
          fix: { description: `lower the stage/route throttle, e.g. to rate ${SUGGESTED_THROTTLE.rate} / burst ${SUGGESTED_THROTTLE.burst}`, perHourAfterFix: after },
        },
      ];
    });
  },
};
