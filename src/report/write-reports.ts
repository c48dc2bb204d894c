import { basename, join } from 'node:path';
import type { ResultDocument } from '../model/result.ts';
import { renderCharts, type Chart } from './charts.ts';
import { renderCsv } from './csv.ts';
import { renderDetectionCsv } from './detection-csv.ts';
import { slug } from './format.ts';
import { renderHtml } from './html.ts';
import { renderJson } from './json.ts';
import { renderMarkdown } from './markdown.ts';
import { beginFileSet } from '../io/write-file-set.ts';

export const REPORT_FORMATS = ['json', 'md', 'html', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface WriteReportsOptions {
  /** Default: reports/<scenario>-<timestamp>/ under the working directory. */
  outDir?: string;
  formats: ReportFormat[];
  /** File name without extension; default: the scenario's name as a slug. */
  baseName?: string;
}

/**
 * Writes the document in each format (Markdown with its charts as SVG files beside it) as one set:
 * a kill while writing leaves all of the files or none (write-file-set.ts). Returns the paths written.
 */
export function writeReports(doc: ResultDocument, opts: WriteReportsOptions): string[] {
  const dir = opts.outDir ?? defaultOutDir(doc);
  // a base name is a file name, never a path: user text cannot steer a write elsewhere
  const base = slug(basename(opts.baseName ?? doc.scenario), 'report');
  const formats = REPORT_FORMATS.filter((f) => opts.formats.includes(f));
  const set = beginFileSet(dir);
  try {
    writeFormats(doc, formats, base, (name, data) => set.write(name, data));
  } catch (err) {
    set.abort();
    throw err;
  }
  return set.commit();
}

function writeFormats(doc: ResultDocument, formats: ReportFormat[], base: string, write: (name: string, data: string) => void): void {
  let charts: Chart[] | undefined;
  const chartsOnce = () => (charts ??= renderCharts(doc));
  for (const f of formats) {
    switch (f) {
      case 'json':
        write(`${base}.json`, renderJson(doc));
        break;
      case 'csv': {
        write(`${base}.csv`, renderCsv(doc));
        const detection = renderDetectionCsv(doc);
        if (detection) write(`${base}-detection.csv`, detection);
        break;
      }
      case 'html':
        write(`${base}.html`, renderHtml(doc, { charts: chartsOnce() }));
        break;
      case 'md': {
        const chartFiles: Record<string, string> = {};
        for (const c of chartsOnce()) {
          const file = `${base}-${c.id}.svg`;
          write(file, `<?xml version="1.0" encoding="UTF-8"?>\n${c.svg}\n`);
          chartFiles[c.id] = file;
        }
        write(`${base}.md`, renderMarkdown(doc, { chartFiles }));
        break;
      }
    }
  }
}

/** reports/<scenario>-<UTC timestamp of the document>/ */
export function defaultOutDir(doc: ResultDocument): string {
  const t = Date.parse(doc.generatedAt);
  const d = new Date(Number.isFinite(t) ? t : Date.now());
  const stamp = d.toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '').replace('T', '-');
  return join('reports', `${slug(doc.scenario, 'scenario')}-${stamp}`);
}
