import { describe, expect, it } from 'vitest';
import { scaleTotals } from '../../src/cost/scale.ts';
import { totals } from './fixtures.ts';

describe('scaleTotals (a short run projected to the horizon)', () => {
  // a 10-request run with 1 connection error and 1 request still unanswered at the end (offered 12)
  const run = totals({
    offered: 12,
    connectionErrors: 1,
    succeeded: 3,
    failed: 2,
    timedOut: 1,
    gatewayThrottled: 4,
    invoked: 6,
    coldStarts: 3,
    billedApiRequests: 6,
    dropped: 2,
    gbSeconds: 0.6,
    initGbSeconds: 0.2,
    bytesOut: 1000,
  });

  it('×2.6: outcomes by largest remainder, offered keeps the gap, floats stay exact', () => {
    // outcomes × 2.6: succeeded 7.8, failed 5.2, timedOut 2.6, gatewayThrottled 10.4 → sum 26.
    // floors 7 + 5 + 2 + 10 = 24, 2 short → the largest remainders (.8 succeeded, .6 timedOut)
    // get one each: 8, 5, 3, 10. connectionErrors round(2.6) = 3; gap 12 − 1 − 10 = 1 → round(2.6)
    // = 3; offered 26 + 3 + 3 = 32. invoked 8 + 5 + 3 = 16. coldStarts round(7.8) = 8, billed
    // round(15.6) = 16, dropped round(5.2) = 5. GB-s 1.56, INIT GB-s 0.52, bytes 2,600.
    const s = scaleTotals(run, 2.6);
    expect(s).toMatchObject({
      succeeded: 8,
      failed: 5,
      timedOut: 3,
      gatewayThrottled: 10,
      wafBlocked: 0,
      connectionErrors: 3,
      offered: 32,
      invoked: 16,
      coldStarts: 8,
      billedApiRequests: 16,
      dropped: 5,
    });
    expect(s.gbSeconds).toBeCloseTo(1.56, 12);
    expect(s.initGbSeconds).toBeCloseTo(0.52, 12);
    expect(s.bytesOut).toBeCloseTo(2600, 9);
  });

  it('×1 is an equal copy, not the same object', () => {
    const s = scaleTotals(run, 1);
    expect(s).toEqual(run);
    expect(s).not.toBe(run);
  });
});
