import type { Rule } from './rule.ts';
import type { Stack } from '../../stack/types.ts';
import { SUGGESTED_THROTTLE, withStageThrottle } from './fixes.ts';
import { attackedRoute } from '../attack-scenario.ts';

/** An API Gateway API whose attacked route has no throttle of its own: only the account limit stops a flood. */
export const dosNoThrottle: Rule = {
  id: 'DOW001',
  title: 'API has no stage, route or usage-plan throttle',
  category: 'dos',
  severity: 'error',
  help:
    'Without a stage or route throttle, API Gateway lets a flood through up to the account-level limit (10,000 rps in most Regions) and Lambda is invoked — and billed — for every request. ' +
    'Set a stage-wide default throttle (REST: MethodSettings ResourcePath "/*" HttpMethod "*" ThrottlingRateLimit/ThrottlingBurstLimit; HTTP: DefaultRouteSettings) sized to your legit peak. ' +
    'Equivalent checks: cdk-nag Serverless-APIGWDefaultThrottling; cfn_nag W64/W68 (usage plan on stage/deployment).',
  check(ctx) {
    return ctx.stacks.flatMap((p) => {
      const s = p.stack;
      if (s.api.kind === 'function-url') return [];
      const route = attackedRoute(p.api);
      if (throttleApplies(s, route)) return [];
      const after = ctx.price(p, withStageThrottle(s));
      return [
        {
          loc: p.api.loc,
          message: `${p.api.id} (${s.api.kind.toUpperCase()} API) has no throttle: under ${p.scenario} it costs $${p.perHour.throttled.toFixed(2)}/hour`,
          atRisk: { perHour: p.perHour.throttled, scenario: p.scenario },
          fix: { description: `add a stage throttle, e.g. rate ${SUGGESTED_THROTTLE.rate} / burst ${SUGGESTED_THROTTLE.burst} (size it to your legit peak; \`dowsim tune\` searches it)`, perHourAfterFix: after },
        },
      ];
    });
  },
};

/**
 * Whether a throttle applies to the attacked route: a stage or route throttle, or usage plans'
 * throttles where every route requires a key (without one, no plan's throttle is ever met).
 */
export function throttleApplies(s: Stack, route: { throttle?: unknown } | undefined): boolean {
  const keyThrottled = s.api.apiKeyRequired && s.api.usagePlans.length > 0 && s.api.usagePlans.every((u) => u.throttle);
  return !!(s.api.stage || route?.throttle || keyThrottled);
}
