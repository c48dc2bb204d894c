import type { BillLine } from '../model/result.ts';
import type { CostInput } from './input.ts';
import { usageLines } from './monthly.ts';

export const API_GATEWAY_FREE_TIER_PER_MONTH = 1_000_000;

/** API Gateway's lines: REST or HTTP requests by tier (none for a function URL: there is no gateway). */
export function apiGatewayLines({ totals, stack, book, horizonSeconds }: CostInput): BillLine[] {
  const kind = stack.api.kind;
  if (kind === 'function-url') return [];
  const rest = kind === 'rest';
  const name = rest ? 'REST requests' : 'HTTP API requests';
  return usageLines({
    service: 'API Gateway',
    item: name,
    price: rest ? book.prices.apiGatewayRestRequest : book.prices.apiGatewayHttpRequest,
    quantity: totals.billedApiRequests,
    horizonSeconds,
    freePerMonth: stack.freeTier ? API_GATEWAY_FREE_TIER_PER_MONTH : 0,
    freeItem: `${name}, free tier (1M/month for 12 months; accounts created before 2025-07-15 only)`,
  });
}
