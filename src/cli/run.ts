import type { Command } from 'commander';
import { InputError, RuntimeError } from '../model/errors.ts';
import { parseDuration } from '../model/units.ts';
import { loadPriceBookWithWarnings } from '../pricing/loader.ts';
import { liveRun } from '../run/live-run.ts';
import { DEFAULT_MAX_COST_USD } from '../run/preflight.ts';
import { checkTarget } from '../run/target.ts';
import { addOutputOptions, emitResult, type OutputOptions } from './options.ts';
import { loadSimulationInputs, parseHorizon } from './simulation-input.ts';

interface RunFlags extends OutputOptions {
  stack: string;
  target?: string;
  allowTarget?: string[];
  duration?: string;
  maxRequests?: string;
  maxCost?: string;
  yes?: boolean;
  horizon?: string;
  arrivals?: string;
  seed?: string;
  connections?: string;
  lateTolerance?: string;
  apiKeysFile?: string;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function positiveInteger(flag: string, v: string | undefined, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v.replace(/[_,]/g, ''));
  if (!/^\s*[\d_,]+\s*$/.test(v) || !Number.isInteger(n) || n < 1 || n > max) {
    throw new InputError([{ path: flag, message: `expected a whole number from 1 to ${max.toLocaleString('en-US')}, got "${v}"` }]);
  }
  return n;
}

/** Every flag of `dowsim run` checked at once, so a user sees all their mistakes together. */
function parseFlags(flags: RunFlags) {
  const problems: { path: string; message: string }[] = [];
  const attempt = <T>(f: () => T): T | undefined => {
    try {
      return f();
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      problems.push(...e.problems);
      return undefined;
    }
  };
  let durationSeconds: number | undefined;
  if (flags.duration !== undefined) {
    durationSeconds = parseDuration(flags.duration);
    if (durationSeconds === undefined || durationSeconds <= 0) {
      problems.push({ path: '--duration', message: `expected a duration like "90s" or "2m", got "${flags.duration}"` });
    }
  }
  const maxRequests = attempt(() => positiveInteger('--max-requests', flags.maxRequests));
  let maxCost: number | undefined;
  if (flags.maxCost !== undefined) {
    maxCost = Number(flags.maxCost.replace(/^\$/, ''));
    if (!Number.isFinite(maxCost) || maxCost < 0) problems.push({ path: '--max-cost', message: `expected an amount in USD like 5 or 0.50, got "${flags.maxCost}"` });
  }
  const horizonSeconds = attempt(() => parseHorizon(flags.horizon));
  const arrivals = flags.arrivals ?? 'uniform';
  if (arrivals !== 'uniform' && arrivals !== 'poisson') problems.push({ path: '--arrivals', message: `expected uniform or poisson, got "${arrivals}"` });
  let seed: number | undefined;
  if (flags.seed !== undefined) {
    seed = Number(flags.seed);
    if (!Number.isInteger(seed)) problems.push({ path: '--seed', message: `expected an integer, got "${flags.seed}"` });
  }
  const connections = attempt(() => positiveInteger('--connections', flags.connections, 20_000));
  let lateToleranceMs: number | undefined;
  if (flags.lateTolerance !== undefined) {
    const s = parseDuration(flags.lateTolerance);
    if (s === undefined || s <= 0 || s > 10) problems.push({ path: '--late-tolerance', message: `expected a duration from 1ms to 10s like "50ms", got "${flags.lateTolerance}"` });
    else lateToleranceMs = s * 1000;
  }
  if (problems.length) throw new InputError(problems);
  return { durationSeconds, maxRequests, maxCost, horizonSeconds: horizonSeconds!, arrivals: arrivals as 'uniform' | 'poisson', seed, connections, lateToleranceMs };
}

async function runCommand(scenarioArg: string, flags: RunFlags): Promise<void> {
  const f = parseFlags(flags);
  const allowTargets = flags.allowTarget ?? [];
  // Refuse a target that is not allowed before anything else happens (nothing loaded, nothing contacted).
  if (flags.target !== undefined) checkTarget(flags.target, { allowTargets, bounded: f.durationSeconds !== undefined || f.maxRequests !== undefined });

  const { scenario, stacks, warnings } = loadSimulationInputs(scenarioArg, [flags.stack]);
  const stack = stacks[0];
  const { book, warnings: priceWarnings } = loadPriceBookWithWarnings(stack.region);
  for (const w of [...warnings, ...priceWarnings]) process.stderr.write(`warning: ${w}\n`);

  const tty = process.stderr.isTTY === true;
  const ac = new AbortController();
  const onSignal = () => {
    if (ac.signal.aborted) process.exit(130); // a second Ctrl-C: the user really wants out
    if (tty) process.stderr.write('\ninterrupted: waiting briefly for answers in flight, then reporting what was measured (Ctrl-C again to quit now)\n');
    ac.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let result;
  try {
    result = await liveRun({
      scenario,
      stack,
      target: flags.target,
      allowTargets,
      durationSeconds: f.durationSeconds,
      maxRequests: f.maxRequests,
      maxCost: f.maxCost,
      yes: flags.yes === true,
      horizonSeconds: f.horizonSeconds,
      arrivals: f.arrivals,
      seed: f.seed,
      connections: f.connections,
      lateToleranceMs: f.lateToleranceMs,
      apiKeysFile: flags.apiKeysFile,
      runDir: (flags as { out?: string }).out ?? 'reports',
      book,
      signal: ac.signal,
      // The cost estimate is printed whatever the terminal: it is the user's last chance to stop.
      say: (line) => {
        if (tty || line.startsWith('This run')) process.stderr.write(`${line}\n`);
      },
      progress: tty ? process.stderr : undefined,
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const code = await emitResult(result.doc, flags);
  if (result.report.reason === 'target-unreachable') {
    throw new RuntimeError(`the target stopped answering (${result.report.firstConnectionError ?? 'connection errors'}); what was measured before is in the report`);
  }
  if (code !== 0) process.exitCode = code;
}

export function registerRunCommand(program: Command): void {
  const cmd = program
    .command('run')
    .summary('drive an attack scenario at the emulator or a staging API, and price what it measured')
    .description(
      [
        "Drives <scenario> as live HTTP traffic — an open model: requests go out on schedule whatever the target does — and reports what each cohort's requests became as the client saw them, as the server side counted them, and as the simulator predicts for the same inputs, with the deviation between them and the bill with and without throttling projected to --horizon.",
        'Without --target, dowsim starts the emulator for the --stack in-process on 127.0.0.1.',
        `Safety: loopback targets are always allowed. Any other host must be named with --allow-target and the run bounded with --duration or --max-requests; dowsim then simulates the run first, prints what it will cost the target account, and refuses above --max-cost (default $${DEFAULT_MAX_COST_USD}) unless --yes.`,
        'Staging API keys come from DOWSIM_API_KEYS_<COHORT> (comma-separated) or --api-keys-file; they are sent as x-api-key and never printed.',
        'Ctrl-C ends the run cleanly: what was measured is priced and reported. Per-second counts are appended to a .run.ndjson file in the --out directory (default reports/) as the run goes.',
      ].join('\n\n'),
    )
    .argument('<scenario>', 'scenario file or built-in scenario name')
    .requiredOption('--stack <file>', 'stack file or built-in name (what the target is, or what the emulator serves)')
    .option('--target <url>', 'base URL of a deployed API, e.g. https://abc123.execute-api.us-east-1.amazonaws.com/prod')
    .option('--allow-target <host>', 'host name the run may send traffic to (repeatable); required for any non-loopback --target', collect)
    .option('--duration <duration>', 'how long to run (default: the scenario\'s length; repeats it when longer)')
    .option('--max-requests <n>', 'stop after sending this many requests')
    .option('--max-cost <usd>', `refuse a staging run predicted to cost the target account more, in USD (default ${DEFAULT_MAX_COST_USD})`)
    .option('--yes', 'run even when the predicted cost is above --max-cost')
    .option('--horizon <duration>', 'project the measured bill to this long', '30d')
    .option('--arrivals <process>', 'uniform (evenly spaced) or poisson (seeded random gaps)', 'uniform')
    .option('--seed <n>', 'seed for Poisson arrivals')
    .option('--connections <n>', 'cap on open connections, which bounds requests in flight (default: sized from the peak rate)')
    .option('--late-tolerance <duration>', 'how late a request may still be sent; later ones are counted as dropped (default 50ms)')
    .option('--api-keys-file <file>', 'YAML/JSON mapping cohort (or usage plan) name to a list of API keys, for staging runs');
  addOutputOptions(cmd);
  cmd.addHelpText(
    'after',
    '\nExamples:\n' +
      '  dowsim run scenarios/botnet-flood.yaml --stack stacks/rest-stage-throttled.yaml --duration 2m\n' +
      '  dowsim run scenarios/botnet-flood.yaml --stack stacks/rest-stage-throttled.yaml \\\n' +
      '      --target https://abc123.execute-api.us-east-1.amazonaws.com/prod \\\n' +
      '      --allow-target abc123.execute-api.us-east-1.amazonaws.com --duration 1m --max-cost 2\n',
  );
  cmd.action(async (scenario: string, flags: RunFlags) => runCommand(scenario, flags));
}
