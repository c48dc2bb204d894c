import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../src/limits/token-bucket.ts';

// Test vectors: AWS API Gateway developer guide, "Throttle requests to your HTTP APIs" /
// "Throttle API requests for better throughput" (doc_source/http-api-protect.md,
// api-gateway-request-throttling.md): account defaults rate 10,000 rps, burst 5,000, bucket full.
describe('token bucket — AWS worked examples', () => {
  const aws = () => new TokenBucket({ rate: 10_000, burst: 5_000 });

  it('a 10,000-request burst in the first millisecond into a full 5,000 bucket serves 5,000', () => {
    const b = aws();
    b.take(0, 0);
    expect(b.take(0.0005, 10_000)).toBe(5_000);
  });

  it('10,000 requests spread evenly over one second (10 per ms) are all served', () => {
    const b = aws();
    b.take(0, 0);
    let served = 0;
    for (let ms = 0; ms < 1000; ms++) served += b.take(ms / 1000, 10);
    expect(served).toBe(10_000);
  });

  it('5,000 in the first millisecond, then 5,000 spread over the remaining 999 ms: all 10,000 served', () => {
    const b = aws();
    b.take(0, 0);
    let served = b.take(0, 5_000);
    // about 5 per ms for the rest of the second
    for (let i = 1; i <= 999; i++) served += b.take(i / 1000, i <= 5_000 % 999 ? 6 : 5);
    expect(served).toBe(5_000 + 999 * 5 + (5_000 % 999));
  });

  // AWS: "5,000 requests in the first millisecond and ... the 101st millisecond ... 6,000 requests".
  // The 101st millisecond starts 100 ms after the first: 1,000 tokens refilled (not 1,010).
  it('5,000 at t=0 then 5,000 in the 101st millisecond (t = 100 ms) serves 6,000', () => {
    const b = aws();
    b.take(0, 0);
    const first = b.take(0, 5_000);
    const second = b.take(0.1, 5_000);
    expect(first).toBe(5_000);
    expect(second).toBe(1_000);
    expect(first + second).toBe(6_000);
  });

  it('5,000 at t=0, 1,000 at 100 ms, 4,000 spread over the remaining 899 ms: no throttling', () => {
    const b = aws();
    b.take(0, 0);
    let served = b.take(0, 5_000) + b.take(0.1, 1_000);
    for (let i = 1; i <= 899; i++) served += b.take(0.1 + i / 1000, i <= 4_000 % 899 ? 5 : 4);
    expect(served).toBe(10_000);
  });

  it('the same examples hold in the fluid (spread) mode the simulator uses', () => {
    const b = aws();
    b.take(0, 0);
    // 10,000 within the first millisecond
    expect(b.take(0.001, 10_000, 0.001)).toBeCloseTo(5_010, 6); // 10 tokens refill during that ms
    const c = aws();
    c.take(0, 0);
    // 10,000 spread over one second: all pass
    expect(c.take(1, 10_000, 1)).toBeCloseTo(10_000, 6);
  });
});

describe('token bucket — the fluid answer integrates the instant one', () => {
  it('a flood at 3× the rate for 10 s serves burst + rate × 10 either way', () => {
    const fluid = new TokenBucket({ rate: 50, burst: 100 });
    fluid.take(0, 0);
    let f = 0;
    for (let s = 1; s <= 10; s++) f += fluid.take(s, 150, 1);
    const discrete = new TokenBucket({ rate: 50, burst: 100 });
    discrete.take(0, 0);
    let d = 0;
    for (let i = 0; i < 1500; i++) d += discrete.take(i / 150 + 1 / 300, 1);
    expect(f).toBeCloseTo(100 + 50 * 10, 6);
    expect(Math.abs(d - f)).toBeLessThanOrEqual(1);
  });

  it('never passes more than offered, never goes negative, never exceeds the burst', () => {
    const b = new TokenBucket({ rate: 7, burst: 3 });
    b.take(0, 0);
    for (let s = 1; s <= 100; s++) {
      const n = (s * 37) % 13;
      const p = b.take(s / 4, n, 0.25);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(n);
      expect(b.level(s / 4)).toBeLessThanOrEqual(3 + 1e-9);
      expect(b.level(s / 4)).toBeGreaterThanOrEqual(-1e-9);
    }
  });

  it('fluid: a trickle below the rate cannot overfill the bucket, so the flood after it gets burst + rate', () => {
    // rate 50, burst 100. 60 s of 1 request per second: each tick 100 + 50 tokens are available,
    // 1 is used, the rest is capped back to 100. Then 3,000 requests over 1 s: 100 + 50 × 1 = 150
    // pass. (Without the cap the bucket would hold 100 + 49 × 60 = 3,040 and 3,000 would pass.)
    const b = new TokenBucket({ rate: 50, burst: 100 });
    b.take(0, 0);
    for (let s = 1; s <= 60; s++) expect(b.take(s, 1, 1)).toBe(1);
    expect(b.level(60)).toBe(100);
    expect(b.take(61, 3000, 1)).toBeCloseTo(150, 9);
    expect(b.take(62, 3000, 1)).toBeCloseTo(50, 9);
  });

  it('instant: an hour idle refills to the burst and no further', () => {
    // rate 50, burst 100: one take empties it, an hour of refill (180,000 tokens) is capped at 100
    const b = new TokenBucket({ rate: 50, burst: 100 });
    let first = 0;
    for (let i = 0; i < 150; i++) first += b.take(0, 1);
    expect(first).toBe(100);
    let later = 0;
    for (let i = 0; i < 500; i++) later += b.take(3600, 1);
    expect(later).toBe(100);
  });

  it('a tighter bucket never passes more of the same arrivals', () => {
    for (const [loose, tight] of [[{ rate: 100, burst: 200 }, { rate: 50, burst: 100 }], [{ rate: 20, burst: 5 }, { rate: 20, burst: 1 }]] as const) {
      const a = new TokenBucket(loose);
      const b = new TokenBucket(tight);
      a.take(0, 0);
      b.take(0, 0);
      let pa = 0;
      let pb = 0;
      for (let s = 1; s <= 60; s++) {
        const n = 30 + 200 * Math.abs(Math.sin(s));
        pa += a.take(s, n, 1);
        pb += b.take(s, n, 1);
      }
      expect(pb).toBeLessThanOrEqual(pa + 1e-9);
    }
  });
});
