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
    const out = blankTotals();
    const offered = fluid[at] + this.carryOffered;
    out.offered = Math.max(0, Math.round(offered));
    this.carryOffered = offered - out.offered;
    let assigned = 0;
    for (let i = 0; i < NO; i++) {
      v[i] = Math.max(0, fluid[at + 1 + i] + carry[i]);
      floor[i] = Math.floor(v[i] + 1e-9);
      assigned += floor[i];
    }
    if (assigned < out.offered) {
      // largest remainders first (ties in outcome order)
      const order = this.sorted((a, b) => v[b] - floor[b] - (v[a] - floor[a]));
      for (let i = 0; assigned < out.offered && i < NO * 2; i++) {
        floor[order[i % NO]]++;
        assigned++;
      }
    } else if (assigned > out.offered) {
      // smallest remainders give back first
      const order = this.sorted((a, b) => v[a] - floor[a] - (v[b] - floor[b]));
      for (let i = 0; assigned > out.offered && i < NO * 4; i++) {
        const p = order[i % NO];
        if (floor[p] > 0) {
          floor[p]--;
          assigned--;
        }
      }
    }
    let bytesOut = 0;
    for (let i = 0; i < NO; i++) {
      out[OUTCOMES[i]] = floor[i];
      carry[i] = v[i] - floor[i];
      bytesOut += floor[i] * this.bytes[i];
    }
    out.invoked = out.succeeded + out.failed + out.timedOut;
    const cold = fluid[at + 1 + NO] + this.carryCold;
    out.coldStarts = Math.max(0, Math.round(cold));
    this.carryCold = cold - out.coldStarts;
    out.billedApiRequests = this.billedUnits * (out.lambdaThrottled + out.invoked);
    out.bytesOut = bytesOut;
    out.gbSeconds = fluid[at + 2 + NO];
    out.initGbSeconds = fluid[at + 3 + NO];
    return out;
  }

  /** Outcome indices in a stable order by `cmp` (insertion sort: eight items). */
  private sorted(cmp: (a: number, b: number) => number): Int32Array {
    const order = this.order;
    for (let i = 0; i < NO; i++) {
      let j = i - 1;
      while (j >= 0 && cmp(order[j], i) > 0) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = i;
    }
    return order;
  }
}

/** emptyTotals() as a literal, same keys in the same order (a spread per bucket shows in profiles). */
function blankTotals(): Totals {
  return {
    offered: 0,
    wafBlocked: 0,
    authRejected: 0,
    gatewayThrottled: 0,
    quotaExceeded: 0,
    lambdaThrottled: 0,
    succeeded: 0,
    failed: 0,
    timedOut: 0,
    invoked: 0,
    coldStarts: 0,
    gbSeconds: 0,
    initGbSeconds: 0,
    billedApiRequests: 0,
    bytesOut: 0,
    dropped: 0,
    connectionErrors: 0,
  };
}
