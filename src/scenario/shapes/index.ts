import type { Segment } from '../types.ts';
import { constant } from './constant.ts';
import { diurnal } from './diurnal.ts';
import { exponential } from './exponential.ts';
import { pulse } from './pulse.ts';
import { ramp } from './ramp.ts';
import { random } from './random.ts';
import type { ShapeMath } from './shape.ts';

const SHAPES: { [K in Segment['kind']]: ShapeMath<Extract<Segment, { kind: K }>> } = {
  constant,
  ramp,
  exponential,
  pulse,
  random,
  diurnal,
};

/** The arithmetic for a segment's shape. */
export function shapeOf(seg: Segment): ShapeMath<Segment> {
  return SHAPES[seg.kind] as ShapeMath<Segment>;
}
