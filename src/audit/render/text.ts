/** The audit for people: terminal text, Markdown, CSV and JSON. */
import { relative } from 'node:path';
import { csvField, escapeMarkdown } from '../../report/escape.ts';
import { textTable } from '../../report/text-table.ts';
import type { AuditDocument, AuditedStack, Finding } from '../document.ts';
import { CATEGORIES, SEVERITIES } from '../document.ts';

export function renderAuditJson(doc: AuditDocument): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

const usd = (n: number | undefined) => (n === undefined ? '—' : `$${n.toFixed(2)}`);
const where = (file: string, line: number, cwd: string) => `${relative(cwd, file) || file}:${line}`;

/** One line per API: kind, throttles, usage plans, WAF, function — and its price under attack. */
export function stackRow(s: AuditedStack): Record<string, string> {
  const api = (s.stack.api ?? {}) as Record<string, unknown>;
  const stage = api.stage as { rate: number; burst: number } | undefined;
  const routes = Object.entries((api.routes ?? {}) as Record<string, { rate?: number; burst?: number }>);
  const throttledRoutes = routes.filter(([, t]) => t.rate !== undefined).map(([k, t]) => `${k} ${t.rate}/${t.burst}`);
  const plans = ((api.usagePlans ?? []) as { name: string; throttle?: { rate: number; burst: number } }[]).map((p) => `${p.name}${p.throttle ? ` ${p.throttle.rate}/${p.throttle.burst}` : ''}`);
  const waf = s.stack.waf as { rateLimit?: { limit: number } } | undefined;
  const l = (s.stack.lambda ?? {}) as Record<string, unknown>;
  return {
    api: s.name,
    kind: String(api.kind),
    stage: stage ? `${stage.rate}/${stage.burst}` : '—',
    routes: `${routes.length}${throttledRoutes.length ? ` (${throttledRoutes.join(', ')})` : ''}`,
    keys: api.apiKeyRequired ? 'required' : '—',
    plans: plans.join(', ') || '—',
    waf: waf ? (waf.rateLimit ? `rate ${waf.rateLimit.limit}` : 'no rate rule') : '—',
    function: `${l.memoryMb} MB ${l.architecture ?? 'x86_64'}${l.reservedConcurrency !== undefined ? ` reserved ${l.reservedConcurrency}` : ''}`,
    risk: usd(s.risk.perHour.throttled),
    unthrottled: usd(s.risk.perHour.unthrottled),
  };
}

export function formatAuditSummary(doc: AuditDocument, cwd = process.cwd()): string {
  const out: string[] = [];
  out.push(`dowsim audit — ${doc.sources.map((s) => `${relative(cwd, s.path) || s.path} (${s.format})`).join(', ')}`);
  out.push('');
  if (doc.stacks.length) {
    const rows = doc.stacks.map((s): Record<string, string> => ({ ...stackRow(s), attack: s.risk.scenario }));
    const scenarios = [...new Set(doc.stacks.map((s) => s.risk.scenario))];
    // APIs priced under different attacks (the flood of one route, or spread over them all) say which
    const cols = ['api', 'kind', 'stage', 'routes', 'keys', 'plans', 'waf', 'function', ...(scenarios.length > 1 ? (['attack'] as const) : []), 'risk', 'unthrottled'] as const;
    out.push(`APIs (risk: $/hour under ${scenarios.length > 1 ? 'the attack named' : scenarios[0]}, with their throttles; unthrottled: without them)`);
    out.push(...textTable(cols.map((c) => ({ header: c === 'risk' ? 'risk $/h' : c === 'unthrottled' ? 'unthrottled $/h' : c, align: c === 'risk' || c === 'unthrottled' ? 'right' : 'left' })), rows.map((r) => cols.map((c) => r[c]))));
  } else out.push('No API found (REST API, HTTP API or function URL).');
  const detected = detectionLines(doc);
  if (detected.length) out.push('', 'Detection (when each alarm and budget of the source fires under the attack, as configured)', ...detected);
  out.push('');
  const counts = SEVERITIES.map((s) => `${doc.findings.filter((f) => f.severity === s).length} ${s}`).join(', ');
  out.push(`Findings: ${counts}`);
  for (const cat of CATEGORIES) {
    const fs = doc.findings.filter((f) => f.category === cat);
    if (!fs.length) continue;
    out.push('', `  ${cat}`);
    for (const f of fs) out.push(`    ${f.severity.padEnd(7)} ${f.rule}  ${where(f.file, f.line, cwd)}  ${f.message}${priceNote(f)}`);
  }
  if (doc.assumptions.length) {
    out.push('', `Assumptions (${doc.assumptions.length}): values the source does not fix`);
    for (const a of doc.assumptions) out.push(`    ${where(a.file, a.line, cwd)}  ${a.resource}: ${a.message}`);
  }
  out.push('', `Prices: ${doc.prices.region}, ${doc.prices.source}, as of ${doc.prices.asOf}.`);
  return `${out.join('\n')}\n`;
}

/** One line per alarm/budget: when it fires and the bill by then, or "never fires" said plainly. */
export function detectionLines(doc: AuditDocument): string[] {
  return doc.stacks.flatMap((s) =>
    (s.risk.detection ?? []).map((d) =>
      d.firesAtSeconds === null
        ? `    ${s.name}: ${d.alarm} never fires within ${s.risk.horizonSeconds / 3600} h (${usd(d.costBeforeUsd)} billed, nobody told)`
        : `    ${s.name}: ${d.alarm} fires at ${d.firesAtSeconds} s, after ${usd(d.costBeforeUsd)}`,
    ),
  );
}

function priceNote(f: Finding): string {
  if (!f.atRisk) return '';
  return ` — at risk ${usd(f.atRisk.perHour)}/h${f.fix?.perHourAfterFix !== undefined ? `, ${usd(f.fix.perHourAfterFix)}/h after: ${f.fix.description}` : ''}`;
}

export function renderAuditMarkdown(doc: AuditDocument, cwd = process.cwd()): string {
  const md = (s: unknown) => escapeMarkdown(s);
  const out: string[] = ['# dowsim audit', '', `Sources: ${doc.sources.map((s) => `\`${relative(cwd, s.path) || s.path}\` (${s.format})`).join(', ')}`, ''];
  out.push('## APIs', '');
  if (doc.stacks.length) {
    out.push('| API | kind | stage | routes | API keys | usage plans | WAF | function | attack | risk $/h | unthrottled $/h |', '|---|---|---|---|---|---|---|---|---|--:|--:|');
    for (const s of doc.stacks) {
      const r = stackRow(s);
      out.push(`| ${[r.api, r.kind, r.stage, r.routes, r.keys, r.plans, r.waf, r.function, s.risk.scenario, r.risk, r.unthrottled].map(md).join(' | ')} |`);
    }
  } else out.push('No API found.');
  out.push('', '## Findings', '', `${SEVERITIES.map((s) => `${doc.findings.filter((f) => f.severity === s).length} ${s}`).join(', ')}`, '');
  if (doc.findings.length) {
    out.push('| severity | rule | category | where | finding | at risk $/h | after fix $/h | fix |', '|---|---|---|---|---|--:|--:|---|');
    for (const f of doc.findings) {
      out.push(`| ${[f.severity, f.rule, f.category, where(f.file, f.line, cwd), f.message, usd(f.atRisk?.perHour), usd(f.fix?.perHourAfterFix), f.fix?.description ?? ''].map(md).join(' | ')} |`);
    }
  }
  if (doc.assumptions.length) {
    out.push('', '## Assumptions', '');
    for (const a of doc.assumptions) out.push(`- ${md(where(a.file, a.line, cwd))} ${md(a.resource)}: ${md(a.message)}`);
  }
  out.push('', `Prices: ${doc.prices.region}, ${doc.prices.source}, as of ${doc.prices.asOf}. Generated ${doc.generatedAt}.`, '');
  return out.join('\n');
}

export function renderAuditCsv(doc: AuditDocument, cwd = process.cwd()): string {
  const head = ['severity', 'rule', 'category', 'file', 'line', 'resource', 'message', 'atRiskPerHour', 'scenario', 'perHourAfterFix', 'fix'];
  const rows = doc.findings.map((f) => [f.severity, f.rule, f.category, relative(cwd, f.file) || f.file, f.line, f.resource, f.message, f.atRisk?.perHour ?? '', f.atRisk?.scenario ?? '', f.fix?.perHourAfterFix ?? '', f.fix?.description ?? '']);
  return `${[head, ...rows].map((r) => r.map(csvField).join(',')).join('\n')}\n`;
}
