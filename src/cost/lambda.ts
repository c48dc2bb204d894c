import type { BillLine } from '../model/result.ts';
import type { CostInput } from './input.ts';
import { usageLines } from './monthly.ts';

/** Lambda's perpetual free tier, per month: 1M requests and 400,000 GB-seconds (aws-facts.md). */
export const LAMBDA_FREE_REQUESTS_PER_MONTH = 1_000_000;
export const LAMBDA_FREE_GB_SECONDS_PER_MONTH = 400_000;

/**
 * Lambda's lines: requests = invocations that reached the function (succeeded + failed + timed
 * out; CloudWatch `Invocations` "equals the number of requests billed"), never the throttled ones;
 * duration = `gbSeconds`, which producers already bill per 1 ms with INIT included (billed for all
 * functions since 2025-08-01), priced by the function's architecture tiers.
 */
export function lambdaLines({ totals, stack, book, horizonSeconds }: CostInput): BillLine[] {
  const arm = stack.lambda.architecture === 'arm64';
  const free = stack.freeTier;
  return [
    ...usageLines({
      service: 'Lambda',
      item: 'Lambda requests',
      price: book.prices.lambdaRequest,
      quantity: totals.invoked,
      horizonSeconds,
      freePerMonth: free ? LAMBDA_FREE_REQUESTS_PER_MONTH : 0,
      freeItem: 'Lambda requests, free tier (1M/month)',
    }),
    ...usageLines({
      service: 'Lambda',
      item: `Lambda duration (${stack.lambda.architecture})`,
      price: arm ? book.prices.lambdaGbSecondArm : book.prices.lambdaGbSecondX86,
      quantity: totals.gbSeconds,
      horizonSeconds,
      freePerMonth: free ? LAMBDA_FREE_GB_SECONDS_PER_MONTH : 0,
      freeItem: `Lambda duration (${stack.lambda.architecture}), free tier (400,000 GB-s/month)`,
    }),
  ];
}
