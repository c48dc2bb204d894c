import type { Stack } from '../stack/types.ts';
import { UNRESERVED_MINIMUM } from '../stack/function-rules.ts';
import { DurationModel } from '../limits/duration-model.ts';
import { ladder, ladderDimension, spread, type Dimension, type Rung } from './dimension.ts';
import { peakRate, type CohortTraffic } from './traffic.ts';

/**
 * The function's reserved concurrency: from what legit traffic keeps busy at its peak (Little's
 * law: rate × mean busy time) up to what all traffic would, and never above the account's
 * concurrency minus the 100 AWS keeps unreserved. For a function URL it is the only throttle
 * (and caps requests per second at 10 × itself).
 */
export function concurrencyDimension(stack: Stack, traffic: CohortTraffic[]): Dimension | undefined {
  const l = stack.lambda;
  const busy = new DurationModel(l.duration).fluid({
    functionTimeout: l.timeout,
    integrationTimeout: stack.api.integrationTimeout,
    errorRate: l.errorRate,
  }).busySeconds;
  const need = peakRate(traffic, (c) => c.cohort.role === 'legit') * busy;
  const all = peakRate(traffic, () => true) * busy;
  // a function URL also caps requests per second at 10 × its concurrency
  const url = stack.api.kind === 'function-url';
  const urlNeed = url ? peakRate(traffic, (c) => c.cohort.role === 'legit') / 10 : 0;
  const urlAll = url ? peakRate(traffic, () => true) / 10 : 0;
  const max = l.accountConcurrency - UNRESERVED_MINIMUM;
  const levels = ladder(Math.max(need, urlNeed), Math.min(max, Math.max(all, urlAll)), { min: 1 }).map(Math.ceil);
  const rungs: Rung<number>[] = [...new Set(levels)].filter((v) => v <= max).map((value, level) => ({ value, level, variant: 0 }));
  if (!rungs.length && l.reservedConcurrency === undefined) return undefined;
  return ladderDimension<number>({
    id: 'lambda.reservedConcurrency',
    base: l.reservedConcurrency ?? null,
    rungs,
    coarse: (rs) => {
      const picks = spread(rungs.map((r) => r.level));
      return rs.flatMap((r, i) => (r.value !== null && picks.includes(r.level) ? [i] : []));
    },
    same: (a, b) => a === b,
    apply: (s, v) => {
      if (v === null) delete s.lambda.reservedConcurrency;
      else s.lambda.reservedConcurrency = v;
    },
    changes: (from, to) => [{ path: 'lambda.reservedConcurrency', from, to }],
    describe: (v) => `reserved ${v ?? 'none'}`,
  });
}
