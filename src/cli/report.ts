import { readFileSync } from 'node:fs';
import { basename, dirname, extname } from 'node:path';
import type { Command } from 'commander';
import { InputError, RuntimeError } from '../model/errors.ts';
import type { ResultDocument } from '../model/result.ts';
import { parseGate } from '../gates/parse-gate.ts';
import { evaluateGates } from '../report/gates.ts';
import { assertResultDocument } from '../report/validate-result.ts';
import { REPORT_FORMATS, writeReports, type ReportFormat } from '../report/write-reports.ts';
import { formatList } from './format-list.ts';
import { EXIT_GATE } from './exit-codes.ts';
import { outDirOption } from '../report/out-dir.ts';

interface ReportFlags {
  format?: string[];
  out?: string;
  failIf?: string[];
}

/** Reads a saved result document, or an InputError that says why it is not one. */
export function readResultDocument(file: string): ResultDocument {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError([{ path: '<result.json>', message: `no such file: ${file}` }]);
    if (code === 'EISDIR') throw new InputError([{ path: '<result.json>', message: `${file} is a directory; give the .json file a command wrote` }]);
    throw new RuntimeError(`cannot read ${file}: ${(err as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new InputError([{ path: '', message: `not JSON (${(err as Error).message}); give the .json result a dowsim command wrote` }], file);
  }
  return assertResultDocument(value, file);
}

function collectFormats(value: string, previous: ReportFormat[] = []): ReportFormat[] {
  return formatList(value, REPORT_FORMATS, previous);
}

function collectGates(value: string, previous: string[] = []): string[] {
  parseGate(value);
  return [...previous, value];
}

export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .summary('re-render a saved result document as HTML, Markdown or CSV')
    .description(
      'Reads a result document (dowsim.result/1, the .json that --out or --json produced) and renders ' +
        'it again: HTML (one self-contained page with inline SVG charts), Markdown for a pull-request ' +
        'comment (charts as SVG files beside it), CSV of the timeline, or JSON. Files are named after ' +
        'the input and written beside it unless --out names a directory; the written paths are printed.',
    )
    .argument('<result.json>', 'a result document written by simulate, compare, run, collect or import-k6')
    .option('--format <list>', `formats to write: ${REPORT_FORMATS.join('|')} (repeatable or comma-separated; default html)`, collectFormats)
    .option('--out <dir>', 'directory to write into (default: the input file\'s directory)', outDirOption)
    .option('--fail-if <gate>', 'exit 3 if any stack trips "<metric><op><number>", e.g. "cost.perHour>50" (repeatable)', collectGates)
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  dowsim report reports/botnet-flood-20260101-120000Z/botnet-flood.json --format html\n' +
        '  dowsim report result.json --format md,csv --out pr-comment/\n' +
        'Exit codes: 0 ok, 1 not a result document or bad flags, 2 could not write, 3 a --fail-if gate tripped.\n',
    )
    .action((file: string, flags: ReportFlags) => {
      const doc = readResultDocument(file);
      const formats = (flags.format?.length ? flags.format : ['html']) as ReportFormat[];
      const outDir = flags.out ?? dirname(file);
      const base = basename(file, extname(file));
      let paths: string[];
      try {
        paths = writeReports(doc, { outDir, formats, baseName: base });
      } catch (err) {
        throw new RuntimeError(`could not write reports into "${outDir}": ${(err as Error).message}`, { cause: err });
      }
      for (const p of paths) process.stdout.write(`${p}\n`);
      const trips = evaluateGates(doc, (flags.failIf ?? []).map(parseGate));
      for (const t of trips) process.stderr.write(`gate tripped: --fail-if "${t.gate.text}": ${t.message}\n`);
      if (trips.length > 0) process.exitCode = EXIT_GATE;
    });
}
