import type { Totals } from '../model/totals.ts';
import type { PriceBook } from '../pricing/types.ts';
import type { Stack } from '../stack/types.ts';

/** What every per-service cost file prices: the counts of a whole horizon, the stack, the prices. */
export interface CostInput {
  totals: Totals;
  stack: Stack;
  book: PriceBook;
  horizonSeconds: number;
  /** Per-route totals of the same horizon, when known: which function served what (function-usage.ts). */
  routes?: Record<string, Totals>;
}

/** AWS bills data in GB of 2^30 bytes (Amazon S3 FAQ storage example: "1 GB / 1,073,741,824 bytes"). */
export const BYTES_PER_GB = 2 ** 30;
