import type { Scenario } from '../scenario/types.ts';
import { scenarioDuration } from '../scenario/profile.ts';
import { trafficPeriod } from '../scenario/repetition.ts';

/**
 * The longest span tune judges a scenario over: a week. A diurnal period that fits a scenario's
 * length badly (24 h against 7 min: lcm 7 days; 86,401 s against 1 h: 9.8 years) would otherwise
 * cost a simulation of the whole lcm per candidate.
 */
export const MAX_SPAN_SECONDS = 7 * 86_400;

/** What tune simulates of one scenario for every candidate. */
export interface JudgedSpan {
  scenario: string;
  /** Seconds simulated: the scenario repeated `repetitions` times. */
  seconds: number;
  /** The scenario's own length. */
  scenarioSeconds: number;
  repetitions: number;
  /**
   * true: the traffic only comes round after longer than MAX_SPAN_SECONDS (or never, on a whole
   * millisecond), so the span is the most whole repetitions that fit in it, not a full cycle:
   * a longer `simulate --horizon` may meet phases of the curve tune did not see.
   */
  capped: boolean;
}

/**
 * The span a scenario is judged over: what `simulate` itself repeats. A scenario lasting S seconds
 * comes round after S, unless a diurnal segment's period carries its curve on across repetitions
 * (repetition k plays it k·S ahead): then after lcm(S, period) (scenario/repetition.ts), which the
 * simulator folds on. One run of S would see only the curve's first S seconds (a 1 h scenario on a
 * 24 h curve: hour 1, never the peak at hour 6), so a throttle that cuts users at the peak could
 * pass. Over the span, any horizon of whole spans has the same figures per hour.
 */
export function judgedSpan(scenario: Scenario): JudgedSpan {
  const S = Math.max(1, scenarioDuration(scenario));
  const cycle = trafficPeriod(
    scenario.cohorts.map((c) => c.rate),
    S,
    Math.max(S, MAX_SPAN_SECONDS),
  );
  const repetitions = cycle !== undefined ? Math.max(1, Math.round(cycle / S)) : Math.max(1, Math.floor(MAX_SPAN_SECONDS / S));
  return { scenario: scenario.name, seconds: repetitions * S, scenarioSeconds: S, repetitions, capped: cycle === undefined };
}

/**
 * The tick the search simulates a scenario on (the shortlist is re-checked on 1-second ticks over
 * the same span): 1 s for spans under 30 minutes, 10 s under 6 hours, 60 s beyond, so that a day's
 * span costs a candidate about as many steps as an hour's; never longer than the fastest IP
 * rotation of its cohorts (down to 10 s): a tick longer than a rotation hides what one IP sends.
 */
export function screeningTick(scenario: Scenario, span: JudgedSpan): number {
  if (span.seconds < 1800) return 1;
  if (span.seconds < 6 * 3600) return 10;
  const rotations = scenario.cohorts.flatMap((c) => (c.rotate && c.rotate > 0 ? [c.rotate] : []));
  return Math.max(10, Math.min(60, ...rotations));
}
