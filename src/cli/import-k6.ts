import type { Command } from 'commander';
import { InputError } from '../model/errors.ts';
import { importK6Output, importK6Summary, k6Result } from '../k6/import.ts';
import { loadPriceBookWithWarnings } from '../pricing/loader.ts';
import { loadScenario } from '../scenario/load.ts';
import type { Scenario } from '../scenario/types.ts';
import { loadStackInput } from './stack-input.ts';
import { addOutputOptions, emitResult, type OutputOptions } from './options.ts';
import { parseHorizon } from './simulation-input.ts';

interface ImportK6Flags extends OutputOptions {
  stack: string;
  summary?: string;
  scenario?: string;
  horizon?: string;
}

export async function runImportK6(outputs: string[], flags: ImportK6Flags): Promise<void> {
  const output = outputs.length > 0 ? outputs : undefined;
  if (output === undefined && flags.summary === undefined) {
    throw new InputError([{ path: '<k6-output>', message: 'give the file of `k6 run --out json=<file>`, or a --summary-export file with --summary' }]);
  }
  if (output !== undefined && flags.summary !== undefined) {
    throw new InputError([{ path: '--summary', message: 'give either the --out json file or --summary, not both (the json output already holds every request)' }]);
  }
  const horizonSeconds = flags.horizon === undefined ? undefined : parseHorizon(flags.horizon);
  const stack = loadStackInput(flags.stack);
  const scenario: Scenario | undefined = flags.scenario === undefined ? undefined : loadScenario(flags.scenario);
  const file = output ? output.join(', ') : flags.summary!;
  const imported = output !== undefined ? await importK6Output(output, stack, scenario) : importK6Summary(file, stack, scenario);
  const { book, warnings } = loadPriceBookWithWarnings(stack.region);
  // a --scenario naming none of the run's cohorts gives them nothing: their roles and sizes are guesses
  const ran = imported.timeline.cohorts.map((c) => c.name);
  if (scenario && !ran.some((n) => scenario.cohorts.some((c) => c.name === n))) {
    warnings.push(`none of the run's cohorts (${ran.join(', ')}) is in --scenario ${scenario.name} (cohorts: ${scenario.cohorts.map((c) => c.name).join(', ')}): their roles and request sizes are not the scenario's`);
  }
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
  const doc = k6Result({ imported, stack, book, file, scenario, horizonSeconds });
  const code = await emitResult(doc, flags);
  if (code !== 0) process.exitCode = code;
}

export function registerImportK6Command(program: Command): void {
  const cmd = program
    .command('import-k6')
    .summary("turn a k6 run's results into a priced timeline")
    .description(
      'Reads the output of `k6 run --out json=<file>` (plain or gzipped, streamed: any\n' +
        "size) and counts k6's per-request points per second and per `cohort` tag\n" +
        '(untagged: cohort "k6"). Each response becomes an outcome from its status code\n' +
        'and, for scripts made by `dowsim k6`, the message the script recorded (429\n' +
        '"Limit Exceeded" is a spent quota). offered = http_reqs. The timeline (source\n' +
        '"k6") is priced on --stack like any other run.\n' +
        '--summary reads a `k6 run --summary-export=<file>` file instead: totals only.\n' +
        'k6 sees the client side: Lambda duration is estimated from the stack;\n' +
        "`dowsim collect` reads the server's own figures, all k6 runners together.",
    )
    .argument('[k6-output...]', 'the file k6 wrote with --out json=<file>; several: one per runner of one distributed run, added up')
    .requiredOption('--stack <file>', 'stack file or built-in name the run went against')
    .option('--summary <file>', 'a --summary-export file (totals only) instead of the json output')
    .option('--scenario <file>', 'the scenario the script came from: cohort order, roles, request sizes')
    .option('--horizon <duration>', "project the run's counts to this long (default: the run itself)");
  addOutputOptions(cmd);
  cmd.addHelpText(
    'after',
    '\nExamples:\n' +
      '  k6 run --out json=out.ndjson k6/botnet-flood.k6.js\n' +
      '  dowsim import-k6 out.ndjson --stack stacks/rest-stage-throttled.yaml --horizon 24h\n' +
      '  dowsim import-k6 runner-1.ndjson runner-2.ndjson --stack stacks/rest-stage-throttled.yaml   # k6-operator runners\n' +
      '  dowsim import-k6 --summary summary.json --stack stacks/rest-stage-throttled.yaml --json\n',
  );
  cmd.action(async (outputs: string[], flags: ImportK6Flags) => runImportK6(outputs, flags));
}
