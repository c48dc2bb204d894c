import type { Scenario } from '../scenario/types.ts';
import { trafficPeriod } from '../scenario/repetition.ts';

/**
 * The period the engine folds on: the scenario repeats every S seconds, but a diurnal segment
 * goes on along its own period across repetitions, so the traffic only comes round again after
 * lcm(S, period) (scenario/repetition.ts). Infinity when that does not fit in the horizon (or
 * is no longer than a tick): the engine then simulates straight through, never replaying.
 */
export function foldPeriod(scenario: Scenario, S: number, H: number, dt: number): number {
  const F = trafficPeriod(
    scenario.cohorts.map((c) => c.rate),
    S,
    H,
  );
  return F !== undefined && F > dt ? F : Infinity;
}
