import type { PriceBook } from '../pricing/types.ts';
import type { Stack } from '../stack/types.ts';
import { billFor } from '../cost/bill.ts';
import { wafLines } from '../cost/waf.ts';
import { emptyTotals } from '../model/totals.ts';
import { stackFunctions } from '../stack/functions.ts';
import type { SloClause } from './slo.ts';

/** What every candidate is offered in one scenario: the requests do not depend on the throttles. */
export interface Offered {
  all: number;
  legit: number;
  byCohort: Record<string, number>;
}

/** WAF's $/hour for a stack over a scenario: the web ACL and rules, and every offered request inspected. */
export function wafPerHour(stack: Stack, offered: number, book: PriceBook, seconds: number): number {
  const lines = wafLines({ totals: { ...emptyTotals(), offered }, stack, book, horizonSeconds: seconds });
  return lines.reduce((s, l) => s + l.cost, 0) / (seconds / 3600);
}

/**
 * The fewest requests that must succeed for the SLO to hold: every clause asks a share of a
 * cohort's (or all legit cohorts') offered requests, so the largest of those is a floor.
 * Cohort clauses on different cohorts add up (a request is one cohort's).
 */
export function minimumSucceeded(slo: SloClause[], offered: Offered): number {
  const perCohort = new Map<string, number>();
  let legit = 0;
  for (const c of slo) {
    if (c.target === 'legit') legit = Math.max(legit, c.value * offered.legit);
    else perCohort.set(c.target, Math.max(perCohort.get(c.target) ?? 0, c.value * (offered.byCohort[c.target] ?? 0)));
  }
  const cohorts = [...perCohort.values()].reduce((s, n) => s + n, 0);
  // a hair under: the SLO check allows 1e-12 of slack and the simulator rounds counts
  return Math.max(0, Math.max(legit, cohorts) * (1 - 1e-6) - 1);
}

/**
 * The least $/hour a candidate meeting the SLO can cost in one scenario, without simulating it: a
 * bill of only what is certain. WAF (when the stack has a web ACL) inspects every offered request,
 * blocked or not; and at least `succeeded` requests went through API Gateway to Lambda, each billed
 * as one API request, one Lambda request and its log lines (its duration counted as nothing). Every
 * price is tiered upwards from zero, so a bill of fewer units is never dearer: the real bill is at
 * least this one.
 */
export function costFloor(stack: Stack, offered: Offered, succeeded: number, book: PriceBook, seconds: number): number {
  const totals = { ...emptyTotals(), offered: offered.all, succeeded, invoked: succeeded };
  if (stack.api.kind !== 'function-url') totals.billedApiRequests = succeeded;
  // without per-route counts the bill gives every invocation to the default function: give it the
  // fewest log bytes any function writes, so no function's invocation is counted dearer than it is
  const leastLog = Math.min(...stackFunctions(stack).map((f) => f.logBytesPerInvocation));
  const lean: Stack = { ...stack, lambda: { ...stack.lambda, logBytesPerInvocation: leastLog } };
  return billFor(totals, lean, book, seconds).perHour;
}
