import type { TokenBucket } from './token-bucket.ts';

/**
 * Bounds of a flow's per-second rate over a stride (a long fluid step of the simulator). A limiter
 * that answers a band the same way in one long take as in many one-second takes lets the
 * simulator take the long one; it says what passes as another band.
 */
export interface Band {
  lo: number;
  hi: number;
}

/**
 * A band. Every band is made here, so that they all share one hidden class, and that class keeps
 * both fields as doubles that change from the start (`settleBandShape`, below): bands made from
 * whole rates first (a bucket's rate of 100, the simulator's zeroed records) and from fractions
 * later changed the class under optimised code, and each change threw away the stride code of a
 * fresh process (strideBands, sharedBands, strideLength: `node --trace-deopt`, "wrong map").
 * See doubles.ts for the why.
 */
export function band(lo: number, hi: number): Band {
  return { lo, hi };
}

function settleBandShape(): void {
  const b = band(0.5, 0.5);
  b.lo += 0.5;
  b.hi += 0.5;
}
settleBandShape();

export const NO_FLOW: Band = band(0, 0);

/**
 * What a token bucket passes of a band over (now − over, now], if one long take equals many short
 * ones: everything, when the band never outpaces the refill; the refill rate (plus what the
 * bucket holds), when the band always outpaces it. A band that crosses the rate is an edge.
 */
export function bucketBand(b: TokenBucket, now: number, over: number, flow: Band): Band | undefined {
  if (flow.hi <= b.rate) return flow;
  if (flow.lo >= b.rate) {
    const held = b.level(now - over);
    // a full-ish bucket drains over the stride: fine in total, but then it is no steady answer
    if (held > 0.01 * b.rate * over) return undefined;
    return band(b.rate, b.rate + held);
  }
  return undefined;
}

/** Splits what a shared bucket passes of several bands among them, pro rata (as shareBucket does). */
export function sharedBands(b: TokenBucket, now: number, over: number, bands: Band[]): Band[] | undefined {
  let lo = 0;
  let hi = 0;
  for (const x of bands) {
    lo += x.lo;
    hi += x.hi;
  }
  const out = bucketBand(b, now, over, band(lo, hi));
  if (!out) return undefined;
  if (out.hi >= hi) return bands;
  return bands.map((x) => band(hi > 0 ? (x.lo * out.lo) / hi : 0, lo > 0 ? Math.min(x.hi, (x.hi * out.hi) / lo) : x.hi));
}
