import type { Segment } from '../types.ts';

/**
 * The arithmetic of one rate shape, in time `u` measured from the segment's start
 * (0 ≤ u ≤ segment.duration). Every function is pure and closed-form where the shape allows.
 *
 * `ahead` is how far the clock of this play of the segment is ahead of the first play: k·S in
 * repetition k of a scenario lasting S seconds. Only `diurnal` reads it — a daily curve follows
 * the time of day, not the start of the scenario — every other shape restarts with its segment.
 */
export interface ShapeMath<S extends Segment> {
  /** Requests per second at u. */
  rate(seg: S, u: number, ahead?: number): number;
  /** Exact ∫ rate du over [u0, u1], 0 ≤ u0 ≤ u1 ≤ duration: the expected arrivals. */
  integral(seg: S, u0: number, u1: number, ahead?: number): number;
  /** The end (≤ duration) of the stretch from u over which the rate stays constant; u if it is changing. */
  constantEnd(seg: S, u: number): number;
  /** "ramp 0→5,000 rps over 1m" */
  describe(seg: S): string;
}

/**
 * floor(u / step), but a u that float arithmetic left a hair below a multiple of step counts as
 * that multiple, so a phase boundary computed as k·step lands in the next phase, not the last.
 */
export function stepIndex(u: number, step: number): number {
  const q = u / step;
  const k = Math.floor(q);
  return k + 1 - q < 1e-9 ? k + 1 : k;
}

/** 5000 → "5,000"; 2.5 → "2.5" */
export function formatRate(n: number): string {
  if (n !== 0 && Math.abs(n) < 0.01) return String(Number(n.toPrecision(2)));
  return n.toLocaleString('en-US', { maximumFractionDigits: 2 });
}
