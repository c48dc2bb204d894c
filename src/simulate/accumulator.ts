import { NF } from './fields.ts';
import type { Lane } from './lanes.ts';

/** Largest folded period the periodic fast-forward keeps (values): beyond it, periods are simulated through. */
const MAX_FOLD = 4_000_000;

/**
 * Where the engine's output goes: each piece is spread over the lanes' output buckets, and also
 * folded into one repetition of the scenario (period S) in slots that each fall inside one output
 * bucket — memory bounded by the period's shape, not by how many steps it took — so that a period
 * that repeats can be replayed instead of simulated. Periods too finely cut to fold are not folded.
 */
export class Accumulator {
  private readonly slotSeconds: number;
  private readonly slots: number;
  private readonly fold?: Float64Array;
  private periodStart = 0;

  constructor(
    private readonly lanes: readonly Lane[],
    private readonly shape: { H: number; S: number; bucketSeconds: number; nb: number },
  ) {
    this.slotSeconds = gcd(shape.S, shape.bucketSeconds);
    this.slots = this.slotSeconds >= 1 ? Math.round(shape.S / this.slotSeconds) : Infinity;
    // a horizon of one repetition or less has nothing to replay (tune's every candidate): no fold
    const repeats = shape.S < shape.H - 1e-9;
    if (repeats && this.slots * lanes.length * NF <= MAX_FOLD) this.fold = new Float64Array(this.slots * lanes.length * NF);
  }

  /** Whether whole periods can be replayed. */
  get folds(): boolean {
    return this.fold !== undefined;
  }

  /** A new repetition starts at `at`: the fold starts empty. */
  startPeriod(at: number): void {
    this.fold?.fill(0);
    this.periodStart = at;
  }

  /** `out` per tick, `ticks` ticks of it spread over [start, start + length). */
  add(start: number, length: number, ticks: number, out: readonly Float64Array[]): void {
    this.spread(start, length, ticks, out);
    this.foldIn(start, length, ticks, out);
  }

  /** Spreads `ticks` ticks' worth of output evenly over [start, start + length). */
  private spread(start: number, length: number, ticks: number, out: readonly Float64Array[]): void {
    const { H, bucketSeconds, nb } = this.shape;
    const lanes = this.lanes;
    let s = start;
    const end = Math.min(H, start + length);
    while (s < end - 1e-9) {
      const b = Math.min(nb - 1, Math.floor(s / bucketSeconds + 1e-9));
      const bEnd = Math.min(end, (b + 1) * bucketSeconds);
      const share = (ticks * (bEnd - s)) / length;
      const base = b * NF;
      for (let c = 0; c < lanes.length; c++) {
        const dst = lanes[c].buckets;
        const src = out[c];
        for (let f = 0; f < NF; f++) dst[base + f] += src[f] * share;
      }
      s = bEnd;
    }
  }

  private foldIn(start: number, length: number, ticks: number, out: readonly Float64Array[]): void {
    const fold = this.fold;
    if (!fold) return;
    const r = this.slotSeconds;
    const n = this.lanes.length;
    let s0 = start - this.periodStart;
    const end = s0 + length;
    while (s0 < end - 1e-9) {
      const k = Math.min(this.slots - 1, Math.floor(s0 / r + 1e-9));
      const kEnd = Math.min(end, (k + 1) * r);
      const share = (ticks * (kEnd - s0)) / length;
      for (let c = 0; c < n; c++) {
        const base = (k * n + c) * NF;
        const src = out[c];
        for (let f = 0; f < NF; f++) fold[base + f] += src[f] * share;
      }
      s0 = kEnd;
    }
  }

  /** Adds j more repetitions of the folded period, from `at` on. */
  replay(at: number, j: number): void {
    const fold = this.fold;
    if (!fold) return;
    const { H, S, bucketSeconds, nb } = this.shape;
    const r = this.slotSeconds;
    const n = this.lanes.length;
    for (let rep = 0; rep < j; rep++) {
      for (let k = 0; k < this.slots; k++) {
        const at0 = at + rep * S + k * r;
        if (at0 >= H - 1e-9) break;
        const b = Math.min(nb - 1, Math.floor(at0 / bucketSeconds + 1e-9));
        for (let c = 0; c < n; c++) {
          const dst = this.lanes[c].buckets;
          const base = (k * n + c) * NF;
          for (let f = 0; f < NF; f++) dst[b * NF + f] += fold[base + f];
        }
      }
    }
  }
}

/** Greatest common divisor of two durations in whole seconds (0 when either is not whole). */
function gcd(a: number, b: number): number {
  if (!Number.isInteger(a) || !Number.isInteger(b)) return 0;
  while (b) [a, b] = [b, a % b];
  return a;
}
