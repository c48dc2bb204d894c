import { OUTCOMES } from '../model/outcomes.ts';
import { TOTAL_KEYS, type Totals } from '../model/totals.ts';

const NO = OUTCOMES.length;

/**
 * One bucket's whole counts (a `Totals`, keys in emptyTotals() order, outcomes in OUTCOMES order).
 * A class of their own, not a literal: V8 gives every object literal with these 17 keys one tree of
 * hidden classes, and the route totals, report rows and cost scaling that other modules build and
 * add into would otherwise change it under the simulator's hottest function — each change threw
 * away `round`'s optimised code (three compilations of ~15 ms each in a fresh process). A
 * constructor's hidden class belongs to its instances alone; `settleShape` fixes its fields as
 * doubles that may change before any simulation runs (see limits/doubles.ts for the why).
 */
class WholeCounts implements Totals {
  dropped = 0;
  connectionErrors = 0;
  constructor(
    public offered: number,
    public wafBlocked: number,
    public authRejected: number,
    public gatewayThrottled: number,
    public quotaExceeded: number,
    public lambdaThrottled: number,
    public succeeded: number,
    public failed: number,
    public timedOut: number,
    public invoked: number,
    public coldStarts: number,
    public gbSeconds: number,
    public initGbSeconds: number,
    public billedApiRequests: number,
    public bytesOut: number,
  ) {}
}

/**
 * Turns a bucket's fluid (fractional) counts into whole requests while conserving them: offered is
 * rounded cumulatively, outcomes share it by largest remainder, and what rounding moved is carried
 * into the next bucket so long runs do not drift. It runs once per lane per output bucket (tens of
 * thousands of times for a month), so it works in place on typed arrays.
 */
export class CountRounder {
  // what rounding moved, carried into the next bucket: the outcomes (OUTCOMES order), then offered, then cold starts
  private readonly carry = new Float64Array(NO + 2);
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
    const offered = fluid[at] + carry[NO];
    const wholeOffered = Math.max(0, Math.round(offered));
    carry[NO] = offered - wholeOffered;
    let assigned = 0;
    for (let i = 0; i < NO; i++) {
      v[i] = Math.max(0, fluid[at + 1 + i] + carry[i]);
      floor[i] = Math.floor(v[i] + 1e-9);
      assigned += floor[i];
    }
    if (assigned !== wholeOffered) this.settle(assigned, wholeOffered);
    let bytesOut = 0;
    for (let i = 0; i < NO; i++) {
      carry[i] = v[i] - floor[i];
      bytesOut += floor[i] * this.bytes[i];
    }
    const cold = fluid[at + 1 + NO] + carry[NO + 1];
    const coldStarts = Math.max(0, Math.round(cold));
    carry[NO + 1] = cold - coldStarts;
    const invoked = floor[5] + floor[6] + floor[7];
    return new WholeCounts(
      wholeOffered,
      floor[0],
      floor[1],
      floor[2],
      floor[3],
      floor[4],
      floor[5],
      floor[6],
      floor[7],
      invoked,
      coldStarts,
      fluid[at + 2 + NO],
      fluid[at + 3 + NO],
      this.billedUnits * (floor[4] + invoked),
      bytesOut,
    );
  }

  /**
   * Makes the outcomes' floors add up to the whole offered count: the largest remainders take one
   * more, or the smallest give one back (a method of its own, apart from the path every bucket runs).
   */
  private settle(assigned: number, wholeOffered: number): void {
    const floor = this.floor;
    if (assigned < wholeOffered) {
      // largest remainders first (ties in outcome order)
      const order = this.sorted(true);
      for (let i = 0; assigned < wholeOffered && i < NO * 2; i++) {
        floor[order[i % NO]]++;
        assigned++;
      }
    } else {
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


/** Fixes WholeCounts' fields as doubles that change (one object, made and changed when this module loads). */
function settleShape(): void {
  const t = new WholeCounts(0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5);
  t.dropped = 0.5;
  t.connectionErrors = 0.5;
  for (const k of TOTAL_KEYS) t[k] += 0.5;
}
settleShape();
