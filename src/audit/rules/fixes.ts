/** The changes DoS findings are priced with: the stack under attack after the fix. */
import type { Stack, Throttle } from '../../stack/types.ts';

/** A stage throttle a user would start from; `dowsim tune` searches for a better one. */
export const SUGGESTED_THROTTLE: Throttle = { rate: 100, burst: 200 };
export const SUGGESTED_RESERVED_CONCURRENCY = 100;
export const SUGGESTED_WAF_LIMIT = 2000; // requests per IP per 5 minutes

export function withStageThrottle(s: Stack, t: Throttle = SUGGESTED_THROTTLE): Stack {
  const routes: Stack['api']['routes'] = {};
  for (const [k, v] of Object.entries(s.api.routes)) routes[k] = v && v.rate <= t.rate ? v : null;
  return { ...s, api: { ...s.api, stage: t, routes } };
}

export function withReservedConcurrency(s: Stack, n = SUGGESTED_RESERVED_CONCURRENCY): Stack {
  return { ...s, lambda: { ...s.lambda, reservedConcurrency: n } };
}

/** Function `i` of `functions:` (one behind some routes) with reserved concurrency. */
export function withFunctionReservedConcurrency(s: Stack, i: number, n = SUGGESTED_RESERVED_CONCURRENCY): Stack {
  const functions = (s.functions ?? []).map((f, j) => (j === i ? { ...f, reservedConcurrency: n } : f));
  return { ...s, functions };
}

export function withWafRateRule(s: Stack): Stack {
  return { ...s, waf: { rules: Math.max(1, s.waf?.rules ?? 0), rateLimit: { limit: SUGGESTED_WAF_LIMIT, windowSeconds: 300, key: 'ip', delaySeconds: 30 } } };
}
