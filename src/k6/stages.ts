/**
 * A cohort's rate profile → one k6 arrival-rate executor. k6 knows only constant and linear rates
 * (integers per timeUnit), so every dowsim shape becomes hold stages (constant stretches: a 0 s
 * jump, then a hold), one linear stage (ramps), or chords of the curve (exponential, diurnal)
 * fine enough that the planned total stays within 0.2 % of the profile's exact integral.
 */
import type { Segment } from '../scenario/types.ts';
import { arrivalsBetween, profileDuration } from '../scenario/profile.ts';
import { repeatedArrivals } from '../scenario/repetition.ts';
import { mergePieces, piecesOf, repeatedPieces, trimZeros, type Piece, type RepeatOptions } from './pieces.ts';
import { k6Duration, parseK6Duration as parseSeconds } from './k6-duration.ts';

export type K6TimeUnit = '1s' | '1m' | '1h';

export interface K6Stage {
  duration: string;
  target: number;
}

export type ExecutorPlan =
  | { executor: 'constant-arrival-rate'; startTime: string; timeUnit: K6TimeUnit; rate: number; duration: string }
  | { executor: 'ramping-arrival-rate'; startTime: string; timeUnit: K6TimeUnit; startRate: number; stages: K6Stage[] };

export interface ArrivalPlan {
  /** undefined when the cohort never sends anything. */
  plan?: ExecutorPlan;
  /** Requests the profile asks for over its whole length, or over the repeated run (exact integral). */
  expected: number;
  /** Requests the k6 plan asks for (area under its stages). */
  planned: number;
  /** Highest rate of the plan, requests per second. */
  peakRps: number;
  /** When the plan's first stage starts and its last one ends (seconds into the scenario). */
  startSeconds: number;
  endSeconds: number;
}

export type { RepeatOptions } from './pieces.ts';

const UNITS: { unit: K6TimeUnit; seconds: number }[] = [
  { unit: '1s', seconds: 1 },
  { unit: '1m', seconds: 60 },
  { unit: '1h', seconds: 3600 },
];

/** Relative error allowed on the plan's total after rounding targets. */
const TOTAL_TOLERANCE = 0.002;
/** A target may be off its exact rate by 2 % after rounding (or be exact, or below 1 per unit). */
const TARGET_TOLERANCE = 0.02;

/**
 * Most stages dowsim writes for one cohort's k6 scenario. k6 reads a script's stages into memory
 * before it starts and walks them as it runs; beyond this the script passes several megabytes (a
 * ConfigMap holds 1 MiB) for a schedule nobody could check, so the export refuses and says why.
 */
export const MAX_K6_STAGES = 100_000;

/**
 * About how many stages a run of `segments` needs, without making them: one pass's pieces, and
 * over a longer run every repetition's (and the silence to the next), of which at most one merges
 * into the next repetition's first; a piece is one stage, or two with a jump. A profile that is one
 * constant stretch filling its period merges into one piece however long the run. (A diurnal
 * curve's chords vary a little from one repetition to the next: these are estimates, not bounds.)
 */
export function stagesEstimate(segments: readonly Segment[], repeat?: RepeatOptions): { least: number; most: number } {
  const pieces = mergePieces(piecesOf(segments));
  // a cohort that never sends is left out, however long the run
  if (pieces.every((p) => p.from === 0 && p.to === 0)) return { least: 0, most: 0 };
  const one = pieces.length;
  if (!repeat || !(repeat.periodSeconds > 0)) return { least: one, most: 2 * one };
  const own = profileDuration(segments as Segment[]);
  const perRepetition = one + (own < repeat.periodSeconds - 0.0005 ? 1 : 0);
  const repetitions = Math.ceil(repeat.durationSeconds / repeat.periodSeconds - 1e-9);
  if (perRepetition <= 1) return { least: 1, most: 2 };
  return { least: Math.max(perRepetition, (perRepetition - 1) * repetitions), most: 2 * perRepetition * repetitions };
}

/** How k6 should drive `segments`: executor, timeUnit, stages, and the totals to check it by. */
export function planArrivals(segments: readonly Segment[], repeat?: RepeatOptions): ArrivalPlan {
  const total = profileDuration(segments as Segment[]);
  const expected = repeat
    ? repeatedArrivals(segments, 0, repeat.durationSeconds, repeat.periodSeconds)
    : total > 0
      ? arrivalsBetween(segments as Segment[], 0, total)
      : 0;
  const pieces = trimZeros(mergePieces(repeat ? repeatedPieces(segments, repeat) : piecesOf(segments)));
  if (pieces.length === 0 || expected <= 0) return { expected, planned: 0, peakRps: 0, startSeconds: 0, endSeconds: 0 };

  const startSeconds = pieces[0].t0;
  const endSeconds = pieces[pieces.length - 1].t1;
  const unit = chooseUnit(pieces, expected);
  const plan = toPlan(pieces, unit);
  return { plan, expected, planned: plannedIterations(plan), peakRps: peakRps(plan), startSeconds, endSeconds };
}

/** Requests a plan starts: the area under its rate curve (k6 starts one per whole unit of area). */
export function plannedIterations(plan: ExecutorPlan): number {
  const u = unitSeconds(plan.timeUnit);
  if (plan.executor === 'constant-arrival-rate') return (plan.rate / u) * parseSeconds(plan.duration);
  let from = plan.startRate / u;
  let area = 0;
  for (const s of plan.stages) {
    const to = s.target / u;
    area += ((from + to) / 2) * parseSeconds(s.duration);
    from = to;
  }
  return area;
}

/** Requests the plan starts in [t0, t1) seconds after its start: the exact area under its stages there. */
export function planArrivalsBetween(plan: ExecutorPlan, t0: number, t1: number): number {
  const u = unitSeconds(plan.timeUnit);
  const pieces: Piece[] = [];
  if (plan.executor === 'constant-arrival-rate') {
    pieces.push({ t0: 0, t1: parseSeconds(plan.duration), from: plan.rate / u, to: plan.rate / u });
  } else {
    let from = plan.startRate / u;
    let start = 0;
    for (const s of plan.stages) {
      const d = parseSeconds(s.duration);
      pieces.push({ t0: start, t1: start + d, from, to: s.target / u });
      start += d;
      from = s.target / u;
    }
  }
  let area = 0;
  for (const p of pieces) {
    const a = Math.max(t0, p.t0);
    const b = Math.min(t1, p.t1);
    if (b <= a) continue;
    const at = (t: number) => p.from + ((p.to - p.from) * (t - p.t0)) / (p.t1 - p.t0);
    area += ((at(a) + at(b)) / 2) * (b - a);
  }
  return area;
}

export function peakRps(plan: ExecutorPlan): number {
  const u = unitSeconds(plan.timeUnit);
  if (plan.executor === 'constant-arrival-rate') return plan.rate / u;
  // a loop: a spread of a long stage list overflows the call stack
  let top = plan.startRate;
  for (const s of plan.stages) if (s.target > top) top = s.target;
  return top / u;
}

export function unitSeconds(unit: K6TimeUnit): number {
  return UNITS.find((u) => u.unit === unit)!.seconds;
}

/**
 * The smallest timeUnit whose integer targets stay close to every rate and keep the total right:
 * 2.5 rps is "150 per minute", 0.05 rps "180 per hour".
 */
function chooseUnit(pieces: Piece[], expected: number): K6TimeUnit {
  for (const { unit, seconds } of UNITS) {
    const rates = pieces.flatMap((p) => [p.from, p.to]);
    const closeEnough = rates.every((r) => {
      const x = r * seconds;
      const err = Math.abs(Math.round(x) - x);
      return err < 1e-9 || err <= TARGET_TOLERANCE * x;
    });
    if (!closeEnough) continue;
    const planned = plannedIterations(toPlan(pieces, unit));
    if (Math.abs(planned - expected) <= TOTAL_TOLERANCE * expected) return unit;
  }
  return '1h';
}

function toPlan(pieces: Piece[], unit: K6TimeUnit): ExecutorPlan {
  const u = unitSeconds(unit);
  const round = (r: number) => Math.max(0, Math.round(r * u));
  const startTime = k6Duration(pieces[0].t0);
  if (pieces.length === 1 && pieces[0].from === pieces[0].to) {
    return { executor: 'constant-arrival-rate', startTime, timeUnit: unit, rate: round(pieces[0].from), duration: k6Duration(pieces[0].t1 - pieces[0].t0) };
  }
  const stages: K6Stage[] = [];
  const startRate = round(pieces[0].from);
  let current = startRate;
  for (const p of pieces) {
    const from = round(p.from);
    if (from !== current) stages.push({ duration: '0s', target: from }); // a jump: k6 treats a 0 s stage as one
    const to = round(p.to);
    const last = stages[stages.length - 1];
    const duration = p.t1 - p.t0;
    if (last && from === to && last.target === to && stages.length > 0 && isHold(stages, startRate)) {
      // two holds at one rounded rate read better as one
      last.duration = k6Duration(parseSeconds(last.duration) + duration);
    } else {
      stages.push({ duration: k6Duration(duration), target: to });
    }
    current = to;
  }
  return { executor: 'ramping-arrival-rate', startTime, timeUnit: unit, startRate, stages };
}

/** Whether the last stage holds its rate (its target equals the rate it started from). */
function isHold(stages: K6Stage[], startRate: number): boolean {
  const prev = stages.length >= 2 ? stages[stages.length - 2].target : startRate;
  const last = stages[stages.length - 1];
  return last.duration !== '0s' && last.target === prev;
}
