import { profileDuration } from '../scenario/profile.ts';
import { repeatedArrivals } from '../scenario/repetition.ts';
import { shapeOf } from '../scenario/shapes/index.ts';
import type { Segment } from '../scenario/types.ts';

/**
 * Fills out[k] with a profile's arrivals over [k·step, min(span, (k+1)·step)), k < count, in a run
 * that repeats the scenario every S seconds: what repeatedArrivals answers for each sample, and
 * the same floating-point sums. When samples fit repetitions exactly (S a whole multiple of
 * step) each lies in one repetition, and the segments it overlaps are found by walking forward
 * instead of from the first (a day of one-second samples called four functions per sample,
 * most of tune's bounds in a fresh process, which runs them in V8's interpreter).
 */
export function sampleArrivals(segments: readonly Segment[], out: Float64Array, count: number, step: number, span: number, S: number): void {
  if (!(Number.isInteger(S) && S % step === 0)) {
    for (let k = 0; k < count; k++) out[k] = repeatedArrivals(segments, k * step, Math.min(span, (k + 1) * step), S);
    return;
  }
  const own = profileDuration(segments);
  // segment bounds added up as arrivalsBetween adds them
  const starts: number[] = [];
  const ends: number[] = [];
  let at = 0;
  for (const seg of segments) {
    starts.push(at);
    ends.push((at = at + seg.duration));
  }
  const shapes = segments.map((seg) => shapeOf(seg));
  let rep = Number.NaN;
  let j = 0;
  for (let k = 0; k < count; k++) {
    const s = k * step;
    const t1 = Math.min(span, (k + 1) * step);
    const start = Math.floor(s / S + 1e-9) * S; // the repetition's start, as repeatedArrivals finds it
    if (start !== rep) [rep, j] = [start, 0];
    let total = 0;
    if (s < t1 - 1e-12 && s - start < own) {
      // arrivalsBetween(segments, u0, u1, start): the overlapping segments' integrals, in order
      const u0 = s - start;
      const u1 = Math.min(t1 - start, own);
      while (j < segments.length && !(ends[j] > u0)) j++;
      let sum = 0;
      for (let i = j; i < segments.length && starts[i] < u1; i++) {
        const lo = Math.max(u0, starts[i]);
        const hi = Math.min(u1, ends[i]);
        if (hi > lo) sum += shapes[i].integral(segments[i], lo - starts[i], hi - starts[i], start);
      }
      total += sum;
    }
    out[k] = total;
  }
}
