import type { BillLine } from '../model/result.ts';
import { BYTES_PER_GB, type CostInput } from './input.ts';
import { usageLines } from './monthly.ts';

/**
 * Data transfer out to the internet: the response bytes sent to clients (`bytesOut`), GB of
 * 2^30 bytes, by monthly tier. The account-wide 100 GB/month free allowance is not applied.
 */
export function dataTransferLines({ totals, book, horizonSeconds }: CostInput): BillLine[] {
  return usageLines({
    service: 'Data transfer',
    item: 'Data transfer out',
    price: book.prices.dataTransferOutGb,
    quantity: totals.bytesOut / BYTES_PER_GB,
    horizonSeconds,
  });
}
