import type { Cohort, Scenario } from '../scenario/types.ts';
import { planStride, type StrideLane, type StridePlan } from './stride.ts';

/** Most plans kept per scenario and lane set: a month of stride tries need not all stay. */
const MAX_PLANS = 20_000;

const plans = new WeakMap<Scenario, Map<string, Map<string, StridePlan | undefined>>>();

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
  if (!memo) byLanes.set(sig, (memo = new Map()));
  const known = memo;
  return (t, period, most) => {
    const key = `${t}|${period}|${most}`;
    if (known.has(key)) return known.get(key);
    const plan = planStride(lanes, t, period, most);
    if (known.size < MAX_PLANS) known.set(key, plan);
    return plan;
  };
}
