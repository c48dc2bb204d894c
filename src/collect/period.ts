import { InputError } from '../model/errors.ts';

const DAY = 86_400;

/**
 * CloudWatch's retention ladder (aws-facts.md): 60-second data is kept 15 days, 300-second data
 * 63 days, 3600-second data 455 days. AWS/ namespaces publish at 60 s at best.
 */
export const RETENTION = [
  { period: 60, keptSeconds: 15 * DAY },
  { period: 300, keptSeconds: 63 * DAY },
  { period: 3600, keptSeconds: 455 * DAY },
] as const;

/** The finest period CloudWatch still holds for a window starting at `startSec` (epoch seconds). */
export function periodForAge(startSec: number, nowSec: number): number {
  const age = nowSec - startSec;
  for (const r of RETENTION) if (age <= r.keptSeconds) return r.period;
  throw new InputError([
    { path: '--start', message: `${new Date(startSec * 1000).toISOString()} is more than 455 days ago: CloudWatch keeps no metrics that old` },
  ]);
}

/** GetMetricData accepts 1, 5, 10, 30 or any multiple of 60 seconds. */
export function isValidPeriod(p: number): boolean {
  return Number.isInteger(p) && p >= 1 && ([1, 5, 10, 30].includes(p) || p % 60 === 0);
}

/**
 * CloudWatch answers whole periods aligned to the epoch; asking for the aligned window keeps every
 * bucket whole and the window length exact (the projection divides by it).
 */
export function alignWindow(startSec: number, endSec: number, period: number): { start: number; end: number } {
  const start = Math.floor(startSec / period) * period;
  const end = Math.max(start + period, Math.ceil(endSec / period) * period);
  return { start, end };
}
