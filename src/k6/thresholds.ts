/**
 * `--fail-if` gates → k6 thresholds, where k6 measures the same thing. A gate says when to FAIL
 * ("collateral>0.01"); a k6 threshold says what must HOLD, so the comparison is negated
 * ("rate<=0.01"). Gates on money (cost.*, savings, damage) and on outcome counts need dowsim's
 * classification and prices: k6 cannot check them, `import-k6 --fail-if` does.
 */
import { parseGate, type GateOp } from '../gates/parse-gate.ts';

export interface GateMapping {
  gate: string;
  /** k6 metric (with tag filter) and threshold expression, when k6 can check the gate. */
  metric?: string;
  threshold?: string;
  /** Why k6 cannot check it, or what differs when it can. */
  note: string;
}

const NEGATED: Record<GateOp, string> = { '>': '<=', '>=': '<', '<': '>=', '<=': '>', '==': '!=', '!=': '==' };

/** Gate metrics k6 has an equivalent for: its metric, the aggregation, and what differs. */
const K6_EQUIVALENTS: Record<string, { metric: string; agg: string; note: string }> = {
  collateral: {
    metric: 'http_req_failed{role:legit}',
    agg: 'rate',
    note: "k6 counts any status outside 200–399 as failed, dowsim only outcomes other than succeeded (a handler's own 404 differs)",
  },
  'totals.offered': { metric: 'http_reqs', agg: 'count', note: 'requests sent, all cohorts' },
  'totals.dropped': { metric: 'dropped_iterations', agg: 'count', note: 'requests k6 had no free VU to send' },
  'totals.connectionErrors': { metric: 'http_reqs{status:0}', agg: 'count', note: 'requests that got no HTTP answer' },
};

/** latency.p99 → http_req_duration p(99); latency.legit.p99 → the same for the legit cohorts. */
function latencyEquivalent(metric: string): { metric: string; agg: string; note: string } | undefined {
  const m = /^latency\.(?:(legit|attack)\.)?(p50|p90|p99|max|mean)$/.exec(metric);
  if (!m) return undefined;
  const agg = { p50: 'med', p90: 'p(90)', p99: 'p(99)', max: 'max', mean: 'avg' }[m[2]]!;
  return {
    metric: m[1] ? `http_req_duration{role:${m[1]}}` : 'http_req_duration',
    agg,
    note: "k6 takes the statistic over all the requests it names; dowsim's gate takes the worst cohort's",
  };
}

/** Maps every gate (same grammar as --fail-if everywhere: report/gates.ts; a bad one is an InputError). */
export function mapGates(gates: readonly string[]): GateMapping[] {
  return gates.map((text) => {
    const gate = parseGate(text);
    const eq = K6_EQUIVALENTS[gate.metric] ?? latencyEquivalent(gate.metric);
    if (!eq) return { gate: text, note: 'needs dowsim outcomes or prices: check it with `dowsim import-k6 --fail-if`' };
    return { gate: text, metric: eq.metric, threshold: `${eq.agg}${NEGATED[gate.op]}${gate.threshold}`, note: eq.note };
  });
}

/** The thresholds object for the mapped gates. */
export function gateThresholds(mappings: readonly GateMapping[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const m of mappings) {
    if (!m.metric || !m.threshold) continue;
    (out[m.metric] ??= []).push(m.threshold);
  }
  return out;
}

/**
 * Always-passing thresholds whose only job is to make k6 keep these sub-metrics in its
 * end-of-test summary (k6 reports a tag-filtered count only for thresholded sub-metrics), so
 * that `--summary-export` carries per-cohort, per-status counts for `import-k6 --summary`.
 */
export function summaryThresholds(
  cohorts: readonly { name: string; role: string }[],
  statuses: readonly number[],
  hints: readonly { status: number; message: string }[],
  hintMetric: string,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const { name: cohort, role } of cohorts) {
    out[submetricKey('http_reqs', { cohort, role })] = ['count>=0'];
    for (const status of statuses) out[submetricKey('http_reqs', { cohort, status })] = ['count>=0'];
    for (const h of hints) out[submetricKey(hintMetric, { cohort, status: h.status, message: h.message })] = ['count>=0'];
    out[submetricKey('http_req_duration', { cohort })] = ['max>=0'];
    out[submetricKey('data_received', { cohort })] = ['count>=0'];
    out[submetricKey('dropped_iterations', { cohort })] = ['count>=0'];
  }
  return out;
}

/** The sub-metric key `summaryThresholds` writes (and `import-k6 --summary` reads back). */
export function submetricKey(metric: string, tags: Record<string, string | number>): string {
  return `${metric}{${Object.entries(tags)
    .map(([k, v]) => `${k}:${v}`)
    .join(',')}}`;
}
