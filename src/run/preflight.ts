/**
 * Before traffic goes to a real account: what the run itself will cost that account, by the
 * simulator on the run's own inputs (scenario cut to the run's length, capped by --max-requests).
 * Above the ceiling the run is refused unless the user said --yes.
 */
import { priceVariant } from '../cost/stack-result.ts';
import { InputError } from '../model/errors.ts';
import { timelineTotals } from '../model/timeline.ts';
import { formatDuration } from '../model/units.ts';
import type { PriceBook } from '../pricing/types.ts';
import type { Scenario } from '../scenario/types.ts';
import { simulate } from '../simulate/engine.ts';
import type { Stack } from '../stack/types.ts';

/** Ceiling on a staging run's predicted cost when --max-cost is not given, USD. */
export const DEFAULT_MAX_COST_USD = 1;

export interface RunCostEstimate {
  /** Requests the run will offer (predicted). */
  requests: number;
  /** Of them, how many the target's gateway will bill (predicted). */
  billedApiRequests: number;
  invoked: number;
  /** USD the run itself costs the target account. */
  cost: number;
}

/** What a run of `runSeconds` (at most `maxRequests` requests) costs the account behind the target. */
export function estimateRunCost(scenario: Scenario, stack: Stack, book: PriceBook, runSeconds: number, maxRequests?: number): RunCostEstimate {
  const tl = simulate(scenario, stack, { horizonSeconds: runSeconds, throttled: true });
  const bill = priceVariant(tl, stack, book, runSeconds).bill;
  const t = timelineTotals(tl);
  // --max-requests stops the run early: at most that share of the traffic (and, near enough, of its cost).
  const share = maxRequests !== undefined && t.offered > maxRequests ? maxRequests / t.offered : 1;
  return {
    requests: Math.round(t.offered * share),
    billedApiRequests: Math.round(t.billedApiRequests * share),
    invoked: Math.round(t.invoked * share),
    cost: bill.total * share,
  };
}

/** One plain sentence about the estimate (printed before a staging run). */
export function describeEstimate(e: RunCostEstimate, host: string, runSeconds: number): string {
  const n = (x: number) => x.toLocaleString('en-US');
  return (
    `This run sends about ${n(e.requests)} requests to ${host} over ${formatDuration(Math.round(runSeconds * 1000) / 1000)}; ` +
    `the simulator predicts ${n(e.billedApiRequests)} billed API requests and ${n(e.invoked)} Lambda invocations, ` +
    `costing the target account about ${usd(e.cost)}.`
  );
}

/** Refuses (exit 1) a run whose predicted cost is above the ceiling, unless the user accepted it with --yes. */
export function enforceCostCeiling(e: RunCostEstimate, maxCost: number, yes: boolean): void {
  if (e.cost <= maxCost || yes) return;
  throw new InputError([
    {
      path: '--max-cost',
      message:
        `the run is predicted to cost the target account ${usd(e.cost)}, above the ${usd(maxCost)} ceiling. ` +
        'Shorten it (--duration, --max-requests), raise --max-cost, or pass --yes to accept the cost.',
    },
  ]);
}

function usd(x: number): string {
  if (x === 0) return '$0';
  if (x < 0.01) return `$${x.toPrecision(2)}`;
  return `$${x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}
