import { describe, expect, it } from 'vitest';
import { bucketBand, sharedBands } from '../../src/limits/band.ts';
import { TokenBucket } from '../../src/limits/token-bucket.ts';

// A band is a flow's per-second rate bounds over a stride (the simulator's long step). A bucket
// answers a band in one step only when the band stays on one side of its rate. Rate 50, burst 100.
const full = () => new TokenBucket({ rate: 50, burst: 100 });
/** Emptied by an instant take of 100 at t = 0. */
const drained = () => {
  const b = full();
  b.take(0, 100);
  return b;
};

describe('bucketBand', () => {
  it('a band never above the rate passes whole (up to exactly the rate)', () => {
    const band = { lo: 10, hi: 50 };
    expect(bucketBand(full(), 10, 10, band)).toBe(band);
  });

  it('a band always above the rate into a drained bucket passes the rate', () => {
    expect(bucketBand(drained(), 10, 10, { lo: 60, hi: 80 })).toEqual({ lo: 50, hi: 50 });
    // lo exactly at the rate counts as above it
    expect(bucketBand(drained(), 10, 10, { lo: 50, hi: 80 })).toEqual({ lo: 50, hi: 50 });
  });

  it('what the bucket still holds widens the band up to 1 % of a stride\'s refill, and no further', () => {
    // a 12.5 s stride refills 625: 1 % is 6.25, which a bucket drained at t = 0 holds at t = 0.125
    expect(bucketBand(drained(), 12.625, 12.5, { lo: 60, hi: 80 })).toEqual({ lo: 50, hi: 56.25 });
    // at t = 0.25 it holds 12.5 > 6.25: draining it is no steady answer
    expect(bucketBand(drained(), 12.75, 12.5, { lo: 60, hi: 80 })).toBeUndefined();
    // a full bucket (100 tokens) is an edge too
    expect(bucketBand(full(), 10, 10, { lo: 60, hi: 80 })).toBeUndefined();
  });

  it('a band that crosses the rate is an edge', () => {
    expect(bucketBand(drained(), 10, 10, { lo: 40, hi: 60 })).toBeUndefined();
    expect(bucketBand(drained(), 10, 10, { lo: 49.9, hi: 50.1 })).toBeUndefined();
  });
});

describe('sharedBands', () => {
  it('bands that fit the rate together pass unchanged', () => {
    const bands = [{ lo: 10, hi: 20 }, { lo: 5, hi: 30 }];
    expect(sharedBands(full(), 10, 10, bands)).toBe(bands);
  });

  it('bands above the rate together share it pro rata', () => {
    // Σlo = 80, Σhi = 100 → the bucket passes [50, 50]. Each band's low end gets lo × 50 / Σhi,
    // its high end hi × 50 / Σlo (at most what it brought):
    //   {30, 40} → {30·50/100, 40·50/80} = {15, 25};  {50, 60} → {25, 37.5}
    expect(sharedBands(drained(), 10, 10, [{ lo: 30, hi: 40 }, { lo: 50, hi: 60 }])).toEqual([
      { lo: 15, hi: 25 },
      { lo: 25, hi: 37.5 },
    ]);
  });

  it('bands whose sum crosses the rate are an edge, though each alone is under it', () => {
    expect(sharedBands(drained(), 10, 10, [{ lo: 20, hi: 30 }, { lo: 20, hi: 30 }])).toBeUndefined();
  });

  it('a zero-rate bucket passes nothing for sure; a band with no low end keeps its own bound', () => {
    const none = new TokenBucket({ rate: 0, burst: 0 });
    // Σlo = 0 ≥ rate 0, nothing held → the bucket passes [0, 0]; lo ends are 0, hi ends stay
    // bounded by what each band brought (no division by Σlo = 0)
    expect(sharedBands(none, 10, 10, [{ lo: 0, hi: 5 }, { lo: 0, hi: 3 }])).toEqual([
      { lo: 0, hi: 5 },
      { lo: 0, hi: 3 },
    ]);
  });
});
