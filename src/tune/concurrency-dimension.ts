import type { FunctionConfig, Stack } from '../stack/types.ts';
import { UNRESERVED_MINIMUM } from '../stack/function-rules.ts';
import { functionOfRoute, stackFunctions } from '../stack/functions.ts';
import { matchRoute } from '../stack/routes.ts';
import { DurationModel } from '../limits/duration-model.ts';
import { limitAnswersAsBefore } from '../limits/concurrency-pool.ts';
import type { Refusals } from './implied.ts';
import { ladder, ladderDimension, spread, type Dimension, type Rung } from './dimension.ts';
import { peakRate, requestShares, type CohortTraffic } from './traffic.ts';

/**
 * Reserved concurrency, one dimension per function the scenarios' requests reach: from what legit
 * traffic keeps busy at its peak (Little's law: rate × mean busy time) up to what all traffic
 * would, and never above the account's concurrency minus the 100 AWS keeps unreserved (less what
 * functions without traffic already reserve). For a function URL it is the only throttle, and
 * caps requests per second at 10 × itself. Several functions together must still leave 100
 * unreserved: `reservedWithinAccount` rejects a combination that does not.
 */
export function concurrencyDimensions(stack: Stack, traffic: CohortTraffic[]): Dimension[] {
  const fns = stackFunctions(stack);
  const shareTo = (c: CohortTraffic, fn: string) =>
    requestShares(c.cohort).reduce((sum, r) => {
      const m = matchRoute(stack, r.method, r.path);
      return m && functionOfRoute(stack, m.key) === fn ? sum + r.share : sum;
    }, 0);
  const reached = fns.filter((f) => traffic.some((c) => shareTo(c, f.name) > 0));
  const fixed = fns.filter((f) => !reached.includes(f)).reduce((s, f) => s + (f.reservedConcurrency ?? 0), 0);
  const max = stack.lambda.accountConcurrency - UNRESERVED_MINIMUM - fixed;
  const out: Dimension[] = [];
  for (const f of reached) {
    const i = fns.indexOf(f);
    const d = functionDimension(stack, f, i, max, fns.length === 1, {
      legit: peakRate(traffic, (c) => (c.cohort.role === 'legit' ? shareTo(c, f.name) : 0)),
      all: peakRate(traffic, (c) => shareTo(c, f.name)),
    });
    if (d) out.push(d);
  }
  return out;
}

function functionDimension(stack: Stack, f: FunctionConfig, index: number, max: number, alone: boolean, peak: { legit: number; all: number }): Dimension | undefined {
  const path = index === 0 ? 'lambda' : `functions[${index - 1}]`;
  const busy = new DurationModel(f.duration).fluid({
    functionTimeout: f.timeout,
    integrationTimeout: stack.api.integrationTimeout,
    errorRate: f.errorRate,
  }).busySeconds;
  // a function URL also caps requests per second at 10 × its concurrency
  const url = stack.api.kind === 'function-url' ? 10 : Infinity;
  const lo = Math.max(peak.legit * busy, peak.legit / url);
  const hi = Math.min(max, Math.max(peak.all * busy, peak.all / url));
  const levels = [...new Set(ladder(lo, hi, { min: 1 }).map(Math.ceil))].filter((v) => v <= max);
  const rungs: Rung<number>[] = levels.map((value, level) => ({ value, level, variant: 0 }));
  if (!rungs.length && f.reservedConcurrency === undefined) return undefined;
  const target = (s: Stack): { reservedConcurrency?: number } => (path === 'lambda' ? s.lambda : s.functions!.find((x) => x.name === f.name)!);
  return ladderDimension<number>({
    id: `${path}.reservedConcurrency`,
    base: f.reservedConcurrency ?? null,
    rungs,
    coarse: (rs) => {
      const picks = spread(rungs.map((r) => r.level));
      return rs.flatMap((r, i) => (r.value !== null && picks.includes(r.level) ? [i] : []));
    },
    same: (a, b) => a === b,
    // A lone function's cap only rises with its reservation, and without one it has the whole
    // account (≥ 100 more than any reservation). Beside other functions a reservation also
    // shrinks the pool they share, so no value is looser than another there.
    refuses: 'lambdaThrottled',
    looser: (a, b) => alone && b >= a,
    noneLoosest: alone,
    // A lone function's pool answers a run that throttled nothing the same way under any limit
    // above the most environments its answers compared with the limit (ConcurrencyPool.peakDemand).
    // Not for a function URL: its requests-per-second limit (10 × concurrency) is a token bucket
    // whose refills the limit changes.
    ...(alone && stack.api.kind !== 'function-url'
      ? { answersAsBefore: (b: number, run: Refusals) => run.concurrency[index] !== undefined && limitAnswersAsBefore(b, run.concurrency[index]) }
      : {}),
    apply: (s, v) => {
      const t = target(s);
      if (v === null) delete t.reservedConcurrency;
      else t.reservedConcurrency = v;
    },
    changes: (from, to) => [{ path: `${path}.reservedConcurrency`, from, to }],
    describe: (v) => `${path} reserved ${v ?? 'none'}`,
  });
}

/** Whether all functions' reserved concurrency together leaves AWS's 100 unreserved. */
export function reservedWithinAccount(stack: Stack): boolean {
  const total = stackFunctions(stack).reduce((s, f) => s + (f.reservedConcurrency ?? 0), 0);
  return total <= stack.lambda.accountConcurrency - UNRESERVED_MINIMUM;
}
