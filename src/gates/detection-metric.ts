/**
 * `--fail-if` metrics on cost until detection: `detection.<alarm>.costBefore` (USD the attack had
 * cost when that alarm or budget fires) and `detection.firstSeconds` (when the first one fires).
 * Only the names live here; report/detection-gates.ts reads their values from a result.
 */
export const COST_BEFORE = /^detection\.(.+)\.costBefore$/;
export const FIRST_SECONDS = 'detection.firstSeconds';

export function isDetectionMetric(metric: string): boolean {
  return metric === FIRST_SECONDS || COST_BEFORE.test(metric);
}
