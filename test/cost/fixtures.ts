import type { CohortTimeline, Role, Timeline } from '../../src/model/timeline.ts';
import { emptyTotals, type Totals } from '../../src/model/totals.ts';
import type { Stack } from '../../src/stack/types.ts';
import { makeStack as baseStack } from '../support/stacks.ts';

/** A plain REST stack: no WAF, no free tier, x86_64, 300 log bytes per invocation. */
export function makeStack(overrides: Partial<Stack> = {}, lambda: Partial<Stack['lambda']> = {}, api: Partial<Stack['api']> = {}): Stack {
  const { api: _api, lambda: _lambda, ...rest } = overrides;
  return baseStack({ ...rest, api: { ...api, ...(_api ?? {}) }, lambda: { ...lambda, ...(_lambda ?? {}) } });
}

/** Totals with the given fields; everything else 0. */
export function totals(fields: Partial<Totals>): Totals {
  return { ...emptyTotals(), ...fields };
}

/**
 * Totals that obey the contract: offered = Σ outcomes, invoked = succeeded + failed + timedOut,
 * billedApiRequests = everything sent to the integration (REST: one unit each).
 */
export function outcomeTotals(o: Partial<Totals>, per: { gbSecondsPerInvocation?: number; bytesPerResponse?: number } = {}): Totals {
  const t = totals(o);
  t.offered = t.wafBlocked + t.authRejected + t.gatewayThrottled + t.quotaExceeded + t.lambdaThrottled + t.succeeded + t.failed + t.timedOut;
  t.invoked = t.succeeded + t.failed + t.timedOut;
  t.billedApiRequests = t.lambdaThrottled + t.invoked;
  t.gbSeconds = t.invoked * (per.gbSecondsPerInvocation ?? 0);
  t.bytesOut = t.succeeded * (per.bytesPerResponse ?? 0);
  return t;
}

export function cohort(name: string, role: Role, buckets: Totals[]): CohortTimeline {
  return { name, role, buckets };
}

export function timeline(durationSeconds: number, cohorts: CohortTimeline[]): Timeline {
  return { source: 'simulated', durationSeconds, bucketSeconds: durationSeconds / Math.max(1, cohorts[0]?.buckets.length ?? 1), cohorts };
}

export const HOUR = 3600;
export const MONTH = 730 * HOUR;
