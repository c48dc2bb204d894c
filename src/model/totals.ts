import { OUTCOMES, emptyOutcomeCounts, type OutcomeCounts } from './outcomes.ts';

/**
 * Counts for one cohort (or all) over one bucket (or a whole run): the `totals` object of the
 * result document. Requests are integers; gbSeconds is a float (includes billed INIT time).
 */
export interface Totals extends OutcomeCounts {
  offered: number;
  invoked: number; // succeeded + failed + timedOut
  coldStarts: number;
  gbSeconds: number; // billed duration (per ms) × memory GB, INIT included
  initGbSeconds: number; // the INIT share of gbSeconds (for the report's breakdown)
  billedApiRequests: number; // API Gateway billable units (HTTP API: per 512 KB)
  bytesOut: number; // response bytes sent to clients
  dropped: number; // live runs only: requests the driver could not send on time (not part of offered)
  connectionErrors: number; // live runs only: requests that never got an HTTP answer (not part of offered outcomes)
}

export function emptyTotals(): Totals {
  return {
    offered: 0,
    ...emptyOutcomeCounts(),
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

export const TOTAL_KEYS = Object.keys(emptyTotals()) as (keyof Totals)[];

/** Adds b into a (mutating a) and returns a. */
export function addTotals(a: Totals, b: Partial<Totals>): Totals {
  for (const k of TOTAL_KEYS) {
    const v = b[k];
    if (v !== undefined) a[k] += v;
  }
  return a;
}

export function sumTotals(list: Iterable<Partial<Totals>>): Totals {
  const out = emptyTotals();
  for (const t of list) addTotals(out, t);
  return out;
}

/** Recomputes `invoked` from the outcome counts. */
export function withInvoked(t: Totals): Totals {
  t.invoked = t.succeeded + t.failed + t.timedOut;
  return t;
}

/** offered − Σ outcomes: zero for a conserved count (connection errors aside). */
export function conservationGap(t: Totals): number {
  let s = 0;
  for (const o of OUTCOMES) s += t[o];
  return t.offered - t.connectionErrors - s;
}
