import { OUTCOMES } from '../model/outcomes.ts';
import { emptyTotals, type Totals } from '../model/totals.ts';

/**
 * Turns a bucket's fluid (fractional) counts into whole requests while conserving them: offered is
 * rounded cumulatively, outcomes share it by largest remainder, and what rounding moved is carried
 * into the next bucket so long runs do not drift.
 */
export class CountRounder {
  private carry = emptyTotals();

  /**
   * `billedUnits`: API Gateway units per request sent to the integration (0 for function URLs);
   * `bytesOut`: response bytes per outcome. Both are applied to the whole counts.
   */
  constructor(
    private readonly billedUnits: number,
    private readonly bytesOut: Record<(typeof OUTCOMES)[number], number>,
  ) {}

  round(fluid: Totals): Totals {
    const out = emptyTotals();
    const offered = fluid.offered + this.carry.offered;
    out.offered = Math.max(0, Math.round(offered));
    this.carry.offered = offered - out.offered;
    const parts = OUTCOMES.map((o) => {
      const v = Math.max(0, fluid[o] + this.carry[o]);
      return { o, v, floor: Math.floor(v + 1e-9) };
    });
    let assigned = parts.reduce((s, p) => s + p.floor, 0);
    const byRemainder = [...parts].sort((a, b) => b.v - b.floor - (a.v - a.floor));
    for (let i = 0; assigned < out.offered && i < byRemainder.length * 2; i++) {
      byRemainder[i % byRemainder.length].floor++;
      assigned++;
    }
    const byValue = [...parts].sort((a, b) => a.v - a.floor - (b.v - b.floor));
    for (let i = 0; assigned > out.offered && i < byValue.length * 4; i++) {
      const p = byValue[i % byValue.length];
      if (p.floor > 0) {
        p.floor--;
        assigned--;
      }
    }
    for (const p of parts) {
      out[p.o] = p.floor;
      this.carry[p.o] = p.v - p.floor;
    }
    out.invoked = out.succeeded + out.failed + out.timedOut;
    const cold = fluid.coldStarts + this.carry.coldStarts;
    out.coldStarts = Math.max(0, Math.round(cold));
    this.carry.coldStarts = cold - out.coldStarts;
    out.billedApiRequests = this.billedUnits * (out.lambdaThrottled + out.invoked);
    out.bytesOut = OUTCOMES.reduce((s, o) => s + out[o] * this.bytesOut[o], 0);
    out.gbSeconds = fluid.gbSeconds;
    out.initGbSeconds = fluid.initGbSeconds;
    return out;
  }
}
