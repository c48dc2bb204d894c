import type { Quota, Stack } from '../stack/types.ts';
import { ladder, ladderDimension, type Change, type Dimension, type Rung } from './dimension.ts';
import { peakClientCount, peakClientPeriodCount, type CohortTraffic } from './traffic.ts';

/** AWS's quota periods, and the longest each can be (a MONTH of 31 days). */
const PERIODS: { period: Quota['period']; seconds: number }[] = [
  { period: 'DAY', seconds: 86_400 },
  { period: 'WEEK', seconds: 7 * 86_400 },
  { period: 'MONTH', seconds: 31 * 86_400 },
];

/**
 * Usage-plan quotas (REST APIs that require keys), for the plans whose keys an attack cohort holds:
 * none, or for each period (DAY, WEEK, MONTH) a per-key limit from what one legit key sends over
 * that period when its scenario repeats all period long (so users never meet it, whatever the
 * period's phase) up to what one attacking key sends in its scenario's span (above that the
 * quota never refuses anything within the span tune simulates). A period whose legit need is
 * above the attackers' count has no room and adds nothing. The plan's own offset is kept (0 for
 * a new quota).
 */
export function quotaDimensions(stack: Stack, traffic: CohortTraffic[]): Dimension[] {
  if (stack.api.kind !== 'rest' || !stack.api.apiKeyRequired) return [];
  const out: Dimension[] = [];
  stack.api.usagePlans.forEach((plan, i) => {
    const holds = (c: CohortTraffic) => c.cohort.apiKey === plan.name;
    const attack = peakClientCount(traffic, (c) => holds(c) && c.cohort.role === 'attack');
    if (!(attack > 0)) return;
    const rungs: Rung<Quota>[] = [];
    PERIODS.forEach(({ period, seconds }, variant) => {
      const legit = peakClientPeriodCount(traffic, (c) => holds(c) && c.cohort.role === 'legit', seconds);
      ladder(Math.ceil(legit), attack, { min: 1, steps: 6 }).forEach((limit, level) =>
        rungs.push({ value: { limit: Math.ceil(limit), period, offset: plan.quota?.offset ?? 0 }, level, variant }),
      );
    });
    if (!rungs.length && !plan.quota) return;
    const path = `api.usagePlans[${i}].quota`;
    out.push(
      ladderDimension<Quota>({
        id: path,
        base: plan.quota ?? null,
        rungs,
        // the tightest limit of each period: past the users' own need, a lower limit only refuses sooner
        coarse: (rs) => rs.flatMap((r, j) => (r.level === 0 ? [j] : [])),
        same: (a, b) => a.limit === b.limit && a.period === b.period && a.offset === b.offset,
        // one key's count over the same periods: a higher limit is reached later, if ever
        refuses: 'quotaExceeded',
        scope: { plan: plan.name },
        looser: (a, b) => a.period === b.period && a.offset === b.offset && b.limit >= a.limit,
        apply: (s, v) => {
          if (v) s.api.usagePlans[i].quota = v;
          else delete s.api.usagePlans[i].quota;
        },
        changes: (from, to) => {
          const out: Change[] = [];
          if ((from?.limit ?? null) !== (to?.limit ?? null)) out.push({ path: `${path}.limit`, from: from?.limit ?? null, to: to?.limit ?? null });
          if ((from?.period ?? null) !== (to?.period ?? null)) out.push({ path: `${path}.period`, from: from?.period ?? null, to: to?.period ?? null });
          return out;
        },
        describe: (v) => (v ? `${path} ${v.limit}/${v.period}` : `${path} none`),
      }),
    );
  });
  return out;
}
