import type { Command } from 'commander';
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, RuntimeError, type Problem } from '../model/errors.ts';
import { loadPriceBookWithWarnings } from '../pricing/loader.ts';
import { writeFileSet } from '../io/write-file-set.ts';
import { outDirOption } from '../report/out-dir.ts';
import { formatMoney, slug } from '../report/format.ts';
import { loadScenario } from '../scenario/load.ts';
import type { Scenario } from '../scenario/types.ts';
import { checkScenarioAgainstStack } from '../stack/compat.ts';
import { loadStackSource } from './stack-input.ts';
import type { IacTargets } from '../audit/targets.ts';
import type { Stack } from '../stack/types.ts';
import { parseSlo } from '../tune/slo.ts';
import { tune } from '../tune/tune.ts';
import type { TuneDocument } from '../tune/document.ts';
import { formatChange, formatSuccess } from '../tune/format.ts';
import { renderTuneHtml } from '../tune/html.ts';
import { stackFileYaml } from '../tune/stack-file.ts';
import { formatTuneSummary } from '../tune/terminal.ts';
import { EXIT_GATE } from './exit-codes.ts';
import { collectStacks } from './simulation-input.ts';

interface TuneFlags {
  stack?: string[];
  slo?: string[];
  json?: boolean;
  out?: string;
  maxCandidates?: string;
  costTolerance?: string;
  exhaustive?: boolean;
}

export function registerTuneCommand(program: Command): void {
  program
    .command('tune')
    .summary('search the cheapest throttle settings that keep legit users within the SLO')
    .description(
      'Searches stage and route throttles, usage-plan throttles and quotas (plans whose keys attackers hold), a WAF rate-based rule (added and priced if the stack has none, or removed) and reserved concurrency for the configuration whose worst-case $/hour across <scenario>s is lowest while every legit cohort meets --slo in every scenario. Prints the best configuration and its changes, the Pareto front of cost vs legit success, and the change as CloudFormation/SAM and Terraform (what to delete as "# delete:" lines), written onto your own resources by logical id or address when --stack names your template or Terraform configuration (template.yaml#OrdersApi). Each scenario is judged over the span simulate repeats: its own length, or until a diurnal curve longer than it comes round (lcm of the two, e.g. 24 h for a 1 h scenario on a 24 h curve; at most 7 days, marked capped); $/hour and success are over that span. Candidates whose outcome a simulated one implies, or whose cost floor is above one that meets the SLO, are settled without simulating them. Exits 3 when no configuration meets the SLO (naming the closest).',
    )
    .argument('<scenario...>', 'scenario files or built-in names (the worst case across them counts)')
    .requiredOption('--stack <file>', 'the stack file or built-in name to tune', collectStacks)
    .option('--slo <expr>', 'success SLO, "legit.success>=0.999" (default) or per cohort "users.success>=99%" (repeatable or comma-separated)', collectStacks)
    .option('--max-candidates <n>', 'stop after simulating this many distinct configurations (implied or pruned ones do not count); with --exhaustive, refuse a walk of more', '3000')
    .option('--exhaustive', 'simulate every combination of the settings\' values (bounded by --max-candidates) instead of searching, none settled unsimulated: to check the search, or to see the whole front')
    .option('--cost-tolerance <share>', 'costs within this share of the cheapest count as equal; the kindest to legit users among them wins ("1%", "0.5%", "0")', '1%')
    .option('--json', 'print only the dowsim.tune/1 document on stdout')
    .option('--out <dir>', 'write the recommended stack file, the HTML report, the JSON document and the patches into <dir>', outDirOption)
    .addHelpText('after', '\nExample:\n  dowsim tune botnet-flood leech --stack rest-unprotected --slo "legit.success>=0.999" --out reports/tune\n')
    .action(async (scenarioArgs: string[], flags: TuneFlags) => runTune(scenarioArgs, flags));
}

async function runTune(scenarioArgs: string[], flags: TuneFlags): Promise<void> {
  const stackArgs = flags.stack ?? [];
  if (stackArgs.length !== 1) throw new InputError([{ path: '--stack', message: `give exactly one stack to tune, got ${stackArgs.length}` }]);
  const max = Number(flags.maxCandidates);
  if (!Number.isInteger(max) || max < 1) throw new InputError([{ path: '--max-candidates', message: `expected a whole number ≥ 1, got "${flags.maxCandidates}"` }]);
  const tolerance = parseShare(flags.costTolerance ?? '1%');
  if (tolerance === undefined) throw new InputError([{ path: '--cost-tolerance', message: `expected a share like "1%" or "0.01" (0 to 100%), got "${flags.costTolerance}"` }]);
  if (flags.out !== undefined && flags.out.trim() === '') throw new InputError([{ path: '--out', message: 'expected a directory' }]);
  const { scenarios, stack, targets } = loadInputs(scenarioArgs, stackArgs[0]);
  const slo = parseSlo(flags.slo ?? [], scenarios);
  let warned = 0;
  for (const s of scenarios) {
    for (const w of checkScenarioAgainstStack(s, stack)) {
      process.stderr.write(`warning: ${s.name}: ${w}\n`);
      warned++;
    }
  }
  const { book, warnings } = loadPriceBookWithWarnings(stack.region);
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);

  // a long search says how far it got (stderr; nothing when it takes under 5 s, or with --json)
  const onProgress = flags.json
    ? undefined
    : (p: { simulated: number; seconds: number; of?: number }) =>
        process.stderr.write(`tune: ${p.simulated.toLocaleString('en-US')}${p.of ? ` of ${p.of.toLocaleString('en-US')}` : ''} configuration${p.simulated === 1 && !p.of ? '' : 's'} simulated in ${Math.round(p.seconds)} s…\n`);
  const exhaustive = flags.exhaustive ?? false;
  const { doc, recommended } = tune(stack, scenarios, { slo, book, maxEvaluations: max, costTolerance: tolerance, exhaustive, clock: () => performance.now(), onProgress, ...(targets ? { targets } : {}) });
  process.stdout.write(flags.json ? `${JSON.stringify(doc, null, 2)}\n` : formatTuneSummary(doc));
  if (flags.out !== undefined) writeOutputs(flags.out, doc, recommended);
  if (!doc.best) {
    const c = doc.closest!;
    const worst = c.perScenario.reduce((a, b) => (b.legitSuccess < a.legitSuccess ? b : a));
    process.stderr.write(
      `dowsim: no configuration meets the SLO (${doc.slo.join(', ')}) in every scenario; the closest costs ${formatMoney(c.perHour)}/hour with legit success ${formatSuccess(worst.legitSuccess)} in ${worst.scenario}` +
        (c.changes.length ? ` (${c.changes.map(formatChange).join('; ')})` : ' (the stack as given)') +
        // users the API turns away before any throttle (a route or key the stack lacks: the warnings say which)
        (worst.legitSuccess === 0 && warned ? '; not one legit request succeeds there: see the warnings above' : '') +
        '\n',
    );
    process.exitCode = EXIT_GATE;
  }
}

/** Loads every scenario and the stack, reporting the problems of all files at once. */
function loadInputs(scenarioArgs: string[], stackArg: string): { scenarios: Scenario[]; stack: Stack; targets?: IacTargets } {
  const errors: InputError[] = [];
  const attempt = <T>(f: () => T): T | undefined => {
    try {
      return f();
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      errors.push(e);
      return undefined;
    }
  };
  const scenarios = scenarioArgs.map((a) => attempt(() => loadScenario(a)));
  const source = attempt(() => loadStackSource(stackArg));
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) {
    const problems: Problem[] = errors.flatMap((e) => e.problems.map((p) => ({ path: `${e.file ?? ''}${e.file && p.path ? ': ' : ''}${p.path}`, message: p.message })));
    throw new InputError(problems);
  }
  const names = scenarios.map((s) => s!.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new InputError([{ path: '<scenario>', message: `scenario "${dup}" is given twice` }]);
  return { scenarios: scenarios as Scenario[], stack: source!.stack, ...(source!.targets ? { targets: source!.targets } : {}) };
}

/** --out: the report, the document, the patches and (when one meets the SLO) the recommended stack file. */
function writeOutputs(dir: string, doc: TuneDocument, recommended: Stack): void {
  const files: [string, string][] = [
    ['tune.json', `${JSON.stringify(doc, null, 2)}\n`],
    ['tune.html', renderTuneHtml(doc)],
  ];
  if (doc.best && doc.patches) {
    files.push([`${slug(recommended.name, 'stack')}.yaml`, stackFileYaml(recommended, [`Recommended by dowsim tune for ${doc.scenarios.join(', ')} (SLO ${doc.slo.join(', ')})`, `from ${doc.stack.file ?? doc.stack.name}`])]);
    if (doc.patches.serverless !== undefined) files.push(['patch-serverless.yml', doc.patches.serverless]);
    files.push(['patch-cloudformation.yaml', doc.patches.cloudformation], ['patch.tf', doc.patches.terraform]);
  }
  // one set: a kill or a full disk leaves all of them or none (write-file-set.ts)
  let paths: string[];
  try {
    paths = writeFileSet(dir, files);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException)?.code;
    const why = (err as Error)?.message ?? String(err);
    if (code && ['EACCES', 'EPERM', 'ENOTDIR', 'EEXIST', 'EROFS', 'EISDIR'].includes(code)) throw new InputError([{ path: '--out', message: `cannot write into "${dir}": ${why}` }]);
    throw new RuntimeError(`could not write into "${dir}": ${why}`, { cause: err });
  }
  for (const path of paths) process.stderr.write(`wrote ${path}\n`);
  // the patches and stack file an earlier tune wrote here would sit beside a report that
  // recommends none of them (a CI job picking patch.tf up would apply an answer this run gave up)
  if (!(doc.best && doc.patches)) {
    const stale = [`${slug(recommended.name, 'stack')}.yaml`, 'patch-serverless.yml', 'patch-cloudformation.yaml', 'patch.tf'].map((n) => join(dir, n)).filter((p) => existsSync(p) && statSync(p).isFile());
    for (const p of stale) {
      rmSync(p);
      process.stderr.write(`removed ${p}: an earlier recommendation, which this run does not make\n`);
    }
  }
}

/** "1%" → 0.01, "0.01" → 0.01; undefined outside 0..1. */
function parseShare(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(text);
  if (!m) return undefined;
  const v = m[2] ? Number(m[1]) / 100 : Number(m[1]);
  return v >= 0 && v <= 1 ? v : undefined;
}
