/**
 * A cohort's rate profile → one k6 arrival-rate executor. k6 knows only constant and linear rates
 * (integers per timeUnit), so every dowsim shape becomes hold stages (constant stretches: a 0 s
 * jump, then a hold), one linear stage (ramps), or chords of the curve (exponential, diurnal)
 * fine enough that the planned total stays within 0.2 % of the profile's exact integral.
 */
import type { Segment } from '../scenario/types.ts';
import { arrivalsBetween, constantUntil, profileDuration, rateAt } from '../scenario/profile.ts';
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
  /** Requests the profile asks for over its whole length (exact integral). */
  expected: number;
  /** Requests the k6 plan asks for (area under its stages). */
  planned: number;
  /** Highest rate of the plan, requests per second. */
  peakRps: number;
  /** When the plan's first stage starts and its last one ends (seconds into the scenario). */
  startSeconds: number;
  endSeconds: number;
}

/** A stretch of the profile drawn as a straight line: rate `from` at t0 to `to` at t1 (rps). */
interface Piece {
  t0: number;
  t1: number;
  from: number;
  to: number;
}

const UNITS: { unit: K6TimeUnit; seconds: number }[] = [
  { unit: '1s', seconds: 1 },
  { unit: '1m', seconds: 60 },
  { unit: '1h', seconds: 3600 },
];

/** Relative error allowed on the total of the chord approximation, and after rounding targets. */
const CURVE_TOLERANCE = 0.0005;
const TOTAL_TOLERANCE = 0.002;
/** A target may be off its exact rate by 2 % after rounding (or be exact, or below 1 per unit). */
const TARGET_TOLERANCE = 0.02;
/**
 * Chords per characteristic time of a curve: 48 per diurnal period (half-hour chords of a day),
 * 12 per exponential step (a chord strays < 0.1 % from a doubling curve); refine() then adds
 * chords wherever the area is still off.
 */
const CHORDS_PER_PERIOD = 48;
const CHORDS_PER_STEP = 12;
/** The planner cuts at whole milliseconds: k6 durations are written to the millisecond. */
const MS = 0.001;

/** How k6 should drive `segments`: executor, timeUnit, stages, and the totals to check it by. */
export function planArrivals(segments: readonly Segment[]): ArrivalPlan {
  const total = profileDuration(segments as Segment[]);
  const expected = total > 0 ? arrivalsBetween(segments as Segment[], 0, total) : 0;
  const pieces = trimZeros(mergePieces(piecesOf(segments)));
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
  return Math.max(plan.startRate, ...plan.stages.map((s) => s.target)) / u;
}

export function unitSeconds(unit: K6TimeUnit): number {
  return UNITS.find((u) => u.unit === unit)!.seconds;
}

/** The profile as straight pieces, segment by segment. */
function piecesOf(segments: readonly Segment[]): Piece[] {
  const segs = segments as Segment[];
  const out: Piece[] = [];
  let a = 0;
  for (const seg of segments) {
    const b = a + seg.duration;
    let t = a;
    while (t < b - MS / 2) {
      const c = Math.min(snap(constantUntil(segs, t)), b);
      if (c > t + MS / 2) {
        const r = rateAt(segs, t);
        out.push({ t0: t, t1: c, from: r, to: r });
        t = c;
        continue;
      }
      if (seg.kind === 'ramp') {
        // a ramp is already linear: one stage, ending exactly on the ramp's `to`
        out.push({ t0: t, t1: b, from: rateAt(segs, t), to: seg.to });
      } else {
        out.push(...chords(segs, t, b, chordLength(seg)));
      }
      t = b;
    }
    a = b;
  }
  return out;
}

/** Chords of a curved stretch [t0, t1): short enough to follow its shape, refined until its area is right. */
function chords(segs: Segment[], t0: number, t1: number, chordSeconds: number): Piece[] {
  const n = Math.max(1, Math.ceil((t1 - t0) / chordSeconds));
  const cuts: number[] = [];
  for (let i = 0; i <= n; i++) cuts.push(i === n ? t1 : snap(t0 + ((t1 - t0) * i) / n));
  const out: Piece[] = [];
  for (let i = 0; i < n; i++) refine(segs, cuts[i], cuts[i + 1], t1, out, 0);
  return out;
}

function refine(segs: Segment[], x: number, y: number, end: number, out: Piece[], depth: number): void {
  if (y - x < MS / 2) return;
  const from = rateAt(segs, x);
  const to = y >= end ? leftLimit(segs, y) : rateAt(segs, y);
  const exact = arrivalsBetween(segs, x, y);
  const chord = ((from + to) / 2) * (y - x);
  const mid = snap((x + y) / 2);
  if (Math.abs(chord - exact) > CURVE_TOLERANCE * Math.max(exact, 1e-9) && depth < 12 && mid - x >= MS && y - mid >= MS) {
    refine(segs, x, mid, end, out, depth + 1);
    refine(segs, mid, y, end, out, depth + 1);
    return;
  }
  out.push({ t0: x, t1: y, from, to });
}

/** The rate just before `t` (the end of a curved segment, where rateAt already answers for the next one). */
function leftLimit(segs: Segment[], t: number): number {
  return rateAt(segs, Math.max(0, t - 1e-7));
}

/** How long a chord may be: short enough to follow the curve's shape, not just its area. */
function chordLength(seg: Segment): number {
  switch (seg.kind) {
    case 'diurnal':
      return seg.period / CHORDS_PER_PERIOD;
    case 'exponential':
      return seg.every / CHORDS_PER_STEP;
    default:
      return seg.duration / CHORDS_PER_STEP;
  }
}

function snap(t: number): number {
  return Number.isFinite(t) ? Math.round(t / MS) * MS : t;
}

/** Joins neighbouring pieces that continue one another (same constant rate across a segment boundary). */
function mergePieces(pieces: Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const p of pieces) {
    const last = out[out.length - 1];
    if (last && last.from === last.to && p.from === p.to && last.to === p.from && Math.abs(last.t1 - p.t0) < MS / 2) {
      last.t1 = p.t1;
    } else {
      out.push({ ...p });
    }
  }
  return out;
}

/** Drops silent stretches at both ends: the leading one becomes the scenario's startTime. */
function trimZeros(pieces: Piece[]): Piece[] {
  let i = 0;
  let j = pieces.length;
  while (i < j && pieces[i].from === 0 && pieces[i].to === 0) i++;
  while (j > i && pieces[j - 1].from === 0 && pieces[j - 1].to === 0) j--;
  return pieces.slice(i, j);
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
