import { OUTCOMES } from '../model/outcomes.ts';
import { emptyTotals, type Totals } from '../model/totals.ts';

/**
 * `t` projected by factor k (a short live run stretched to the horizon): request counts stay whole
 * and still add up — outcomes are rounded by largest remainder so that they sum to the rounded
 * scaled sum, `offered` keeps the run's own gap to them, `invoked` is recomputed — while
 * GB-seconds and bytes stay exact floats.
 */
export function scaleTotals(t: Totals, k: number): Totals {
  if (k === 1) return { ...t };
  const out = emptyTotals();
  const raw = OUTCOMES.map((o) => t[o] * k);
  const rounded = roundKeepingSum(raw);
  OUTCOMES.forEach((o, i) => (out[o] = rounded[i]));
  const outcomeSum = OUTCOMES.reduce((s, o) => s + t[o], 0);
  const gap = t.offered - t.connectionErrors - outcomeSum;
  out.connectionErrors = Math.round(t.connectionErrors * k);
  out.offered = rounded.reduce((s, n) => s + n, 0) + out.connectionErrors + Math.round(gap * k);
  out.invoked = out.succeeded + out.failed + out.timedOut;
  out.coldStarts = Math.round(t.coldStarts * k);
  out.billedApiRequests = Math.round(t.billedApiRequests * k);
  out.dropped = Math.round(t.dropped * k);
  out.gbSeconds = t.gbSeconds * k;
  out.initGbSeconds = t.initGbSeconds * k;
  out.bytesOut = t.bytesOut * k;
  return out;
}

/** Rounds each value so that the rounded values sum to the rounded sum (largest remainder). */
function roundKeepingSum(values: number[]): number[] {
  const target = Math.round(values.reduce((s, v) => s + v, 0));
  const floors = values.map(Math.floor);
  let short = target - floors.reduce((s, v) => s + v, 0);
  const order = values.map((v, i) => ({ i, rem: v - Math.floor(v) })).sort((a, b) => b.rem - a.rem);
  for (const { i } of order) {
    if (short <= 0) break;
    floors[i] += 1;
    short -= 1;
  }
  return floors;
}
