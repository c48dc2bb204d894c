import { describe, expect, it } from 'vitest';
import { passedOf, refuseShare, shareBucket } from '../../src/limits/pro-rata.ts';
import { TokenBucket } from '../../src/limits/token-bucket.ts';
import type { Admission } from '../../src/limits/gateway.ts';

const flow = (passed: number): Admission => ({ wafBlocked: 0, authRejected: 0, gatewayThrottled: 0, quotaExceeded: 0, passed });

describe('pro-rata sharing of one limit', () => {
  it('what a limit refuses is split in proportion to what each flow brought', () => {
    // 30 + 90 = 120 arrive, 60 pass: each keeps half
    const flows = [flow(30), flow(90)];
    refuseShare(flows, [0, 1], 'quotaExceeded', 120, 60);
    expect(flows.map((f) => [f.passed, f.quotaExceeded])).toEqual([
      [15, 15],
      [45, 45],
    ]);
  });

  it('only the flows picked by index are summed and refused', () => {
    const flows = [flow(2), flow(7), flow(3)];
    expect(passedOf(flows, [0, 2])).toBe(5);
    refuseShare(flows, [0, 2], 'wafBlocked', 5, 0);
    expect(flows.map((f) => [f.passed, f.wafBlocked])).toEqual([
      [0, 2],
      [7, 0],
      [0, 3],
    ]);
  });

  it('a limit that passes everything refuses nothing', () => {
    const flows = [flow(2), flow(3)];
    refuseShare(flows, [0, 1], 'wafBlocked', 5, 5);
    expect(flows.map((f) => f.wafBlocked)).toEqual([0, 0]);
  });

  it('a shared bucket refills while its flows are idle (its state moves on)', () => {
    // rate 10, burst 100, emptied at t = 0; an idle 1 s tick at t = 1 leaves 10 tokens
    const b = new TokenBucket({ rate: 10, burst: 100 });
    b.take(0, 100);
    shareBucket(b, 1, 1, [flow(0)], [0]);
    expect(b.fingerprint()).toBe('10');
  });

  it('a shared bucket throttles the flows\' sum, pro rata', () => {
    // full bucket of 100, rate 10: a 1 s tick of 150 + 50 = 200 passes 110, 55 % each
    const b = new TokenBucket({ rate: 10, burst: 100 });
    b.take(0, 0);
    const flows = [flow(150), flow(50)];
    shareBucket(b, 1, 1, flows, [0, 1]);
    expect(flows[0].passed).toBeCloseTo(82.5, 9);
    expect(flows[1].passed).toBeCloseTo(27.5, 9);
    expect(flows[0].gatewayThrottled + flows[1].gatewayThrottled).toBeCloseTo(90, 9);
  });
});
