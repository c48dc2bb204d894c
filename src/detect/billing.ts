/**
 * What AWS's billing side sees of the bill, and when. Neither CloudWatch's billing metric nor AWS
 * Budgets watches spend live: both see cost only when AWS refreshes its billing data.
 *
 * - AWS/Billing EstimatedCharges: "the estimated charges are calculated and sent several times
 *   daily to CloudWatch as metric data" (CloudWatch User Guide, "Create a billing alarm to monitor
 *   your estimated AWS charges", monitor_estimated_charges_with_cloudwatch.html). dowsim takes
 *   "several times daily" as every 6 hours. The value is month-to-date, in USD.
 * - AWS Budgets: "AWS billing data, which Budgets uses to monitor resources, is updated at least
 *   once per day. Keep in mind that budget information and associated alerts are updated and sent
 *   according to this data refresh cadence" (AWS Cost Management User Guide, "Best practices for
 *   AWS Budgets", budgets-best-practices.html); the Budgets API reference says AWS "updates your
 *   budget status several times a day". dowsim takes every 8 hours (three times a day).
 *
 * Both are defaults, optimistic ones: at each refresh the data is taken as complete up to that
 * moment. Virtual time 0 is taken as the start of a billing month (month-to-date = since 0), and
 * a month is AWS's pricing month of 730 hours.
 */
import type { Budget } from '../stack/alarm-types.ts';
import { PRICING_MONTH_SECONDS } from '../model/units.ts';
import type { Datapoint } from './metrics.ts';

export const ESTIMATED_CHARGES_REFRESH_SECONDS = 6 * 3600;
export const BUDGETS_REFRESH_SECONDS = 8 * 3600;

/** The bill accrued from time 0 to t (USD). */
export type CostUntil = (t: number) => number;

/** Spend in the billing month that contains t, up to t. */
export function monthToDate(costUntil: CostUntil, t: number): number {
  const monthStart = Math.floor(t / PRICING_MONTH_SECONDS + 1e-9) * PRICING_MONTH_SECONDS;
  return costUntil(t) - (monthStart > 0 ? costUntil(monthStart) : 0);
}

/** EstimatedCharges datapoints per period: one sample at each refresh, in the period it falls in. */
export function estimatedChargesDatapoints(costUntil: CostUntil, periodSeconds: number, durationSeconds: number): (Datapoint | undefined)[] {
  const periods = Math.floor(durationSeconds / periodSeconds + 1e-9);
  const out: (Datapoint | undefined)[] = new Array(periods).fill(undefined);
  for (let r = ESTIMATED_CHARGES_REFRESH_SECONDS; r <= durationSeconds + 1e-9; r += ESTIMATED_CHARGES_REFRESH_SECONDS) {
    const i = Math.floor(r / periodSeconds + 1e-9);
    if (i >= periods) break;
    const v = monthToDate(costUntil, r);
    const d = out[i] ?? { sum: 0, sampleCount: 0, maximum: -Infinity };
    out[i] = { sum: d.sum + v, sampleCount: d.sampleCount + 1, maximum: Math.max(d.maximum, v) };
  }
  return out;
}

/**
 * When a budget's notification goes out: at the first refresh at which month-to-date spend (ACTUAL)
 * or the month's forecast (FORECASTED: month-to-date spend extrapolated linearly to the whole
 * month) reaches thresholdPercent of limitUsd. null: not by `untilSeconds`.
 */
export function budgetFiresAt(budget: Budget, costUntil: CostUntil, untilSeconds: number): number | null {
  const threshold = (budget.limitUsd * budget.thresholdPercent) / 100;
  for (let r = BUDGETS_REFRESH_SECONDS; r <= untilSeconds + 1e-9; r += BUDGETS_REFRESH_SECONDS) {
    const spent = monthToDate(costUntil, r);
    const elapsed = r - Math.floor(r / PRICING_MONTH_SECONDS + 1e-9) * PRICING_MONTH_SECONDS;
    const value = budget.type === 'ACTUAL' ? spent : elapsed > 0 ? (spent * PRICING_MONTH_SECONDS) / elapsed : 0;
    if (value >= threshold) return r;
  }
  return null;
}
