import type { Stack } from '../stack/types.ts';

/**
 * A copy of a stack that the dimensions may write a candidate's settings into (Dimension.apply):
 * fresh objects for every part a dimension writes (the API and its routes, each usage plan, the
 * functions), the rest shared with `base` (nothing reads a stack to change it). A structuredClone
 * per candidate deep-copied prices of alarms, budgets and durations no dimension touches, and was
 * a tenth of a warm search's CPU, and much of its garbage.
 */
export function writableCopy(base: Stack): Stack {
  const api = base.api;
  const copy: Stack = {
    ...base,
    api: {
      ...api,
      routes: { ...api.routes },
      usagePlans: api.usagePlans.map((p) => ({ ...p })),
      ...(api.routeFunctions ? { routeFunctions: { ...api.routeFunctions } } : {}),
    },
    lambda: { ...base.lambda },
  };
  if (base.waf) copy.waf = { ...base.waf };
  if (base.functions) copy.functions = base.functions.map((f) => ({ ...f }));
  return copy;
}
