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

export const NO_FLOW: Band = { lo: 0, hi: 0 };

/**
 * What a token bucket passes of a band over (now − over, now], if one long take equals many short
 * ones: everything, when the band never outpaces the refill; the refill rate (plus what the
 * bucket holds), when the band always outpaces it. A band that crosses the rate is an edge.
 */
export function bucketBand(b: TokenBucket, now: number, over: number, band: Band): Band | undefined {
  if (band.hi <= b.rate) return band;
  if (band.lo >= b.rate) {
    const held = b.level(now - over);
    // a full-ish bucket drains over the stride: fine in total, but then it is no steady answer
    if (held > 0.01 * b.rate * over) return undefined;
    return { lo: b.rate, hi: b.rate + held };
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
  const out = bucketBand(b, now, over, { lo, hi });
  if (!out) return undefined;
  if (out.hi >= hi) return bands;
  return bands.map((x) => ({ lo: hi > 0 ? (x.lo * out.lo) / hi : 0, hi: lo > 0 ? Math.min(x.hi, (x.hi * out.hi) / lo) : x.hi }));
}
