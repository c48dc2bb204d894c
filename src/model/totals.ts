import { OUTCOMES, type OutcomeCounts } from './outcomes.ts';

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
  // one literal (the outcomes in emptyOutcomeCounts' order): a spread made every bucket's object slowly
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

export const TOTAL_KEYS = Object.keys(emptyTotals()) as (keyof Totals)[];

/**
 * t += b for two whole Totals, field by field (named: a keyed loop over the 17 keys with its
 * undefined checks was most of a month's output and of re-bucketing it). Returns t.
 */
export function addWholeTotals(t: Totals, b: Totals): Totals {
  t.offered += b.offered;
  t.wafBlocked += b.wafBlocked;
  t.authRejected += b.authRejected;
  t.gatewayThrottled += b.gatewayThrottled;
  t.quotaExceeded += b.quotaExceeded;
  t.lambdaThrottled += b.lambdaThrottled;
  t.succeeded += b.succeeded;
  t.failed += b.failed;
  t.timedOut += b.timedOut;
  t.invoked += b.invoked;
  t.coldStarts += b.coldStarts;
  t.gbSeconds += b.gbSeconds;
  t.initGbSeconds += b.initGbSeconds;
  t.billedApiRequests += b.billedApiRequests;
  t.bytesOut += b.bytesOut;
  t.dropped += b.dropped;
  t.connectionErrors += b.connectionErrors;
  return t;
}

/** Adds b into a (mutating a) and returns a; keys b lacks add nothing. */
export function addTotals(a: Totals, b: Partial<Totals>): Totals {
  if (isWhole(b)) return addWholeTotals(a, b);
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

/** Whether b has every count (named checks: cheaper than the keyed loop they spare). */
function isWhole(b: Partial<Totals>): b is Totals {
  return (
    typeof b.offered === 'number' &&
    typeof b.wafBlocked === 'number' &&
    typeof b.authRejected === 'number' &&
    typeof b.gatewayThrottled === 'number' &&
    typeof b.quotaExceeded === 'number' &&
    typeof b.lambdaThrottled === 'number' &&
    typeof b.succeeded === 'number' &&
    typeof b.failed === 'number' &&
    typeof b.timedOut === 'number' &&
    typeof b.invoked === 'number' &&
    typeof b.coldStarts === 'number' &&
    typeof b.gbSeconds === 'number' &&
    typeof b.initGbSeconds === 'number' &&
    typeof b.billedApiRequests === 'number' &&
    typeof b.bytesOut === 'number' &&
    typeof b.dropped === 'number' &&
    typeof b.connectionErrors === 'number'
  );
}
