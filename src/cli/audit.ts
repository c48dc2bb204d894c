import type { Command } from 'commander';
import { audit } from '../audit/audit.ts';
import { evaluateAuditGates, parseAuditGate, AUDIT_METRICS } from '../audit/gates.ts';
import type { AuditModel } from '../audit/model.ts';
import { prefetchSources, readSource } from '../audit/read/source.ts';
import { formatAuditSummary, renderAuditJson } from '../audit/render/text.ts';
import { AUDIT_FORMATS, writeAuditReports, type AuditFormat } from '../audit/render/write-audit.ts';
import { InputError, RuntimeError, type Problem } from '../model/errors.ts';
import { loadPriceBookWithWarnings } from '../pricing/loader.ts';
import { checkOutDir, outDirOption } from '../report/out-dir.ts';
import { loadScenario } from '../scenario/load.ts';
import type { Scenario } from '../scenario/types.ts';
import { formatList } from './format-list.ts';
import { EXIT_GATE } from './exit-codes.ts';

interface AuditFlags {
  scenario?: string[];
  format?: string[];
  out?: string;
  json?: boolean;
  failIf?: string[];
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

function parseFormats(values: string[]): AuditFormat[] {
  return values.reduce<AuditFormat[]>((all, v) => formatList(v, AUDIT_FORMATS, all), []);
}

/** Reads every source, reporting the problems of all of them at once. */
function readSources(paths: string[]): AuditModel[] {
  const models: AuditModel[] = [];
  const problems: Problem[] = [];
  prefetchSources(paths);
  for (const p of paths) {
    try {
      models.push(readSource(p));
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      problems.push(...e.problems.map((x) => ({ path: [e.file ?? p, x.path].filter(Boolean).join(': '), message: x.message })));
    }
  }
  if (problems.length) throw new InputError(problems);
  return models;
}

/** Where reports go without --out: reports/audit-<time>/. */
const DEFAULT_AUDIT_DIR = 'reports';

export async function runAudit(sources: string[], flags: AuditFlags): Promise<void> {
  const formats = parseFormats(flags.format ?? []);
  const gates = (flags.failIf ?? []).map(parseAuditGate);
  if (flags.out !== undefined && formats.length === 0) formats.push('json', 'md');
  // the default folder is checked before the work too (--out was, as it was parsed)
  if (formats.length && flags.out === undefined) checkOutDir(DEFAULT_AUDIT_DIR);
  const models = readSources(sources);
  const scenarios: Scenario[] = (flags.scenario ?? []).map((s) => loadScenario(s));
  const priceWarnings = new Set<string>();
  const doc = audit(models, {
    scenarios,
    bookFor: (region) => {
      const { book, warnings } = loadPriceBookWithWarnings(region);
      warnings.forEach((w) => priceWarnings.add(w));
      return book;
    },
  });
  for (const w of priceWarnings) process.stderr.write(`warning: ${w}\n`);
  process.stdout.write(flags.json ? renderAuditJson(doc) : formatAuditSummary(doc));
  if (formats.length) {
    const dir = flags.out ?? `${DEFAULT_AUDIT_DIR}/audit-${doc.generatedAt.replace(/[:.]/g, '-')}`;
    let paths: string[];
    try {
      paths = writeAuditReports(doc, dir, formats);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code && ['EACCES', 'EPERM', 'ENOTDIR', 'EEXIST', 'EROFS', 'EISDIR'].includes(code)) throw new InputError([{ path: '--out', message: `cannot write reports into "${dir}": ${(e as Error).message}` }]);
      throw new RuntimeError(`could not write reports into "${dir}": ${(e as Error).message}`, { cause: e });
    }
    for (const p of paths) process.stderr.write(`wrote ${p}\n`);
  }
  const trips = evaluateAuditGates(doc, gates);
  for (const t of trips) process.stderr.write(`gate tripped: ${t}\n`);
  if (trips.length) process.exitCode = EXIT_GATE;
}

export function registerAuditCommand(program: Command): void {
  program
    .command('audit')
    .summary('read infrastructure as code, find serverless mistakes, price the DoS risk')
    .description(
      'Reads CloudFormation/SAM templates (YAML with short-form intrinsics, or JSON), a CDK cdk.out folder, Terraform (.tf folders, or `terraform show -json` plans) and Serverless Framework serverless.yml; ' +
        'turns every API it finds (REST API, HTTP API, function URL) into a stack and prices it under an attack (by default a 1-hour flood at the Region\'s account limit) with and without its throttles; ' +
        'and reports findings in five categories: dos, auth, deployment, permissions, monitoring. Exits 0 whatever it finds, unless a --fail-if gate trips (exit 3).',
    )
    .argument('<source...>', 'template file, cdk.out folder, Terraform folder/file or serverless.yml (several allowed)')
    .option('--scenario <name|file>', 'price under this scenario instead of the standard flood (repeatable; the worst counts)', collect)
    .option('--format <list>', `report formats to write: ${AUDIT_FORMATS.join(',')} (comma-separated or repeatable)`, collect)
    .option('--out <dir>', 'write reports into <dir> (default formats: json,md)', outDirOption)
    .option('--json', 'print only the audit document (dowsim.audit/1) on stdout')
    .option('--fail-if <gate>', `exit 3 if "<metric><op><number>" holds; metrics: ${AUDIT_METRICS.join(', ')} (repeatable)`, (v: string, prev: string[] = []) => {
      parseAuditGate(v);
      return [...prev, v];
    })
    .addHelpText('after', '\nExamples:\n  dowsim audit template.yaml\n  dowsim audit infra/ --format sarif,html --out reports/ --fail-if "risk.perHour>5" --fail-if "findings.error>0"\n  dowsim simulate botnet-flood --stack template.yaml#OrdersApi\n')
    .action(async (sources: string[], flags: AuditFlags) => runAudit(sources, flags));
}
