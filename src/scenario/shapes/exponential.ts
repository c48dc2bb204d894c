import { formatDuration } from '../../model/units.ts';
import type { Segment } from '../types.ts';
import { formatRate, type ShapeMath } from './shape.ts';

type Exponential = Extract<Segment, { kind: 'exponential' }>;

/** `exponential: { start, factor, every }`: start × factor^(u / every) (DoWTS-style growth). */
export const exponential: ShapeMath<Exponential> = {
  rate: (seg, u) => seg.start * Math.pow(seg.factor, u / seg.every),
  integral: (seg, u0, u1) => {
    if (seg.factor === 1 || seg.start === 0) return seg.start * (u1 - u0);
    const k = Math.log(seg.factor) / seg.every; // rate = start · e^(k·u)
    // start/k · (e^(k·u1) − e^(k·u0)), written with expm1 so factors near 1 keep their precision
    return (seg.start / k) * Math.exp(k * u0) * Math.expm1(k * (u1 - u0));
  },
  constantEnd: (seg, u) => (seg.factor === 1 || seg.start === 0 ? seg.duration : u),
  describe: (seg) => {
    const end = exponential.rate(seg, seg.duration);
    return (
      `exponential ${formatRate(seg.start)}→${formatRate(end)} rps ` +
      `(×${formatRate(seg.factor)} every ${formatDuration(seg.every)}) over ${formatDuration(seg.duration)}`
    );
  },
};
