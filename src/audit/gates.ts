/** `--fail-if` for audits: `risk.perHour>5` (the worst API, as configured) and `findings.<severity>` counts. */
import { InputError } from '../model/errors.ts';
import type { AuditDocument } from './document.ts';
import { SEVERITIES } from './document.ts';

export interface AuditGate {
  text: string;
  metric: string;
  op: '>' | '>=' | '<' | '<=' | '==' | '!=';
  threshold: number;
}

const RE = /^\s*([A-Za-z][A-Za-z0-9.]*)\s*(>=|<=|==|!=|>|<)\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+))\s*$/;
export const AUDIT_METRICS = ['risk.perHour', 'risk.unthrottledPerHour', 'findings.total', ...SEVERITIES.map((s) => `findings.${s}`)];

export function parseAuditGate(text: string): AuditGate {
  const m = RE.exec(text);
  const where = `--fail-if "${text}"`;
  if (!m) throw new InputError([{ path: where, message: 'expected <metric><op><number>, e.g. "risk.perHour>5" or "findings.error>0"' }]);
  if (!AUDIT_METRICS.includes(m[1])) throw new InputError([{ path: where, message: `unknown metric "${m[1]}"; use one of ${AUDIT_METRICS.join(', ')}` }]);
  return { text, metric: m[1], op: m[2] as AuditGate['op'], threshold: Number(m[3]) };
}

export function auditMetric(doc: AuditDocument, metric: string): number {
  if (metric === 'risk.perHour') return Math.max(0, ...doc.stacks.map((s) => s.risk.perHour.throttled));
  if (metric === 'risk.unthrottledPerHour') return Math.max(0, ...doc.stacks.map((s) => s.risk.perHour.unthrottled));
  if (metric === 'findings.total') return doc.findings.length;
  return doc.findings.filter((f) => `findings.${f.severity}` === metric).length;
}

/** The sentences of the gates that tripped. */
export function evaluateAuditGates(doc: AuditDocument, gates: AuditGate[]): string[] {
  const cmp = { '>': (a: number, b: number) => a > b, '>=': (a: number, b: number) => a >= b, '<': (a: number, b: number) => a < b, '<=': (a: number, b: number) => a <= b, '==': (a: number, b: number) => a === b, '!=': (a: number, b: number) => a !== b };
  return gates.flatMap((g) => {
    const v = auditMetric(doc, g.metric);
    return cmp[g.op](v, g.threshold) ? [`--fail-if "${g.text}": ${g.metric} = ${g.metric.startsWith('risk') ? `$${v.toFixed(2)}` : v} ${g.op} ${g.threshold}`] : [];
  });
}
