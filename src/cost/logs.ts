import type { BillLine } from '../model/result.ts';
import { BYTES_PER_GB, type CostInput } from './input.ts';
import { usageLines } from './monthly.ts';

/**
 * CloudWatch Logs ingestion of the function's logs: every invocation writes at least START, END and
 * REPORT (~300 bytes, `lambda.logBytesPerInvocation`). GB of 2^30 bytes.
 */
export function logsLines({ totals, stack, book, horizonSeconds }: CostInput): BillLine[] {
  return usageLines({
    service: 'CloudWatch Logs',
    item: 'Log ingestion',
    price: book.prices.logsIngestionGb,
    quantity: (totals.invoked * stack.lambda.logBytesPerInvocation) / BYTES_PER_GB,
    horizonSeconds,
  });
}
