/**
 * A cohort's rate over time. Segments run one after another from t = 0; before 0 and after the
 * last segment the rate is 0. All functions are pure: the simulator calls them per tick and
 * jumps over stretches where `constantUntil` says nothing changes.
 *
 * `ahead` (default 0) plays the profile as repetition k of a scenario lasting S seconds does,
 * with ahead = k·S: diurnal segments follow their period in absolute time (see shapes/shape.ts).
 */
import { shapeOf } from './shapes/index.ts';
import type { Scenario, Segment } from './types.ts';

/** How long the segments last, in seconds. */
export function profileDuration(segments: readonly Segment[]): number {
  let total = 0;
  for (const s of segments) total += s.duration;
  return total;
}

/** How long the scenario lasts: its longest cohort. */
export function scenarioDuration(scenario: Scenario): number {
  let longest = 0;
  for (const c of scenario.cohorts) longest = Math.max(longest, profileDuration(c.rate));
  return longest;
}

/** The segment holding t (segments cover [start, start + duration)), or undefined outside them. */
function segmentAt(segments: readonly Segment[], t: number): { seg: Segment; start: number } | undefined {
  if (!(t >= 0)) return undefined;
  let start = 0;
  for (const seg of segments) {
    const end = start + seg.duration;
    if (t < end) return { seg, start };
    start = end;
  }
  return undefined;
}

/** Requests per second at time t (seconds from the cohort's start). */
export function rateAt(segments: readonly Segment[], t: number, ahead = 0): number {
  const at = segmentAt(segments, t);
  return at ? shapeOf(at.seg).rate(at.seg, t - at.start, ahead) : 0;
}

/** Expected arrivals in [t0, t1]: the exact integral of the rate (negative if t1 < t0). */
export function arrivalsBetween(segments: readonly Segment[], t0: number, t1: number, ahead = 0): number {
  if (t1 < t0) return -arrivalsBetween(segments, t1, t0, ahead);
  let sum = 0;
  let start = 0;
  for (const seg of segments) {
    const end = start + seg.duration;
    if (end > t0) {
      if (start >= t1) break;
      const lo = Math.max(t0, start);
      const hi = Math.min(t1, end);
      if (hi > lo) sum += shapeOf(seg).integral(seg, lo - start, hi - start, ahead);
    }
    start = end;
  }
  return sum;
}

/** End of the constant stretch from t within one segment (or before/after all of them). */
function localConstantEnd(segments: readonly Segment[], t: number, total: number): number {
  if (t < 0) return 0;
  if (t >= total) return Infinity;
  const at = segmentAt(segments, t);
  if (!at) return Infinity;
  const end = at.start + shapeOf(at.seg).constantEnd(at.seg, t - at.start);
  return end > t ? end : t;
}

/**
 * The end of the stretch starting at t over which the rate stays constant (a constant segment, a
 * pulse phase, a random step, a flat ramp; neighbouring stretches at the same rate are merged).
 * Returns t itself when the rate is changing at t, and Infinity once the profile is over (0 forever).
 */
export function constantUntil(segments: readonly Segment[], t: number, ahead = 0): number {
  const total = profileDuration(segments);
  const rate = rateAt(segments, t, ahead);
  let end = localConstantEnd(segments, t, total);
  // Merging is bounded: equal neighbouring stretches are rare, and a pathological chain stops here.
  for (let i = 0; i < 10_000 && end > t && end < Infinity; i++) {
    if (rateAt(segments, end, ahead) !== rate) break;
    const next = localConstantEnd(segments, end, total);
    if (!(next > end)) break;
    end = next;
  }
  return end;
}

/** Shapes whose rate changes only gradually (no jumps inside the segment). */
const GRADUAL = new Set<Segment['kind']>(['constant', 'ramp', 'exponential', 'diurnal']);

/**
 * The end of the stretch from t over which the rate has no jump: the end of a gradual segment
 * (constant, ramp, exponential, diurnal), the end of a pulse phase or random step, or Infinity
 * once the profile is over. The simulator may take long steps inside such a stretch.
 */
export function gradualUntil(segments: readonly Segment[], t: number): number {
  const at = segmentAt(segments, t);
  if (!at) return t < 0 ? 0 : Infinity;
  if (GRADUAL.has(at.seg.kind)) return at.start + at.seg.duration;
  return constantUntil(segments, t);
}
