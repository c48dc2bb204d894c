import { formatDuration } from '../../model/units.ts';
import type { Segment } from '../types.ts';
import { formatRate, type ShapeMath } from './shape.ts';

type Diurnal = Extract<Segment, { kind: 'diurnal' }>;

/**
 * `diurnal: { mean, amplitude, period }`: mean + amplitude · sin(2π (u + ahead) / period), u from
 * the segment's start, `ahead` = k·S in repetition k of the scenario: repeated, the curve goes on
 * along its period instead of replaying its first stretch.
 */
export const diurnal: ShapeMath<Diurnal> = {
  // amplitude ≤ mean is a schema rule; the max() only guards float rounding at the trough
  rate: (seg, u, ahead = 0) => Math.max(0, seg.mean + seg.amplitude * Math.sin((2 * Math.PI * (u + phase(seg, ahead))) / seg.period)),
  integral: (seg, u0, u1, ahead = 0) => {
    const w = (2 * Math.PI) / seg.period;
    const p = phase(seg, ahead);
    return seg.mean * (u1 - u0) + (seg.amplitude / w) * (Math.cos(w * (u0 + p)) - Math.cos(w * (u1 + p)));
  },
  constantEnd: (seg, u) => (seg.amplitude === 0 ? seg.duration : u),
  describe: (seg) =>
    `diurnal ${formatRate(seg.mean)} ± ${formatRate(seg.amplitude)} rps (period ${formatDuration(seg.period)}) ` +
    `for ${formatDuration(seg.duration)}`,
};

/** `ahead` reduced to one period: the same point of the curve, with small arguments for sin and cos. */
function phase(seg: Diurnal, ahead: number): number {
  return ahead === 0 ? 0 : ahead % seg.period;
}
