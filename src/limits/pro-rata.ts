import type { TokenBucket } from './token-bucket.ts';
import type { Admission } from './gateway.ts';

/**
 * How the gateway shares one limit among the flows that meet it: the limit answers for their sum,
 * and what it refuses is split in proportion to what each flow brought. A single request (the
 * emulator) is a batch of one. Flows are picked from `flows` by index (`idx`), so that the
 * simulator's ticks need no per-tick lists; a flow that brings nothing is neutral (it adds 0 to the
 * sum and is refused 0).
 */

/** The sum of what the flows `idx` bring. */
export function passedOf(flows: readonly Admission[], idx: readonly number[]): number {
  let total = 0;
  for (let k = 0; k < idx.length; k++) total += flows[idx[k]].passed;
  return total;
}

/** Of `total` brought by the flows `idx`, `passed` passes: the rest is refused pro rata as `as`. */
export function refuseShare(flows: Admission[], idx: readonly number[], as: 'wafBlocked' | 'gatewayThrottled' | 'quotaExceeded', total: number, passed: number): void {
  if (passed >= total) return;
  const keep = passed / total;
  for (let k = 0; k < idx.length; k++) {
    const f = flows[idx[k]];
    const refused = f.passed * (1 - keep);
    // named fields, not f[as]: a keyed store with three names is megamorphic and deoptimises callers
    if (as === 'gatewayThrottled') f.gatewayThrottled += refused;
    else if (as === 'wafBlocked') f.wafBlocked += refused;
    else f.quotaExceeded += refused;
    f.passed -= refused;
  }
}

/** Runs the flows' combined `passed` through one shared bucket and splits what is refused pro rata (an idle bucket still refills). */
export function shareBucket(b: TokenBucket, now: number, over: number, flows: Admission[], idx: readonly number[]): void {
  const total = passedOf(flows, idx);
  if (!(total > 0)) {
    b.take(now, 0, over);
    return;
  }
  refuseShare(flows, idx, 'gatewayThrottled', total, b.take(now, total, over));
}
