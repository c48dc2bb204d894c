import { formatDuration } from '../../model/units.ts';
import type { Segment } from '../types.ts';
import { formatRate, type ShapeMath } from './shape.ts';

type Ramp = Extract<Segment, { kind: 'ramp' }>;

/** `ramp: [from, to]`: linear from `from` at the start to `to` at the end. */
export const ramp: ShapeMath<Ramp> = {
  rate: (seg, u) => seg.from + ((seg.to - seg.from) * u) / seg.duration,
  // trapezoid: exact for a linear rate
  integral: (seg, u0, u1) => ((ramp.rate(seg, u0) + ramp.rate(seg, u1)) / 2) * (u1 - u0),
  constantEnd: (seg, u) => (seg.from === seg.to ? seg.duration : u),
  describe: (seg) => `ramp ${formatRate(seg.from)}→${formatRate(seg.to)} rps over ${formatDuration(seg.duration)}`,
};
