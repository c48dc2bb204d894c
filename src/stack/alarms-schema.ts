/**
 * The `alarms:` and `budgets:` keys of a stack file (DESIGN "Stack"): zod schemas, the rules that
 * span several keys, and their normalized form. Defaults are written beside each key and in
 * docs/stack-format.md.
 */
import { z } from 'zod';
import { formatDuration, parseDuration } from '../model/units.ts';
import type { RawProblem } from '../input/problems.ts';
import { describeValue } from '../input/describe-value.ts';
import { duration, text, wholeNumber } from '../input/fields.ts';
import { formatPath } from '../input/path.ts';
import { child, finite, isMapValue, list } from '../input/raw.ts';
import { ALARM_COMPARISONS, ALARM_METRICS, ALARM_STATISTICS, API_GATEWAY_METRICS, type Alarm, type AlarmMetric, type Budget } from './alarm-types.ts';

/** HTTP APIs publish their error metrics as 4xx and 5xx (aws-facts.md, "Metrics"). */
const METRIC_ALIASES: Record<string, AlarmMetric> = { '4xx': '4XXError', '5xx': '5XXError' };

/**
 * An alarm period: CloudWatch accepts 10 s and 30 s (high-resolution alarms) or any multiple of
 * 60 s; AWS's own API Gateway and Lambda metrics are published per minute.
 */
function alarmPeriod() {
  return z.unknown().transform((value, ctx) => {
    const s = value === 0 ? 0 : parseDuration(value);
    const ok = s !== undefined && (s === 10 || s === 30 || (s >= 60 && s % 60 === 0 && s <= 86400 * 7));
    if (!ok) {
      ctx.addIssue({ code: 'custom', message: `expected a period of 10s, 30s or a whole number of minutes (at most 7d), got ${describeValue(value)}`, input: value });
      return z.NEVER;
    }
    return s;
  });
}

export const alarmSchema = z.strictObject({
  name: text(255), // required
  metric: z.enum([...ALARM_METRICS, ...Object.keys(METRIC_ALIASES)] as [string, ...string[]]), // required
  statistic: z.enum(ALARM_STATISTICS).default('Sum'), // default Sum
  period: alarmPeriod().default(300), // default 5m
  evaluationPeriods: wholeNumber(1, 10_000).default(1), // default 1
  datapointsToAlarm: wholeNumber(1, 10_000).optional(), // default: evaluationPeriods (CloudWatch's default)
  threshold: z.number().refine(Number.isFinite, 'expected a finite number'), // required
  comparison: z.enum(ALARM_COMPARISONS).default('GreaterThanThreshold'), // default GreaterThanThreshold
  delay: duration({ max: 86400 }).default(60), // default 60s: metric publishing lag
});

export const budgetSchema = z.strictObject({
  name: text(100), // required
  limitUsd: z.number().positive().max(1e12), // required, USD per month
  thresholdPercent: z.number().positive().max(1000).default(100), // default 100 (% of limitUsd)
  type: z.enum(['ACTUAL', 'FORECASTED']).default('ACTUAL'), // default ACTUAL
});

/** The two keys as they are added to the stack schema. */
export const monitoringKeys = {
  alarms: z.array(alarmSchema).default([]), // default []: no CloudWatch alarms
  budgets: z.array(budgetSchema).default([]), // default []: no AWS Budgets
};

/** Rules spanning several keys: M ≤ N, names unique, API Gateway metrics only where API Gateway is. */
export function monitoringRules(data: Record<string, unknown>): RawProblem[] {
  const problems: RawProblem[] = [];
  const kind = child(data, 'api')?.kind;
  const seen = new Map<string, string>();
  const unique = (entry: unknown, path: (string | number)[]) => {
    if (!isMapValue(entry) || typeof entry.name !== 'string') return;
    const first = seen.get(entry.name);
    if (first) problems.push({ path: [...path, 'name'], message: `expected a name no other alarm or budget has; "${entry.name}" is also the name of ${first}` });
    else seen.set(entry.name, formatPath(path));
  };
  list(data, 'alarms').forEach((a, i) => {
    unique(a, ['alarms', i]);
    if (!isMapValue(a)) return;
    const n = finite(a.evaluationPeriods) ?? 1;
    const m = finite(a.datapointsToAlarm);
    if (m !== undefined && m > n) {
      problems.push({ path: ['alarms', i, 'datapointsToAlarm'], message: `expected at most evaluationPeriods (${n}), got ${m}` });
    }
    const metric = typeof a.metric === 'string' ? (METRIC_ALIASES[a.metric] ?? a.metric) : undefined;
    if (kind === 'function-url' && (API_GATEWAY_METRICS as readonly string[]).includes(metric ?? '')) {
      problems.push({ path: ['alarms', i, 'metric'], message: `expected a Lambda or billing metric: ${a.metric} is an API Gateway metric, and a function URL has no API Gateway` });
    }
  });
  list(data, 'budgets').forEach((b, i) => unique(b, ['budgets', i]));
  return problems;
}

/** The normalized alarms and budgets (durations in seconds, every default filled in). */
export function normalizeMonitoring(s: { alarms: z.output<typeof alarmSchema>[]; budgets: z.output<typeof budgetSchema>[] }): { alarms?: Alarm[]; budgets?: Budget[] } {
  const alarms: Alarm[] = s.alarms.map((a) => ({
    name: a.name,
    metric: METRIC_ALIASES[a.metric] ?? (a.metric as AlarmMetric),
    statistic: a.statistic,
    periodSeconds: a.period,
    evaluationPeriods: a.evaluationPeriods,
    datapointsToAlarm: a.datapointsToAlarm ?? a.evaluationPeriods,
    threshold: a.threshold,
    comparison: a.comparison,
    delaySeconds: a.delay,
  }));
  const budgets: Budget[] = s.budgets.map((b) => ({ ...b }));
  return { ...(alarms.length ? { alarms } : {}), ...(budgets.length ? { budgets } : {}) };
}

/** The inverse of normalizeMonitoring: the `alarms:`/`budgets:` keys of a stack file (for writers of stack files). */
export function monitoringFileKeys(stack: { alarms?: Alarm[]; budgets?: Budget[] }): { alarms?: Record<string, unknown>[]; budgets?: Record<string, unknown>[] } {
  const alarms = (stack.alarms ?? []).map((a) => ({
    name: a.name,
    metric: a.metric,
    statistic: a.statistic,
    period: formatDuration(a.periodSeconds),
    evaluationPeriods: a.evaluationPeriods,
    datapointsToAlarm: a.datapointsToAlarm,
    threshold: a.threshold,
    comparison: a.comparison,
    delay: formatDuration(a.delaySeconds),
  }));
  const budgets = (stack.budgets ?? []).map((b) => ({ ...b }));
  return { ...(alarms.length ? { alarms } : {}), ...(budgets.length ? { budgets } : {}) };
}
