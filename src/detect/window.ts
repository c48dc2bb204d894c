import type { Timeline } from '../model/timeline.ts';
import { emptyTotals, TOTAL_KEYS, type Totals } from '../model/totals.ts';

const NK = TOTAL_KEYS.length;
const KEY_INDEX = Object.fromEntries(TOTAL_KEYS.map((k, i) => [k, i])) as Record<keyof Totals, number>;

/**
 * A timeline's counts summed over all cohorts (what CloudWatch sees: its metrics have no cohort
 * dimension), answering "how many in [from, to)" in constant time from running sums.
 */
export class CountWindow {
  readonly bucketSeconds: number;
  readonly durationSeconds: number;
  private readonly n: number;
  /** prefix[(i·NK) + k]: key k summed over buckets before bucket i. */
  private readonly prefix: Float64Array;

  constructor(tl: Timeline) {
    this.bucketSeconds = tl.bucketSeconds;
    this.durationSeconds = tl.durationSeconds;
    this.n = Math.max(0, ...tl.cohorts.map((c) => c.buckets.length));
    this.prefix = new Float64Array((this.n + 1) * NK);
    const p = this.prefix;
    for (const c of tl.cohorts) {
      c.buckets.forEach((b, i) => {
        for (let k = 0; k < NK; k++) p[(i + 1) * NK + k] += b[TOTAL_KEYS[k]];
      });
    }
    for (let i = 1; i <= this.n; i++) for (let k = 0; k < NK; k++) p[i * NK + k] += p[(i - 1) * NK + k];
  }

  /**
   * Counts in [from, to). A bucket cut by either end contributes in proportion to the overlap
   * (arrivals spread evenly within a bucket, the simulator's own assumption): exact when the ends
   * fall on bucket boundaries, which the simulator arranges for alarm periods.
   */
  between(from: number, to: number): Totals {
    if (!(to > from) || !(this.bucketSeconds > 0)) return emptyTotals();
    // one literal in TOTAL_KEYS order (a keyed store per key was most of an alarm's month of datapoints)
    const d = (key: keyof Totals) => {
      const k = KEY_INDEX[key];
      return Math.max(0, this.upTo(to, k) - this.upTo(from, k));
    };
    return {
      offered: d('offered'),
      wafBlocked: d('wafBlocked'),
      authRejected: d('authRejected'),
      gatewayThrottled: d('gatewayThrottled'),
      quotaExceeded: d('quotaExceeded'),
      lambdaThrottled: d('lambdaThrottled'),
      succeeded: d('succeeded'),
      failed: d('failed'),
      timedOut: d('timedOut'),
      invoked: d('invoked'),
      coldStarts: d('coldStarts'),
      gbSeconds: d('gbSeconds'),
      initGbSeconds: d('initGbSeconds'),
      billedApiRequests: d('billedApiRequests'),
      bytesOut: d('bytesOut'),
      dropped: d('dropped'),
      connectionErrors: d('connectionErrors'),
    };
  }

  /** One count of `between` alone (no Totals made: ConcurrentExecutions asks once a minute for a month). */
  field(from: number, to: number, key: keyof Totals): number {
    if (!(to > from) || !(this.bucketSeconds > 0)) return 0;
    const k = KEY_INDEX[key];
    return Math.max(0, this.upTo(to, k) - this.upTo(from, k));
  }

  private upTo(t: number, k: number): number {
    const x = Math.max(0, t / this.bucketSeconds);
    const i = Math.min(this.n, Math.floor(x + 1e-9));
    const whole = this.prefix[i * NK + k];
    if (i >= this.n) return whole;
    const frac = x - i;
    return frac > 1e-9 ? whole + frac * (this.prefix[(i + 1) * NK + k] - whole) : whole;
  }
}
