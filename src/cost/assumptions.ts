/**
 * The document-wide assumptions behind every bill (the result document's `assumptions`). Each is a
 * sentence a budget owner can read; keep them true to the code in this folder and to aws-facts.md.
 */
export const ASSUMPTIONS: string[] = [
  "Prices are AWS on-demand list prices in USD for the stack's Region, from the price book named in the report (embedded, dated and sourced, or refreshed from the Price List API); no Savings Plans, credits, discounts or taxes.",
  "Monthly tiers use AWS's 730-hour pricing month. A horizon of one month or less is priced as that month's only usage: nothing else in the account counts toward the tiers.",
  'A horizon longer than a month is split evenly into 730-hour months; each month is priced with its own tiers (and its own free tier, when enabled) and the months are added up.',
  "Tiers and free tiers are per account and Region; each stack is priced as if it were the account's only workload.",
  'API Gateway bills every request it sends to the integration, including those Lambda throttles (500); it does not bill requests throttled with 429 (rate or usage-plan quota), rejected for a missing or invalid API key, or sent to an unknown route.',
  'WAF-blocked requests are assumed not billed by API Gateway (they never reach it; AWS does not say). WAF bills every request it inspects, allowed or blocked.',
  'HTTP API requests are metered in 512 KB (524,288-byte) increments of the request payload (a 1.2 MB request is 3 requests); REST requests count one each.',
  'Lambda bills invocations that reached the function (succeeded, failed, timed out) and their duration in 1 ms steps, INIT included (billed for all functions since 2025-08-01); throttled invocations are not billed.',
  'WAF web ACL and rule fees are prorated to the horizon (horizon ÷ 730 hours).',
  "Free tiers apply only when the stack sets freeTier: Lambda's 1M requests and 400,000 GB-s per month; API Gateway's 1M REST and 1M HTTP calls per month only for accounts created before 2025-07-15.",
  "Account-wide allowances shared with other workloads are not applied: data transfer out's first 100 GB/month and CloudWatch's free-tier log data.",
  'GB means 2^30 bytes (1,073,741,824), the convention of AWS billing.',
  'Amounts are kept unrounded in the result document; reports round only for display.',
];

/**
 * Added where it holds: a measured window (an imported k6 run, a CloudWatch collection) priced
 * over a horizon of another length. Simulations simulate the whole horizon, and `run` prices what
 * it measured as it is.
 */
export const SCALED_ASSUMPTION = 'Counts measured over a window shorter or longer than the horizon are scaled linearly to the horizon (requests rounded to whole numbers).';

/** The scaling sentence when the window measured and the horizon differ. */
export function scaledAssumption(measuredSeconds: number, horizonSeconds: number): string[] {
  return measuredSeconds > 0 && Math.abs(horizonSeconds / measuredSeconds - 1) >= 1e-9 ? [SCALED_ASSUMPTION] : [];
}
