/** Writes the audit in each requested format as one set of files (all or none); returns the paths written. */
import { writeFileSet } from '../../io/write-file-set.ts';
import type { AuditDocument } from '../document.ts';
import { renderAuditHtml } from './html.ts';
import { renderSarif } from './sarif.ts';
import { renderAuditCsv, renderAuditJson, renderAuditMarkdown } from './text.ts';

export const AUDIT_FORMATS = ['json', 'md', 'html', 'sarif', 'csv'] as const;
export type AuditFormat = (typeof AUDIT_FORMATS)[number];

export function writeAuditReports(doc: AuditDocument, dir: string, formats: AuditFormat[], cwd = process.cwd()): string[] {
  // render everything first: a rendering bug must not leave some files written and others not
  const files: [string, string][] = AUDIT_FORMATS.filter((f) => formats.includes(f)).map((f) => {
    switch (f) {
      case 'json':
        return ['audit.json', renderAuditJson(doc)];
      case 'md':
        return ['audit.md', renderAuditMarkdown(doc, cwd)];
      case 'html':
        return ['audit.html', renderAuditHtml(doc, cwd)];
      case 'sarif':
        return ['audit.sarif', renderSarif(doc, cwd)];
      case 'csv':
        return ['audit.csv', renderAuditCsv(doc, cwd)];
    }
  });
  // one set: a kill or a full disk leaves all of them or none (write-file-set.ts)
  return writeFileSet(dir, files);
}
