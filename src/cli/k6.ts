import type { Command } from 'commander';
import { InputError } from '../model/errors.ts';
import { buildK6Export, DEFAULT_TARGET, writeK6Export } from '../k6/export.ts';
import { loadSimulationInputs } from './simulation-input.ts';
import { outDirOption } from '../report/out-dir.ts';
import { parseDuration } from '../model/units.ts';

interface K6Flags {
  stack: string;
  target: string;
  out: string;
  parallelism: string;
  failIf?: string[];
  duration?: string;
}

export async function runK6Export(scenarioArg: string, flags: K6Flags): Promise<void> {
  const parallelism = Number(flags.parallelism);
  if (!/^\d+$/.test(flags.parallelism.trim()) || parallelism < 1) {
    throw new InputError([{ path: '--parallelism', message: `expected a whole number of k6 runners ≥ 1, got "${flags.parallelism}"` }]);
  }
  let durationSeconds: number | undefined;
  if (flags.duration !== undefined) {
    durationSeconds = parseDuration(flags.duration);
    if (durationSeconds === undefined || durationSeconds <= 0) throw new InputError([{ path: '--duration', message: `expected a duration like "2h" or "1d", got "${flags.duration}"` }]);
  }
  const { scenario, stacks, warnings } = loadSimulationInputs(scenarioArg, [flags.stack]);
  const stack = stacks[0];
  const exp = buildK6Export(scenario, stack, { target: flags.target, parallelism, failIf: flags.failIf ?? [], stackFile: flags.stack, durationSeconds });
  const paths = writeK6Export(exp, flags.out);
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
  const lines = [
    `wrote ${paths[0]}`,
    `wrote ${paths[1]} (k6-operator TestRun, parallelism ${parallelism})`,
    ...exp.cohorts.map((c) => {
      const p = c.arrivals.plan!;
      const how = p.executor === 'constant-arrival-rate' ? `${p.rate}/${p.timeUnit} for ${p.duration}` : `${p.stages.length} stage${p.stages.length === 1 ? '' : 's'}, timeUnit ${p.timeUnit}`;
      return `  ${c.cohort}: ${p.executor} (${how}${p.startTime === '0s' ? '' : `, from ${p.startTime}`}), ${Math.round(c.arrivals.planned).toLocaleString('en-US')} requests, VUs ${c.preAllocatedVUs}–${c.maxVUs}`;
    }),
    ...exp.gates.map((g) => (g.metric ? `  --fail-if ${g.gate} → k6 threshold '${g.metric}': ${g.threshold}` : `  --fail-if ${g.gate}: not checkable by k6 (use import-k6 --fail-if)`)),
    // commands a user pastes into a shell: names with spaces or quotes stay one word
    `run it:    k6 run --out ${shellWord(`json=${scenario.name}.ndjson`)} ${shellWord(paths[0])}`,
    `then:      dowsim import-k6 ${shellWord(`${scenario.name}.ndjson`)} --stack ${shellWord(flags.stack)}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  for (const n of exp.notes) process.stderr.write(`note: ${n}\n`);
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function registerK6Command(program: Command): void {
  program
    .command('k6')
    .summary('export a scenario as a k6 script and a k6-operator TestRun')
    .description(
      'Writes <scenario>.k6.js and <scenario>.testrun.yaml into --out. The script has\n' +
        'one k6 scenario per cohort: arrival-rate executors following its rate profile,\n' +
        'X-Forwarded-For and x-api-key per client, tags cohort and role. The manifest is\n' +
        'a ConfigMap holding the script and a k6-operator TestRun. VUs are sized from\n' +
        "the peak rate and the stack's p99 duration. API keys are never written: the\n" +
        'script reads DOWSIM_API_KEYS_<COHORT>, and sends the emulator\'s synthetic keys\n' +
        'only to 127.0.0.1. --fail-if gates that k6 can measure become thresholds.\n' +
        'Nothing is sent by this command: k6 does the sending (see docs/k6.md).',
    )
    .argument('<scenario>', 'scenario file or built-in scenario name')
    .requiredOption('--stack <file>', 'stack file or built-in name (sizes VUs, timeouts and status handling)')
    .option('--target <url>', 'base URL the script sends to (DOWSIM_TARGET overrides it at run time)', DEFAULT_TARGET)
    .option('--out <dir>', 'directory to write the two files into', outDirOption, 'k6/')
    .option('--parallelism <n>', 'k6-operator runners (TestRun spec.parallelism)', '1')
    .option('--duration <d>', 'how long the k6 run lasts (default: one pass of the scenario); longer repeats the scenario, diurnal curves going on along their period')
    .option('--fail-if <gate>', 'gate to mirror as a k6 threshold, e.g. "collateral>0.01" (repeatable)', collect)
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  dowsim k6 botnet-flood --stack stacks/rest-stage-throttled.yaml\n' +
        '  dowsim k6 scenarios/botnet-flood.yaml --stack stacks/rest-stage-throttled.yaml \\\n' +
        '      --target https://abc.execute-api.us-east-1.amazonaws.com/prod --out k6/ --parallelism 8\n' +
        'Then: k6 run --out json=out.ndjson k6/botnet-flood.k6.js; dowsim import-k6 out.ndjson --stack …\n',
    )
    .action(async (scenario: string, flags: K6Flags) => runK6Export(scenario, flags));
}

/** A word as a POSIX shell reads it back: as it is when it is safe, else in single quotes. */
export function shellWord(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
