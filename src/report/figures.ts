import type { ResultDocument, StackResult } from '../model/result.ts';
import type { Totals } from '../model/totals.ts';
import type { Outcome } from '../model/outcomes.ts';
import { formatDuration } from '../model/units.ts';

/** The headline numbers of one stack, exactly as the result document holds them. */
export interface StackFigures {
  index: number;
  name: string;
  apiKind: StackResult['apiKind'];
  throttledPerHour: number;
  throttledTotal: number;
  unthrottledPerHour: number;
  unthrottledTotal: number;
  savings: number;
  damage: number;
  collateral: number;
}

export function stackFigures(doc: ResultDocument): StackFigures[] {
  return doc.stacks.map((s, index) => ({
    index,
    name: s.name,
    apiKind: s.apiKind,
    throttledPerHour: s.throttled.bill.perHour,
    throttledTotal: s.throttled.bill.total,
    unthrottledPerHour: s.unthrottled.bill.perHour,
    unthrottledTotal: s.unthrottled.bill.total,
    savings: s.savings,
    damage: s.damage,
    collateral: s.collateral,
  }));
}

/** Stacks ranked for `compare`: cheapest bill with throttling first, then least collateral. */
export function rankStacks(doc: ResultDocument): StackFigures[] {
  return stackFigures(doc).sort(
    (a, b) => a.throttledTotal - b.throttledTotal || a.collateral - b.collateral || a.index - b.index,
  );
}

/** Display order: what got through first, then where the rest was stopped (outermost last). */
export const OUTCOME_ORDER: Outcome[] = [
  'succeeded',
  'failed',
  'timedOut',
  'lambdaThrottled',
  'gatewayThrottled',
  'quotaExceeded',
  'authRejected',
  'wafBlocked',
];

/** Outcomes that are non-zero in any of the given totals (so tables skip empty columns). */
export function nonZeroOutcomes(totals: Totals[]): Outcome[] {
  return OUTCOME_ORDER.filter((o) => totals.some((t) => t[o] !== 0));
}

export function apiKindTitle(kind: StackResult['apiKind']): string {
  return kind === 'rest' ? 'REST API' : kind === 'http' ? 'HTTP API' : 'Lambda function URL';
}

export function horizonLabel(doc: ResultDocument): string {
  return formatDuration(doc.horizonSeconds);
}
