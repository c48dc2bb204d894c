import { formatDuration } from '../../model/units.ts';
import type { Segment } from '../types.ts';
import { formatRate, stepIndex, type ShapeMath } from './shape.ts';

type Pulse = Extract<Segment, { kind: 'pulse' }>;

/** Which phase u falls in: cycle k, and whether it is the `on` part (high) of it. */
function phase(seg: Pulse, u: number): { k: number; on: boolean } {
  const period = seg.on + seg.off;
  const k = stepIndex(u, period);
  const into = u - k * period;
  return { k, on: seg.on - into > 1e-9 * period };
}

/** Arrivals from the segment's start to u: whole cycles, then the part of the current one. */
function cumulative(seg: Pulse, u: number): number {
  const period = seg.on + seg.off;
  const k = Math.floor(u / period);
  const into = Math.max(0, u - k * period);
  const partial = into < seg.on ? seg.high * into : seg.high * seg.on + seg.low * (into - seg.on);
  return k * (seg.high * seg.on + seg.low * seg.off) + partial;
}

/** `pulse: { high, low, on, off }`: `high` for `on`, then `low` for `off`, repeated, starting with `on`. */
export const pulse: ShapeMath<Pulse> = {
  rate: (seg, u) => (phase(seg, u).on ? seg.high : seg.low),
  integral: (seg, u0, u1) => cumulative(seg, u1) - cumulative(seg, u0),
  constantEnd: (seg, u) => {
    if (seg.high === seg.low) return seg.duration;
    const { k, on } = phase(seg, u);
    const period = seg.on + seg.off;
    return Math.min(seg.duration, on ? k * period + seg.on : (k + 1) * period);
  },
  describe: (seg) =>
    `pulses of ${formatRate(seg.high)} rps for ${formatDuration(seg.on)}, then ${formatRate(seg.low)} rps for ` +
    `${formatDuration(seg.off)}, repeated over ${formatDuration(seg.duration)}`,
};
