import type { Totals } from '../model/totals.ts';
import type { Bill, BillLine } from '../model/result.ts';
import type { PriceBook } from '../pricing/types.ts';
import type { Stack } from '../stack/types.ts';
import { apiGatewayLines } from './api-gateway.ts';
import { dataTransferLines } from './data-transfer.ts';
import type { CostInput } from './input.ts';
import { lambdaLines } from './lambda.ts';
import { logsLines } from './logs.ts';
import { wafLines } from './waf.ts';

/** One function per AWS service, in the order a bill reads: front door first. */
const SERVICES: ((input: CostInput) => BillLine[])[] = [wafLines, apiGatewayLines, lambdaLines, logsLines, dataTransferLines];

/**
 * The AWS bill for `totals` (counts over the whole horizon) on `stack`: every line, the total, the
 * hourly rate. `routes` (per-route totals of the same horizon) says which function served what.
 */
export function billFor(totals: Totals, stack: Stack, book: PriceBook, horizonSeconds: number, routes?: Record<string, Totals>): Bill {
  const input: CostInput = { totals, stack, book, horizonSeconds, ...(routes ? { routes } : {}) };
  const lines = SERVICES.flatMap((service) => service(input));
  const total = lines.reduce((sum, l) => sum + l.cost, 0);
  const hours = horizonSeconds / 3600;
  return { currency: 'USD', total, perHour: hours > 0 ? total / hours : 0, lines };
}
