import type { BillLine } from '../model/result.ts';
import { functionUsage } from './function-usage.ts';
import { BYTES_PER_GB, type CostInput } from './input.ts';
import { usageLines } from './monthly.ts';

/**
 * CloudWatch Logs ingestion of the function's logs: every invocation writes at least START, END and
 * REPORT (~300 bytes, `logBytesPerInvocation` of each function). GB of 2^30 bytes.
 */
export function logsLines(input: CostInput): BillLine[] {
  const { book, horizonSeconds } = input;
  let bytes = 0;
  for (const u of functionUsage(input)) bytes += u.invoked * u.fn.logBytesPerInvocation;
  return usageLines({
    service: 'CloudWatch Logs',
    item: 'Log ingestion',
    price: book.prices.logsIngestionGb,
    quantity: bytes / BYTES_PER_GB,
    horizonSeconds,
  });
}
