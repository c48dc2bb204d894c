import { formatDuration } from '../../model/units.ts';
import type { Segment } from '../types.ts';
import { formatRate, type ShapeMath } from './shape.ts';

type Constant = Extract<Segment, { kind: 'constant' }>;

/** `rate: N`: the same rate for the whole segment. */
export const constant: ShapeMath<Constant> = {
  rate: (seg) => seg.rate,
  integral: (seg, u0, u1) => seg.rate * (u1 - u0),
  constantEnd: (seg) => seg.duration,
  describe: (seg) => `${formatRate(seg.rate)} rps for ${formatDuration(seg.duration)}`,
};
