import type { Rule } from './rule.ts';
import { SUGGESTED_THROTTLE, withStageThrottle } from './fixes.ts';
import { attackedRoute } from '../attack-scenario.ts';
import { throttleApplies } from './dos-no-throttle.ts';

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
      // a throttle that applies (where none does, DOW001 says so: a plan's throttle without required keys is none)
      const hasThrottle = throttleApplies(s, route);
      const { throttled, unthrottled } = p.perHour;
      if (!hasThrottle || unthrottled <= 0 || throttled < unthrottled * (1 - TOO_LOOSE_SAVING)) return [];
      const saved = unthrottled > 0 ? (1 - throttled / unthrottled) * 100 : 0;
      const finding = {
        loc: p.api.loc,
        message: `${p.api.id}'s throttles save only ${saved.toFixed(0)}% under ${p.scenario}: $${throttled.toFixed(2)}/hour with them, $${unthrottled.toFixed(2)}/hour without`,
        atRisk: { perHour: throttled, scenario: p.scenario },
      };
      // the usual stage throttle, or, where it is what the API has already (AWS applies it per
      // route: N routes let N times its rate through), the same budget shared by the routes
      const routes = Object.keys(s.api.routes).length;
      const shared = { rate: Math.max(1, Math.floor(SUGGESTED_THROTTLE.rate / Math.max(1, routes))), burst: Math.max(1, Math.floor(SUGGESTED_THROTTLE.burst / Math.max(1, routes))) };
      for (const t of routes > 1 ? [SUGGESTED_THROTTLE, shared] : [SUGGESTED_THROTTLE]) {
        const after = ctx.price(p, withStageThrottle(s, t));
        const per = t === shared ? ` (${SUGGESTED_THROTTLE.rate} / ${SUGGESTED_THROTTLE.burst} over its ${routes} routes: AWS applies a stage throttle to each)` : '';
        if (after < throttled) return [{ ...finding, fix: { description: `lower the stage/route throttle, e.g. to rate ${t.rate} / burst ${t.burst}${per}`, perHourAfterFix: after } }];
      }
      return [{ ...finding, fix: { description: 'lower the stage/route throttles to what legit traffic needs: `dowsim tune` finds the cheapest that keeps users whole' } }];
    });
  },
};
