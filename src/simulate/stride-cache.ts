import type { Cohort, Scenario } from '../scenario/types.ts';
import { planStride, type StrideLane, type StridePlan } from './stride.ts';

/** Most plans kept per scenario and lane set: a month of stride tries need not all stay. */
const MAX_PLANS = 20_000;

/** Plans by t, then by period and longest stride (numbers: a string key per question was measurable). */
type Memo = { size: number; byT: Map<number, Map<number, Map<number, StridePlan | undefined>>> };

const plans = new WeakMap<Scenario, Map<string, Memo>>();

/**
 * planStride, remembered per scenario: a plan depends on the traffic alone (the lanes' profiles,
 * shares and the clock), not on the stack, and `tune` simulates one scenario against hundreds of
 * stacks, asking the same questions at the same instants each time. The lanes must be the
 * scenario's own cohorts' (their profile is then named by the cohort's place); plans are shared,
 * never to be changed by the caller.
 */
export function stridePlanner(scenario: Scenario, lanes: readonly (StrideLane & { cohort: Cohort })[]): (t: number, period: number, most: number) => StridePlan | undefined {
  const places = lanes.map((l) => scenario.cohorts.indexOf(l.cohort));
  if (places.some((p, i) => p < 0 || lanes[i].segments !== lanes[i].cohort.rate)) return (t, period, most) => planStride(lanes, t, period, most);
  const sig = lanes.map((l, i) => `${places[i]}/${l.duration}/${l.share}`).join(',');
  let byLanes = plans.get(scenario);
  if (!byLanes) plans.set(scenario, (byLanes = new Map()));
  let memo = byLanes.get(sig);
  if (!memo) byLanes.set(sig, (memo = { size: 0, byT: new Map() }));
  const known = memo;
  return (t, period, most) => {
    const byMost = known.byT.get(t)?.get(period);
    if (byMost?.has(most)) return byMost.get(most);
    const plan = planStride(lanes, t, period, most);
    if (known.size < MAX_PLANS) {
      let byPeriod = known.byT.get(t);
      if (!byPeriod) known.byT.set(t, (byPeriod = new Map()));
      let m = byPeriod.get(period);
      if (!m) byPeriod.set(period, (m = new Map()));
      m.set(most, plan);
      known.size++;
    }
    return plan;
  };
}
