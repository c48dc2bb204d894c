import { InputError } from '../model/errors.ts';
import type { ResultDocument, StackResult } from '../model/result.ts';
import { TOTAL_KEYS, type Totals } from '../model/totals.ts';
import { FIRST_SECONDS, isDetectionMetric } from '../gates/detection-metric.ts';
import { GATE_RE, MONEY_METRICS, parseGate, type Gate, type GateOp } from '../gates/parse-gate.ts';
import { formatAmount, formatCount, formatNumber, formatPercent } from './format.ts';
import { detectionMetricValue, detectionNames, formatDetectionValue } from './detection-gates.ts';
import { isLatencyMetric, latencyValue } from './latency-gates.ts';

export interface GateTrip {
  gate: Gate;
  stack: string;
  value: number;
  message: string; // "cost.perHour = 61.20 > 50 on stack rest-unprotected"
}

/** The gates that tripped, one entry per gate and stack that tripped it, each with a sentence. */
export function evaluateGates(doc: ResultDocument, gates: (Gate | string)[]): GateTrip[] {
  const trips: GateTrip[] = [];
  for (const g of gates) {
    const gate = typeof g === 'string' ? parseGate(g) : g;
    if (isLatencyMetric(gate.metric)) {
      const trip = latencyTrip(doc, gate);
      if (trip) trips.push(trip);
      continue;
    }
    if (isDetectionMetric(gate.metric)) {
      trips.push(...detectionTrips(doc, gate));
      continue;
    }
    for (const s of doc.stacks) {
      const value = metricValue(s, gate.metric);
      if (compare(value, gate.op, gate.threshold)) {
        trips.push({
          gate,
          stack: s.name,
          value,
          message: `${gate.metric} = ${formatMetric(gate.metric, value)} ${gate.op} ${formatThreshold(gate)} on stack ${s.name}`,
        });
      }
    }
  }
  return trips;
}

/**
 * A latency gate looks at the run's cohorts (worst one). Without latency in the document (a
 * simulation) it cannot hold, and a gate that cannot be checked must not pass silently: it trips.
 */
function latencyTrip(doc: ResultDocument, gate: Gate): GateTrip | undefined {
  const stack = doc.stacks[0]?.name ?? '';
  const v = latencyValue(doc, gate.metric);
  if (!v) return { gate, stack, value: NaN, message: `${gate.metric}: no latency measured in this result (only \`run\` and \`import-k6\` measure it), so the gate cannot hold` };
  if (!compare(v.value, gate.op, gate.threshold)) return undefined;
  return { gate, stack, value: v.value, message: `${gate.metric} = ${formatNumber(v.value, 1)} ms ${gate.op} ${formatThreshold(gate)} (cohort ${v.cohort})` };
}

/** The value a gate metric takes for one stack (with throttling, as configured). */
export function metricValue(s: StackResult, metric: string): number {
  switch (metric) {
    case 'cost.perHour':
      return s.throttled.bill.perHour;
    case 'cost.total':
      return s.throttled.bill.total;
    case 'savings':
      return s.savings;
    case 'damage':
      return s.damage;
    case 'collateral':
      return s.collateral;
  }
  if (metric.startsWith('totals.')) {
    const key = metric.slice('totals.'.length) as keyof Totals;
    if ((TOTAL_KEYS as string[]).includes(key)) return s.throttled.totals[key];
  }
  throw new InputError([{ path: '--fail-if', message: `unknown metric "${metric}"` }]);
}

/** A detection gate trips per stack that has the alarm; naming an alarm no stack has is a usage error. */
function detectionTrips(doc: ResultDocument, gate: Gate): GateTrip[] {
  const trips: GateTrip[] = [];
  let seen = false;
  for (const s of doc.stacks) {
    const value = detectionMetricValue(s, gate.metric);
    if (value === undefined) continue;
    seen = true;
    if (compare(value, gate.op, gate.threshold)) {
      trips.push({ gate, stack: s.name, value, message: `${gate.metric} = ${formatDetectionValue(gate.metric, value)} ${gate.op} ${formatThreshold(gate)} on stack ${s.name}` });
    }
  }
  if (!seen) {
    const names = detectionNames(doc.stacks);
    // the alarms and budgets there are, when some are (with none, "no stack has alarms or budgets" says it all)
    const hint = names.length ? `; the alarms and budgets are ${names.join(', ')}` : gate.metric === FIRST_SECONDS ? '' : '; no stack has alarms or budgets';
    throw new InputError([{ path: `--fail-if "${gate.text}"`, message: `no stack has ${gate.metric === FIRST_SECONDS ? 'alarms or budgets' : `an alarm or budget named "${gate.metric.slice('detection.'.length, -'.costBefore'.length)}"`}${hint}` }]);
  }
  return trips;
}

function compare(v: number, op: GateOp, t: number): boolean {
  switch (op) {
    case '>':
      return v > t;
    case '>=':
      return v >= t;
    case '<':
      return v < t;
    case '<=':
      return v <= t;
    case '==':
      return v === t;
    case '!=':
      return v !== t;
  }
}

function formatMetric(metric: string, v: number): string {
  if ((MONEY_METRICS as readonly string[]).includes(metric)) return formatAmount(v);
  if (metric === 'collateral') return `${formatNumber(v, 6)} (${formatPercent(v)})`;
  if (metric === 'totals.gbSeconds' || metric === 'totals.initGbSeconds') return formatNumber(v, 3);
  return formatCount(v);
}

function formatThreshold(g: Gate): string {
  return g.text.match(GATE_RE)![3] + (g.text.trim().endsWith('%') ? '%' : '');
}
