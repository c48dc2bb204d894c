/**
 * The audit as SARIF 2.1.0, for GitHub code scanning and other SARIF viewers: one run, every rule
 * with its help, every finding with its file and start line, and partialFingerprints that do not
 * depend on the line, so a finding keeps its identity when code above it moves.
 */
import { createHash } from 'node:crypto';
import { isAbsolute, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AuditDocument, Finding, Severity } from '../document.ts';
import { RULES } from '../rules/index.ts';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', note: 'note' };

/** A repository-relative URI when the file is under `cwd` (what code scanning matches), else a file: URI. */
export function artifactUri(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  if (!rel.startsWith('..') && !isAbsolute(rel)) return rel.split(sep).map(encodeURIComponent).join('/');
  return pathToFileURL(file).href;
}

function fingerprint(f: Finding, uri: string): string {
  return createHash('sha256').update([f.rule, uri, f.resource, f.message.replace(/\$[\d.,]+/g, '$')].join('\u0000')).digest('hex').slice(0, 32);
}

function money(n: number): string {
  return `$${n.toFixed(2)}`;
}

export function renderSarif(doc: AuditDocument, cwd = process.cwd(), version = '0.1.0'): string {
  const ruleIndex = new Map(RULES.map((r, i) => [r.id, i]));
  const results = doc.findings.map((f) => {
    const uri = artifactUri(f.file, cwd);
    const extra = [f.atRisk ? `At risk: ${money(f.atRisk.perHour)}/hour under ${f.atRisk.scenario}.` : '', f.fix ? `Fix: ${f.fix.description}${f.fix.perHourAfterFix !== undefined ? ` (${money(f.fix.perHourAfterFix)}/hour after the fix)` : ''}.` : ''].filter(Boolean);
    return {
      ruleId: f.rule,
      ruleIndex: ruleIndex.get(f.rule) ?? 0,
      level: LEVEL[f.severity],
      message: { text: [`${f.message}.`, ...extra].join(' ') },
      locations: [
        {
          physicalLocation: { artifactLocation: { uri }, region: { startLine: Math.max(1, f.line) } },
          logicalLocations: [{ name: f.resource, kind: 'resource' }],
        },
      ],
      partialFingerprints: { 'dowsimFinding/v1': fingerprint(f, uri) },
      properties: {
        category: f.category,
        ...(f.atRisk ? { atRiskPerHourUsd: f.atRisk.perHour, scenario: f.atRisk.scenario } : {}),
        ...(f.fix?.perHourAfterFix !== undefined ? { perHourAfterFixUsd: f.fix.perHourAfterFix } : {}),
      },
    };
  });
  const sarif = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'dowsim',
            fullName: 'dowsim audit (denial-of-wallet simulator)',
            version,
            semanticVersion: version,
            rules: RULES.map((r) => ({
              id: r.id,
              name: r.title.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : '')).replace(/^./, (c) => c.toUpperCase()),
              shortDescription: { text: `${r.title}.` },
              fullDescription: { text: r.help },
              help: { text: r.help, markdown: `**${r.title}** (${r.category})\n\n${r.help}` },
              defaultConfiguration: { level: LEVEL[r.severity] },
              properties: { category: r.category, tags: ['security', r.category] },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
