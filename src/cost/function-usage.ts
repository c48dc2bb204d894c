import { functionOfRoute, stackFunctions } from '../stack/functions.ts';
import type { FunctionConfig } from '../stack/types.ts';
import type { CostInput } from './input.ts';

/** What one function used over the horizon. */
export interface FunctionUsage {
  fn: FunctionConfig;
  invoked: number;
  gbSeconds: number;
}

/**
 * The totals' invocations and GB-seconds per function of the stack (stackFunctions order). The
 * per-route totals say which function served what; the totals themselves are split in those
 * proportions, so the function lines always add up to the totals. Without per-route totals (a
 * producer that cannot see routes) everything is the default function's.
 */
export function functionUsage({ totals, stack, routes }: CostInput): FunctionUsage[] {
  const fns = stackFunctions(stack);
  const usage = fns.map((fn) => ({ fn, invoked: 0, gbSeconds: 0 }));
  if (fns.length === 1 || !routes) {
    usage[0].invoked = totals.invoked;
    usage[0].gbSeconds = totals.gbSeconds;
    return usage;
  }
  const byName = new Map(usage.map((u) => [u.fn.name, u]));
  let invoked = 0;
  let gbSeconds = 0;
  for (const [key, t] of Object.entries(routes)) {
    const u = byName.get(functionOfRoute(stack, key)) ?? usage[0];
    u.invoked += t.invoked;
    u.gbSeconds += t.gbSeconds;
    invoked += t.invoked;
    gbSeconds += t.gbSeconds;
  }
  for (const u of usage) {
    u.invoked = invoked > 0 ? (totals.invoked * u.invoked) / invoked : 0;
    u.gbSeconds = gbSeconds > 0 ? (totals.gbSeconds * u.gbSeconds) / gbSeconds : 0;
  }
  if (invoked === 0) usage[0].invoked = totals.invoked;
  if (gbSeconds === 0) usage[0].gbSeconds = totals.gbSeconds;
  return usage;
}
