import { stackFunctions } from '../stack/functions.ts';
import type { Stack } from '../stack/types.ts';

/**
 * Time a request spends outside the function (gateway, network, k6 itself), seconds. A flood
 * slows answers: real k6 runs against the emulator on a busy machine saw p99 0.3–0.7 s for a 5 ms
 * function, and with 50 ms here k6 had to start VUs mid-run and dropped 2–10 % of the iterations
 * meanwhile. 500 ms keeps such a run on schedule from the VUs allocated up front.
 */
const OVERHEAD_SECONDS = 0.5;
/** Head-room over the Little's-law estimate, for bursts of slow answers. */
const HEADROOM = 1.5;
const MIN_PREALLOCATED = 10;
const MIN_MAX = 50;

/**
 * How many VUs an arrival-rate executor needs: Little's law, peak rate × time in flight, with the
 * stack's slowest p99 duration (of all its functions) as time in flight and head-room on top. k6 drops (and counts in
 * `dropped_iterations`) what no free VU can start, so too few VUs under-send; maxVUs leaves k6
 * room to add VUs when answers slow down (throttled answers are fast, slow ones are the worry).
 */
export function sizeVus(peakRps: number, stack: Stack): { preAllocatedVUs: number; maxVUs: number } {
  const inFlight = Math.max(...stackFunctions(stack).map((f) => f.duration.p99)) + OVERHEAD_SECONDS;
  const preAllocatedVUs = Math.max(MIN_PREALLOCATED, Math.ceil(peakRps * inFlight * HEADROOM));
  // If answers slow to a whole second, this many VUs still keep the schedule (capped: VUs cost memory).
  const slow = Math.ceil(peakRps * Math.min(1, stack.api.integrationTimeout));
  const maxVUs = Math.max(MIN_MAX, preAllocatedVUs * 2, Math.min(slow, preAllocatedVUs * 10));
  return { preAllocatedVUs, maxVUs };
}

/** k6's per-request timeout: a little past the point where the API itself gives up (504/503). */
export function requestTimeoutSeconds(stack: Stack): number {
  return Math.ceil(stack.api.integrationTimeout) + 5;
}
