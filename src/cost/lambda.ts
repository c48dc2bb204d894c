import type { BillLine } from '../model/result.ts';
import { functionUsage } from './function-usage.ts';
import type { CostInput } from './input.ts';
import { monthFactor, usageLines } from './monthly.ts';

/** Lambda's perpetual free tier, per month: 1M requests and 400,000 GB-seconds (aws-facts.md). */
export const LAMBDA_FREE_REQUESTS_PER_MONTH = 1_000_000;
export const LAMBDA_FREE_GB_SECONDS_PER_MONTH = 400_000;

const ARCHITECTURES = ['x86_64', 'arm64'] as const;

/**
 * Lambda's lines: requests = invocations that reached the function (succeeded + failed + timed
 * out; CloudWatch `Invocations` "equals the number of requests billed"), never the throttled ones;
 * duration = `gbSeconds`, which producers already bill per 1 ms with INIT included (billed for all
 * functions since 2025-08-01). Duration tiers are per account per architecture, so the functions'
 * GB-seconds are added up by architecture first and each architecture is tiered on its own; the
 * free tier's 400,000 GB-s a month are one allowance, used by the default function's
 * architecture first.
 */
export function lambdaLines(input: CostInput): BillLine[] {
  const { totals, stack, book, horizonSeconds } = input;
  const free = stack.freeTier;
  const byArch = new Map<string, number>();
  for (const u of functionUsage(input)) byArch.set(u.fn.architecture, (byArch.get(u.fn.architecture) ?? 0) + u.gbSeconds);
  const main = stack.lambda.architecture;
  const order = [main, ...ARCHITECTURES.filter((a) => a !== main && (byArch.get(a) ?? 0) > 0)];
  let freeLeft = free ? LAMBDA_FREE_GB_SECONDS_PER_MONTH : 0;
  const duration = order.flatMap((arch) => {
    const gbSeconds = byArch.get(arch) ?? 0;
    // usageLines takes what it needs of the allowance it is offered; the rest goes to the next architecture
    const offered = freeLeft;
    freeLeft = Math.max(0, freeLeft - gbSeconds / monthFactor(horizonSeconds));
    return usageLines({
      service: 'Lambda',
      item: `Lambda duration (${arch})`,
      price: arch === 'arm64' ? book.prices.lambdaGbSecondArm : book.prices.lambdaGbSecondX86,
      quantity: gbSeconds,
      horizonSeconds,
      freePerMonth: offered,
      freeItem: `Lambda duration (${arch}), free tier (400,000 GB-s/month${order.length > 1 ? ', shared by both architectures' : ''})`,
    });
  });
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
    ...duration,
  ];
}
