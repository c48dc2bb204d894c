import type { Stack } from '../stack/types.ts';
import { stackFunctions } from '../stack/functions.ts';

/** Which resources a tuned stack changes against its base: what a patch must carry (the web ACL: waf-change.ts). */
export interface ChangedParts {
  throttles: boolean; // stage or route throttles
  usagePlans: number[]; // indices of changed plans
  /** Functions whose reserved concurrency changed: "lambda" (the stack's own) or a `functions` name. */
  reservedConcurrency: string[];
}

export function changedParts(base: Stack, tuned: Stack): ChangedParts {
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  return {
    throttles: !same(base.api.stage, tuned.api.stage) || !same(base.api.routes, tuned.api.routes),
    usagePlans: tuned.api.usagePlans.flatMap((p, i) => (same(p, base.api.usagePlans[i]) ? [] : [i])),
    reservedConcurrency: stackFunctions(tuned).flatMap((f, i) => (f.reservedConcurrency === stackFunctions(base)[i]?.reservedConcurrency ? [] : [f.name])),
  };
}
