import type { TokenBucket } from './token-bucket.ts';
import type { Admission } from './gateway.ts';

/**
 * How the gateway shares one limit among the flows that meet it: the limit answers for their sum,
 * and what it refuses is split in proportion to what each flow brought. A single request (the
 * emulator) is a batch of one.
 */

/** Runs the flows' combined `passed` through one shared bucket and splits what is refused pro rata. */
export function shareBucket(b: TokenBucket, now: number, over: number, flows: readonly Admission[]): void {
  refuse(flows, 'gatewayThrottled', (total) => b.take(now, total, over), () => b.take(now, 0, over));
}

/**
 * A limit over flows: `through(total)` answers how much of their sum passes; the rest is refused
 * pro rata as `as`. `idle` runs instead when nothing arrives (a shared bucket still refills).
 */
export function refuse(
  flows: readonly Admission[],
  as: 'wafBlocked' | 'gatewayThrottled' | 'quotaExceeded',
  through: (total: number) => number,
  idle?: () => void,
): void {
  let total = 0;
  for (const f of flows) total += f.passed;
  if (!(total > 0)) {
    idle?.();
    return;
  }
  const passed = through(total);
  if (passed >= total) return;
  const keep = passed / total;
  for (const f of flows) {
    const refused = f.passed * (1 - keep);
    f[as] += refused;
    f.passed -= refused;
  }
}
