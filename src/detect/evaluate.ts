import type { Alarm, AlarmComparison } from '../stack/alarm-types.ts';
import { statistic, type Datapoint } from './metrics.ts';

export function breaches(value: number, comparison: AlarmComparison, threshold: number): boolean {
  switch (comparison) {
    case 'GreaterThanThreshold':
      return value > threshold;
    case 'GreaterThanOrEqualToThreshold':
      return value >= threshold;
    case 'LessThanThreshold':
      return value < threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= threshold;
  }
}

/**
 * When the alarm fires, in seconds from the start: at the end of the first period at which
 * `datapointsToAlarm` of the last `evaluationPeriods` periods breach, plus `delay` (DESIGN "Stack").
 * `points[i]` is period i's datapoint, periods of `alarm.periodSeconds` from 0. A period without
 * data does not breach (CloudWatch's treatMissingData: notBreaching). null: it never fires by
 * `untilSeconds`.
 */
export function firesAt(alarm: Alarm, points: (Datapoint | undefined)[], untilSeconds: number): number | null {
  const N = alarm.evaluationPeriods;
  const hits: boolean[] = points.map((d) => d !== undefined && breaches(statistic(d, alarm.statistic), alarm.comparison, alarm.threshold));
  let inWindow = 0;
  for (let i = 0; i < hits.length; i++) {
    if (hits[i]) inWindow++;
    if (i >= N && hits[i - N]) inWindow--;
    if (inWindow >= alarm.datapointsToAlarm) {
      const t = (i + 1) * alarm.periodSeconds + alarm.delaySeconds;
      return t <= untilSeconds + 1e-9 ? t : null;
    }
  }
  return null;
}
