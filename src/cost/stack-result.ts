import type { CohortResult, StackResult, VariantResult } from '../model/result.ts';
import { cohortTotals, type Timeline } from '../model/timeline.ts';
import { addTotals, emptyTotals } from '../model/totals.ts';
import { formatDuration } from '../model/units.ts';
import type { PriceBook } from '../pricing/types.ts';
import type { Stack } from '../stack/types.ts';
import { hasSeveralFunctions } from '../stack/functions.ts';
import { billFor } from './bill.ts';
import { scaleTotals } from './scale.ts';

export { ASSUMPTIONS, scaledAssumption } from './assumptions.ts';

/** Horizon ÷ run length, snapped to exactly 1 when they match up to float noise. */
export function projectionFactor(timeline: Timeline, horizonSeconds: number): number {
  if (!(timeline.durationSeconds > 0)) return 1;
  const k = horizonSeconds / timeline.durationSeconds;
  return Math.abs(k - 1) < 1e-9 ? 1 : k;
}

/**
 * One variant (throttled, unthrottled, legit-only) of a stack, priced: its totals and per-cohort
 * totals, projected from the timeline's length to the horizon when they differ, and the bill of
 * those projected totals. The timeline itself rides along unscaled, for charts.
 */
export function priceVariant(timeline: Timeline, stack: Stack, book: PriceBook, horizonSeconds: number): VariantResult {
  const k = projectionFactor(timeline, horizonSeconds);
  const totals = emptyTotals();
  // fromEntries defines own properties: a cohort named "__proto__" stays a plain key
  const cohorts: Record<string, CohortResult> = Object.fromEntries(
    timeline.cohorts.map((c) => {
      const scaled = scaleTotals(cohortTotals(c), k);
      addTotals(totals, scaled);
      return [c.name, { role: c.role, totals: scaled }];
    }),
  );
  const routes = timeline.routes
    ? Object.fromEntries(Object.entries(timeline.routes).map(([key, t]) => [key, scaleTotals(t, k)]))
    : undefined;
  return { totals, cohorts, ...(routes ? { routes } : {}), bill: billFor(totals, stack, book, horizonSeconds, routes), timeline };
}

/**
 * A stack's result: its throttled and unthrottled variants, what the throttles save, what the
 * attack costs on top of legit traffic (damage), and the share of legit requests that did not
 * succeed under the throttles (collateral), with the notes a reader needs to trust the figures.
 */
export function stackResult(opts: {
  stack: Stack;
  throttled: Timeline;
  unthrottled: Timeline;
  legitOnly: Timeline;
  book: PriceBook;
  horizonSeconds: number;
}): StackResult {
  const { stack, book, horizonSeconds } = opts;
  const throttled = priceVariant(opts.throttled, stack, book, horizonSeconds);
  const unthrottled = priceVariant(opts.unthrottled, stack, book, horizonSeconds);
  const legitOnly = priceVariant(opts.legitOnly, stack, book, horizonSeconds);
  const result: StackResult = {
    name: stack.name,
    apiKind: stack.api.kind,
    throttled,
    unthrottled,
    savings: unthrottled.bill.total - throttled.bill.total,
    damage: throttled.bill.total - legitOnly.bill.total,
    collateral: collateral(opts.throttled),
    legitOnlyBill: legitOnly.bill,
    notes: stackNotes(stack, book, opts.throttled, horizonSeconds),
  };
  if (stack.file !== undefined) result.file = stack.file;
  if (stack.api.routeFunctions) result.routeFunctions = { ...stack.api.routeFunctions };
  return result;
}

/** Share of legit requests (offered in legit cohorts) that did not succeed; 0 without legit traffic. */
export function collateral(timeline: Timeline): number {
  let offered = 0;
  let succeeded = 0;
  for (const c of timeline.cohorts) {
    if (c.role !== 'legit') continue;
    const t = cohortTotals(c);
    offered += t.offered;
    succeeded += t.succeeded;
  }
  return offered > 0 ? Math.min(1, Math.max(0, (offered - succeeded) / offered)) : 0;
}

function stackNotes(stack: Stack, book: PriceBook, throttled: Timeline, horizonSeconds: number): string[] {
  const notes: string[] = [];
  if (stack.waf) {
    notes.push('WAF-blocked requests assumed not billed by API Gateway (no AWS statement either way); WAF bills every request it inspects.');
  }
  if (stack.api.kind === 'function-url') {
    notes.push('Function URL: no API Gateway charge; the only throttle is reserved concurrency (10 × reserved concurrency requests per second).');
  }
  if (stack.api.kind === 'http') {
    notes.push('HTTP API requests billed per 512 KB of request payload (billedApiRequests counts the units).');
  }
  if (hasSeveralFunctions(stack)) {
    notes.push(
      throttled.routes
        ? 'Several functions: each route\'s GB-seconds are priced by its function\'s architecture (tiers per architecture) and its log size by the function\'s logBytesPerInvocation.'
        : `Several functions, but this source cannot tell routes apart: every invocation is priced as the default function's (${stack.lambda.architecture}, ${stack.lambda.logBytesPerInvocation} log bytes).`,
    );
  }
  if (stack.freeTier) {
    notes.push(
      "Free tier applied each month: Lambda's 1M requests and 400,000 GB-s (perpetual)" +
        (stack.api.kind === 'function-url' ? '.' : "; API Gateway's 1M calls only for accounts created before 2025-07-15 (later accounts get credits instead)."),
    );
  } else {
    notes.push('No free tier applied (set freeTier: true in the stack to apply it).');
  }
  const k = projectionFactor(throttled, horizonSeconds);
  if (k !== 1) {
    notes.push(
      `Counts from a ${formatDuration(throttled.durationSeconds)} run scaled ×${+k.toFixed(3)} to the ${formatDuration(horizonSeconds)} horizon.`,
    );
  }
  const borrowed = Object.entries(book.prices)
    .filter(([, p]) => p.source.startsWith('us-east-1 prices used for'))
    .map(([key]) => key);
  if (borrowed.length > 0) {
    notes.push(`us-east-1 prices used for ${book.region} for: ${borrowed.join(', ')} (see the price book's sources).`);
  }
  if (book.region !== stack.region) {
    notes.push(`Priced with the ${book.region} price book; the stack is in ${stack.region}.`);
  }
  return notes;
}
