import { OUTCOMES } from '../model/outcomes.ts';
import type { Totals } from '../model/totals.ts';

const NO = OUTCOMES.length;

/**
 * Turns a bucket's fluid (fractional) counts into whole requests while conserving them: offered is
 * rounded cumulatively, outcomes share it by largest remainder, and what rounding moved is carried
 * into the next bucket so long runs do not drift. It runs once per lane per output bucket (tens of
 * thousands of times for a month), so it works in place on typed arrays.
 */
export class CountRounder {
  private carryOffered = 0;
  private carryCold = 0;
  private readonly carry = new Float64Array(NO);
  private readonly v = new Float64Array(NO);
  private readonly floor = new Float64Array(NO);
  private readonly order = new Int32Array(NO);
  private readonly rem = new Float64Array(NO);
  private readonly bytes: Float64Array;

  /**
   * `billedUnits`: API Gateway units per request sent to the integration (0 for function URLs);
   * `bytesOut`: response bytes per outcome. Both are applied to the whole counts.
   */
  constructor(
    private readonly billedUnits: number,
    bytesOut: Record<(typeof OUTCOMES)[number], number>,
  ) {
    this.bytes = Float64Array.from(OUTCOMES, (o) => bytesOut[o]);
  }

  /**
   * One bucket. `fluid` holds, from `at`: offered, the outcomes in OUTCOMES order, cold starts,
   * GB-seconds, INIT GB-seconds (the simulator's field order).
   */
  round(fluid: ArrayLike<number>, at = 0): Totals {
    const { carry, v, floor } = this;
    const offered = fluid[at] + this.carryOffered;
    const wholeOffered = Math.max(0, Math.round(offered));
    this.carryOffered = offered - wholeOffered;
    let assigned = 0;
    for (let i = 0; i < NO; i++) {
      v[i] = Math.max(0, fluid[at + 1 + i] + carry[i]);
      floor[i] = Math.floor(v[i] + 1e-9);
      assigned += floor[i];
    }
    if (assigned < wholeOffered) {
      // largest remainders first (ties in outcome order)
      const order = this.sorted(true);
      for (let i = 0; assigned < wholeOffered && i < NO * 2; i++) {
        floor[order[i % NO]]++;
        assigned++;
      }
    } else if (assigned > wholeOffered) {
      // smallest remainders give back first
      const order = this.sorted(false);
      for (let i = 0; assigned > wholeOffered && i < NO * 4; i++) {
        const p = order[i % NO];
        if (floor[p] > 0) {
          floor[p]--;
          assigned--;
        }
      }
    }
    let bytesOut = 0;
    for (let i = 0; i < NO; i++) {
      carry[i] = v[i] - floor[i];
      bytesOut += floor[i] * this.bytes[i];
    }
    const cold = fluid[at + 1 + NO] + this.carryCold;
    const coldStarts = Math.max(0, Math.round(cold));
    this.carryCold = cold - coldStarts;
    // one literal, keys in emptyTotals() order and outcomes in OUTCOMES order (indices 0-7)
    const invoked = floor[5] + floor[6] + floor[7];
    return {
      offered: wholeOffered,
      wafBlocked: floor[0],
      authRejected: floor[1],
      gatewayThrottled: floor[2],
      quotaExceeded: floor[3],
      lambdaThrottled: floor[4],
      succeeded: floor[5],
      failed: floor[6],
      timedOut: floor[7],
      invoked,
      coldStarts,
      gbSeconds: fluid[at + 2 + NO],
      initGbSeconds: fluid[at + 3 + NO],
      billedApiRequests: this.billedUnits * (floor[4] + invoked),
      bytesOut,
      dropped: 0,
      connectionErrors: 0,
    };
  }

  /** Outcome indices in a stable order of remainder, largest first (`desc`) or smallest first (insertion sort: eight items). */
  private sorted(desc: boolean): Int32Array {
    const { order, v, floor } = this;
    const rem = this.rem;
    for (let i = 0; i < NO; i++) rem[i] = desc ? -(v[i] - floor[i]) : v[i] - floor[i];
    for (let i = 0; i < NO; i++) {
      let j = i - 1;
      while (j >= 0 && rem[order[j]] - rem[i] > 0) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = i;
    }
    return order;
  }
}
