import { formatDuration } from '../../model/units.ts';
import type { Segment } from '../types.ts';
import { formatRate, stepIndex, type ShapeMath } from './shape.ts';

type Random = Extract<Segment, { kind: 'random' }>;

/**
 * The k-th draw of mulberry32 seeded with `seed`, in [0, 1). Mulberry32's state after k steps is
 * seed + k·0x6D2B79F5, so any draw is computed directly from (seed, k) without the ones before.
 */
export function randomUnit(seed: number, k: number): number {
  let t = ((seed >>> 0) + Math.imul(k + 1, 0x6d2b79f5)) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** Prefix sums of the draws, one entry per block of draws, so long stretches sum in O(block). */
const BLOCK = 1024;
const prefixBySeed = new Map<number, number[]>();

function blockPrefix(seed: number, blocks: number): number[] {
  let prefix = prefixBySeed.get(seed);
  if (!prefix) {
    if (prefixBySeed.size >= 64) prefixBySeed.clear();
    prefix = [0];
    prefixBySeed.set(seed, prefix);
  }
  while (prefix.length <= blocks) {
    const b = prefix.length - 1;
    let sum = 0;
    for (let k = b * BLOCK; k < (b + 1) * BLOCK; k++) sum += randomUnit(seed, k);
    prefix.push(prefix[b] + sum);
  }
  return prefix;
}

/** Σ randomUnit(seed, k) for 0 ≤ k < n. */
function unitsBefore(seed: number, n: number): number {
  const b = Math.floor(n / BLOCK);
  let sum = blockPrefix(seed, b)[b];
  for (let k = b * BLOCK; k < n; k++) sum += randomUnit(seed, k);
  return sum;
}

/** Σ randomUnit(seed, k) for a ≤ k < b. */
function unitsBetween(seed: number, a: number, b: number): number {
  if (b - a <= 2 * BLOCK) {
    let sum = 0;
    for (let k = a; k < b; k++) sum += randomUnit(seed, k);
    return sum;
  }
  return unitsBefore(seed, b) - unitsBefore(seed, a);
}

function stepRate(seg: Random, k: number): number {
  return seg.min + (seg.max - seg.min) * randomUnit(seg.seed, k);
}

/**
 * `random: { min, max, every, seed }`: a new rate drawn uniformly from [min, max] at the start of
 * every step of length `every`, held for the step. The same seed always gives the same steps.
 */
export const random: ShapeMath<Random> = {
  rate: (seg, u) => stepRate(seg, stepIndex(u, seg.every)),
  integral: (seg, u0, u1) => {
    const k0 = Math.floor(u0 / seg.every);
    const k1 = Math.floor(u1 / seg.every);
    if (k0 === k1) return stepRate(seg, k0) * (u1 - u0);
    const head = stepRate(seg, k0) * ((k0 + 1) * seg.every - u0);
    const tail = stepRate(seg, k1) * (u1 - k1 * seg.every);
    const whole = k1 - k0 - 1;
    const middle = (whole * seg.min + (seg.max - seg.min) * unitsBetween(seg.seed, k0 + 1, k1)) * seg.every;
    return head + middle + tail;
  },
  constantEnd: (seg, u) => {
    if (seg.min === seg.max) return seg.duration;
    return Math.min(seg.duration, (stepIndex(u, seg.every) + 1) * seg.every);
  },
  describe: (seg) =>
    `random ${formatRate(seg.min)}–${formatRate(seg.max)} rps, a new rate every ${formatDuration(seg.every)} ` +
    `(seed ${seg.seed}) for ${formatDuration(seg.duration)}`,
};
