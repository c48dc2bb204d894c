import { formatDuration } from '../../model/units.ts';
import type { Segment } from '../types.ts';
import { formatRate, type ShapeMath } from './shape.ts';

type Diurnal = Extract<Segment, { kind: 'diurnal' }>;

/** `diurnal: { mean, amplitude, period }`: mean + amplitude · sin(2π u / period), u from the segment's start. */
export const diurnal: ShapeMath<Diurnal> = {
  // amplitude ≤ mean is a schema rule; the max() only guards float rounding at the trough
  rate: (seg, u) => Math.max(0, seg.mean + seg.amplitude * Math.sin((2 * Math.PI * u) / seg.period)),
  integral: (seg, u0, u1) => {
    const w = (2 * Math.PI) / seg.period;
    return seg.mean * (u1 - u0) + (seg.amplitude / w) * (Math.cos(w * u0) - Math.cos(w * u1));
  },
  constantEnd: (seg, u) => (seg.amplitude === 0 ? seg.duration : u),
  describe: (seg) =>
    `diurnal ${formatRate(seg.mean)} ± ${formatRate(seg.amplitude)} rps (period ${formatDuration(seg.period)}) ` +
    `for ${formatDuration(seg.duration)}`,
};
