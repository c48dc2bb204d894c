/**
 * `--fail-if` expressions (`cost.perHour>50`, `collateral>1%`): their grammar and metric names.
 * Apart from report/ so that k6 thresholds and the CLI parse gates without the renderers.
 */
import { InputError } from '../model/errors.ts';
import { TOTAL_KEYS } from '../model/totals.ts';
import { isDetectionMetric } from './detection-metric.ts';
import { LATENCY_METRICS } from './latency-metric.ts';

export type GateOp = '>' | '>=' | '<' | '<=' | '==' | '!=';

/** A CI gate such as `cost.perHour>50`: it trips when the metric compares true for any stack. */
export interface Gate {
  text: string; // as the user wrote it
  metric: string;
  op: GateOp;
  threshold: number;
}

export const MONEY_METRICS = ['cost.perHour', 'cost.total', 'savings', 'damage'] as const;
const METRICS = [...MONEY_METRICS, 'collateral', ...TOTAL_KEYS.map((k) => `totals.${k}`), ...LATENCY_METRICS];

export const GATE_RE = /^\s*([A-Za-z][A-Za-z0-9._-]*)\s*(>=|<=|==|!=|>|<)\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?)\s*(%?)\s*$/i;

/** Parses one `--fail-if` expression; a bad one is an InputError naming it and what would be right. */
export function parseGate(text: string): Gate {
  const where = `--fail-if "${text}"`;
  const m = GATE_RE.exec(text);
  if (!m) {
    throw new InputError([{ path: where, message: 'expected <metric><op><number>, e.g. "cost.perHour>50" or "collateral>0.01" (ops: > >= < <= == !=)' }]);
  }
  const [, metric, op, num, pct] = m;
  if (!METRICS.includes(metric) && !isDetectionMetric(metric)) {
    throw new InputError([
      { path: where, message: `unknown metric "${metric}"; use one of cost.perHour, cost.total, savings, damage, collateral, totals.<outcome> (e.g. totals.lambdaThrottled), detection.<alarm>.costBefore, detection.firstSeconds, latency.<p50|p90|p99|max|mean> or latency.<legit|attack>.<stat> (milliseconds)` },
    ]);
  }
  let threshold = Number(num);
  if (pct) {
    if (metric !== 'collateral') throw new InputError([{ path: where, message: 'a percentage only makes sense for collateral (e.g. "collateral>1%")' }]);
    threshold /= 100;
  }
  return { text, metric, op: op as GateOp, threshold };
}
