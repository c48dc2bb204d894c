import { type Command } from 'commander';
import { InputError, RuntimeError } from '../model/errors.ts';
import type { ResultDocument } from '../model/result.ts';
import { parseGate, type Gate } from '../gates/parse-gate.ts';
import { evaluateGates } from '../report/gates.ts';
import { renderJson } from '../report/json.ts';
import { outDirOption } from '../report/out-dir.ts';
import { formatSummary } from '../report/terminal.ts';
import { REPORT_FORMATS, defaultOutDir, writeReports, type ReportFormat } from '../report/write-reports.ts';
import { formatList } from './format-list.ts';
import { EXIT_GATE, EXIT_OK } from './exit-codes.ts';

/** The flags addOutputOptions adds, as commander hands them to an action. */
export interface OutputOptions {
  out?: string;
  format?: string[];
  json?: boolean;
  failIf?: string[];
}

export interface ParsedOutputOptions {
  /** Where to write reports; undefined when none are to be written. */
  outDir?: string;
  formats: ReportFormat[];
  json: boolean;
  gates: Gate[];
}

/** Adds --out, --format, --json and --fail-if to a result-producing command (checked while parsing, before any work). */
export function addOutputOptions(cmd: Command): Command {
  return cmd
    .option('--out <dir>', 'write reports into <dir> (default formats: json,md; default dir with --format alone: reports/<scenario>-<time>/)', outDirOption)
    .option('--format <list>', `report formats to write: ${REPORT_FORMATS.join('|')} (repeatable or comma-separated)`, collectFormats)
    .option('--json', 'print only the result document (JSON) on stdout')
    .option(
      '--fail-if <gate>',
      'exit 3 (after writing reports) if any stack trips "<metric><op><number>"; metrics: cost.perHour, cost.total, savings, damage, collateral, totals.<outcome>, detection.<alarm>.costBefore, detection.firstSeconds, latency.p99 (ms; also p50, p90, max, mean, and latency.legit.p99); ops: > >= < <= == != (repeatable)',
      collectGates,
    );
}

function collectFormats(value: string, previous: ReportFormat[] = []): ReportFormat[] {
  return formatList(value, REPORT_FORMATS, previous);
}

function collectGates(value: string, previous: string[] = []): string[] {
  parseGate(value); // a bad gate is reported before a long run, not after it
  return [...previous, value];
}

/** What the output flags ask for: which reports go where, JSON-only stdout, and the gates. */
export function parseOutputOptions(opts: OutputOptions): ParsedOutputOptions {
  // --format values were checked and normalised as they were parsed (collectFormats)
  let formats = (opts.format ?? []).reduce<ReportFormat[]>((all, v) => formatList(v, REPORT_FORMATS, all), []);
  if (opts.out !== undefined && formats.length === 0) formats = ['json', 'md'];
  if (opts.out !== undefined && opts.out.trim() === '') throw new InputError([{ path: '--out', message: 'expected a directory' }]);
  return {
    outDir: formats.length > 0 ? (opts.out ?? '') : undefined,
    formats,
    json: opts.json === true,
    gates: (opts.failIf ?? []).map(parseGate),
  };
}

export interface EmitIo {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown };
  env?: Record<string, string | undefined>;
}

/**
 * Shows a result as the flags ask — the terminal summary, or only the JSON document with --json —
 * writes the requested reports (paths on stderr), then checks the --fail-if gates.
 * Returns the exit code: 0, or 3 when a gate tripped.
 */
export async function emitResult(doc: ResultDocument, opts: OutputOptions, io: EmitIo = process): Promise<number> {
  const parsed = parseOutputOptions(opts);
  // a latency gate on a result that measures none could never hold: a usage error (exit 1), not a
  // tripped gate (exit 3), refused before anything is printed or written
  if (doc.source === 'simulated' || doc.source === 'cloudwatch') {
    const never = parsed.gates.filter((g) => g.metric.startsWith('latency'));
    if (never.length) throw new InputError(never.map((g) => ({ path: '--fail-if', message: `"${g.text}": latency is measured only by \`run\` and \`import-k6\`; a ${doc.source === 'simulated' ? 'simulation' : 'CloudWatch collection'} has none to check` })));
  }
  // a gate naming an alarm no stack has is a usage error: refused before anything is printed or written
  const trips = evaluateGates(doc, parsed.gates);
  const env = io.env ?? process.env;
  if (parsed.json) io.stdout.write(renderJson(doc));
  else io.stdout.write(formatSummary(doc, { color: io.stdout.isTTY === true && !env.NO_COLOR && env.TERM !== 'dumb' }));

  if (parsed.outDir !== undefined) {
    const outDir = parsed.outDir === '' ? defaultOutDir(doc) : parsed.outDir;
    let paths: string[];
    try {
      paths = writeReports(doc, { outDir, formats: parsed.formats });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException)?.code;
      const why = `${(err as Error)?.message ?? String(err)}`;
      if (opts.out !== undefined && code && ['EACCES', 'EPERM', 'ENOTDIR', 'EEXIST', 'EROFS', 'EISDIR'].includes(code)) {
        throw new InputError([{ path: '--out', message: `cannot write reports into "${outDir}": ${why}` }]);
      }
      throw new RuntimeError(`could not write reports into "${outDir}": ${why}`, { cause: err });
    }
    for (const p of paths) io.stderr.write(`wrote ${p}\n`);
  }

  for (const t of trips) io.stderr.write(`gate tripped: --fail-if "${t.gate.text}": ${t.message}\n`);
  return trips.length > 0 ? EXIT_GATE : EXIT_OK;
}
