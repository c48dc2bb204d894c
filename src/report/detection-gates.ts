/**
 * `--fail-if` metrics on cost until detection: `detection.<alarm>.costBefore` (USD the attack had
 * cost when that alarm or budget fires, or the whole bill when it never does) and
 * `detection.firstSeconds` (when the first one fires; Infinity when none does, so "> N" trips).
 * Both read the throttled variant, as every other gate does.
 */
import type { StackResult } from '../model/result.ts';
import { COST_BEFORE, FIRST_SECONDS } from '../gates/detection-metric.ts';
import { firstDetection } from './detection.ts';
import { formatElapsed } from './detection.ts';
import { formatAmount } from './format.ts';

/** The metric's value for one stack; undefined when the stack has no such alarm (or none at all). */
export function detectionMetricValue(s: StackResult, metric: string): number | undefined {
  const v = s.throttled;
  if (!v.detection?.length) return undefined;
  if (metric === FIRST_SECONDS) return firstDetection(v)?.firesAtSeconds ?? Infinity;
  const name = COST_BEFORE.exec(metric)?.[1];
  return v.detection.find((d) => d.alarm === name)?.costBeforeUsd;
}

/** The names a `detection.<alarm>` gate may use across the stacks, for an error message. */
export function detectionNames(stacks: StackResult[]): string[] {
  return [...new Set(stacks.flatMap((s) => (s.throttled.detection ?? []).map((d) => d.alarm)))];
}

export function formatDetectionValue(metric: string, v: number): string {
  if (metric === FIRST_SECONDS) return Number.isFinite(v) ? `${v} (${formatElapsed(v)})` : 'never (no alarm fires)';
  return formatAmount(v);
}
