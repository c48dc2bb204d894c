/** The audit as one self-contained HTML page: APIs with their risk chart (inline SVG), findings, assumptions. */
import { relative } from 'node:path';
import { escapeHtml as h } from '../../report/escape.ts';
import type { AuditDocument } from '../document.ts';
import { SEVERITIES } from '../document.ts';
import { stackRow } from './text.ts';

const usd = (n: number | undefined) => (n === undefined ? '—' : `$${n.toFixed(2)}`);

/** Horizontal bars: $/hour under attack with the API's throttles and without them. */
export function riskChart(doc: AuditDocument): string {
  if (!doc.stacks.length) return '';
  const max = Math.max(1e-9, ...doc.stacks.flatMap((s) => [s.risk.perHour.throttled, s.risk.perHour.unthrottled]));
  const rowH = 34;
  const left = 220;
  const width = 760;
  const barW = width - left - 90;
  const height = doc.stacks.length * rowH + 30;
  const bars = doc.stacks
    .map((s, i) => {
      const y = 20 + i * rowH;
      const t = (s.risk.perHour.throttled / max) * barW;
      const u = (s.risk.perHour.unthrottled / max) * barW;
      return (
        `<text x="${left - 8}" y="${y + 14}" text-anchor="end">${h(s.name.slice(0, 32))}</text>` +
        `<rect x="${left}" y="${y}" width="${u.toFixed(1)}" height="12" fill="#f4b6b6"><title>without throttles ${usd(s.risk.perHour.unthrottled)}/h</title></rect>` +
        `<rect x="${left}" y="${y + 13}" width="${t.toFixed(1)}" height="12" fill="#c0392b"><title>as configured ${usd(s.risk.perHour.throttled)}/h</title></rect>` +
        `<text x="${left + Math.max(t, u) + 6}" y="${y + 20}">${usd(s.risk.perHour.throttled)}/h</text>`
      );
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12" role="img" aria-label="$/hour under attack per API">${bars}<text x="${left}" y="12" fill="#555">dark: as configured · light: without API Gateway throttles</text></svg>`;
}

export function renderAuditHtml(doc: AuditDocument, cwd = process.cwd()): string {
  const where = (file: string, line: number) => `${relative(cwd, file) || file}:${line}`;
  const apiRows = doc.stacks
    .map((s) => {
      const r = stackRow(s);
      return `<tr>${[r.api, r.kind, r.stage, r.routes, r.keys, r.plans, r.waf, r.function, s.risk.scenario].map((c) => `<td>${h(c)}</td>`).join('')}<td class="n">${h(r.risk)}</td><td class="n">${h(r.unthrottled)}</td></tr>`;
    })
    .join('\n');
  const findingRows = doc.findings
    .map(
      (f) =>
        `<tr class="${f.severity}"><td>${h(f.severity)}</td><td>${h(f.rule)}</td><td>${h(f.category)}</td><td><code>${h(where(f.file, f.line))}</code></td><td>${h(f.message)}</td>` +
        `<td class="n">${h(usd(f.atRisk?.perHour))}</td><td class="n">${h(usd(f.fix?.perHourAfterFix))}</td><td>${h(f.fix?.description ?? '')}</td></tr>`,
    )
    .join('\n');
  const assumptions = doc.assumptions.map((a) => `<li><code>${h(where(a.file, a.line))}</code> ${h(a.resource)}: ${h(a.message)}</li>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>dowsim audit</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}td.n{text-align:right;white-space:nowrap}tr.error td:first-child{color:#b00;font-weight:bold}tr.warning td:first-child{color:#b60}code{font-size:90%}</style>
</head><body>
<h1>dowsim audit</h1>
<p>Sources: ${doc.sources.map((s) => `<code>${h(relative(cwd, s.path) || s.path)}</code> (${h(s.format)})`).join(', ')}</p>
<h2>APIs and their risk under attack</h2>
${riskChart(doc)}
<table><thead><tr><th>API</th><th>kind</th><th>stage</th><th>routes</th><th>API keys</th><th>usage plans</th><th>WAF</th><th>function</th><th>attack</th><th>risk $/h</th><th>unthrottled $/h</th></tr></thead><tbody>
${apiRows}
</tbody></table>
<h2>Findings</h2>
<p>${SEVERITIES.map((s) => `${doc.findings.filter((f) => f.severity === s).length} ${s}`).join(', ')}</p>
<table><thead><tr><th>severity</th><th>rule</th><th>category</th><th>where</th><th>finding</th><th>at risk $/h</th><th>after fix $/h</th><th>fix</th></tr></thead><tbody>
${findingRows}
</tbody></table>
${assumptions ? `<h2>Assumptions</h2><ul>${assumptions}</ul>` : ''}
<p>Prices: ${h(doc.prices.region)}, ${h(doc.prices.source)}, as of ${h(doc.prices.asOf)}. Generated ${h(doc.generatedAt)}.</p>
</body></html>
`;
}
