import type { Segment } from '../scenario/types.ts';
import { arrivalsBetween, gradualUntil, rateAt } from '../scenario/profile.ts';

/** Longest step the simulator takes through a gradual stretch (seconds). */
export const MAX_STRIDE = 300;

/** How much a lane's rate may change within one stride, relative to its largest value. */
export const STRIDE_TOLERANCE = 0.01;

/** What a stride needs to know of one lane: its rate profile, repeated every `period` seconds. */
export interface StrideLane {
  segments: readonly Segment[];
  duration: number; // of the profile; silent from here to the end of the period
  share: number; // of the profile's arrivals this lane carries
}

export interface StridePlan {
  length: number;
  /** Per lane: arrivals in the stride, and bounds of its per-second rate in it. */
  n: number[];
  lo: number[];
  hi: number[];
}

/**
 * A long step from t (at most `most` seconds, a whole number) over which every lane's rate is
 * gradual — no segment boundary, no pulse edge, no random step, a change of at most
 * STRIDE_TOLERANCE — with each lane's arrivals and peak rate; undefined when no step of 2 s or
 * more qualifies. Whether the limiters allow it is the caller's question.
 */
export function planStride(lanes: readonly StrideLane[], t: number, period: number, most: number): StridePlan | undefined {
  const ahead = Math.floor(t / period + 1e-9) * period; // repetition k: diurnal curves k·period on
  const local = t - ahead;
  let length = Math.floor(most + 1e-9);
  for (const lane of lanes) {
    if (local >= lane.duration - 1e-9) continue; // silent until the period ends
    length = Math.min(length, Math.floor(Math.min(lane.duration, gradualUntil(lane.segments, local)) - local + 1e-9));
  }
  for (; length >= 2; length = Math.floor(length / 2)) {
    const plan = tryStride(lanes, local, length, ahead);
    if (plan) return plan;
  }
  return undefined;
}

function tryStride(lanes: readonly StrideLane[], local: number, length: number, ahead: number): StridePlan | undefined {
  const n: number[] = [];
  const lo: number[] = [];
  const hi: number[] = [];
  for (const lane of lanes) {
    if (local >= lane.duration - 1e-9) {
      n.push(0);
      lo.push(0);
      hi.push(0);
      continue;
    }
    // the rate at both ends and the middle (just inside the stride: a segment may end at its end)
    const a = rateAt(lane.segments, local, ahead);
    const b = rateAt(lane.segments, local + length / 2, ahead);
    const c = rateAt(lane.segments, local + length - 1e-6, ahead);
    const top = Math.max(a, b, c);
    const bottom = Math.min(a, b, c);
    if (top - bottom > STRIDE_TOLERANCE * top) return undefined;
    n.push(arrivalsBetween(lane.segments, local, local + length, ahead) * lane.share);
    // a gradual shape between three samples this close stays within the tolerance of them
    lo.push(bottom * (1 - STRIDE_TOLERANCE) * lane.share);
    hi.push(top * (1 + STRIDE_TOLERANCE) * lane.share);
  }
  return { length, n, lo, hi };
}
