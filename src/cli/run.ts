import type { Command } from 'commander';
import { InputError, RuntimeError } from '../model/errors.ts';
import { loadPriceBookWithWarnings } from '../pricing/loader.ts';
import { DEFAULT_MAX_COST_USD } from '../run/preflight.ts';
import { checkTarget, isLoopbackHost } from '../run/target.ts';
import { EXIT_INTERRUPTED } from './exit-codes.ts';
import { addOutputOptions, emitResult } from './options.ts';
import { parseFlags, type RunFlags } from './run-flags.ts';
import { loadSimulationInputs } from './simulation-input.ts';

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Whether --target names this machine (a bad URL is checkTarget's to report). */
function loopbackUrl(target: string): boolean {
  try {
    return isLoopbackHost(new URL(target).hostname);
  } catch {
    return false;
  }
}

async function runCommand(scenarioArg: string, flags: RunFlags): Promise<void> {
  if (flags.stack === undefined) throw new InputError([{ path: '--stack', message: 'give the stack to run against (--stack stacks/rest-stage-throttled.yaml)' }]);
  const f = parseFlags(flags, flags.target !== undefined ? { loopback: loopbackUrl(flags.target) } : undefined);
  const allowTargets = flags.allowTarget ?? [];
  // Refuse a target that is not allowed before anything else happens (nothing loaded, nothing contacted).
  if (flags.target !== undefined) checkTarget(flags.target, { allowTargets, bounded: f.durationSeconds !== undefined || f.maxRequests !== undefined });

  const { scenario, stacks, warnings } = loadSimulationInputs(scenarioArg, [flags.stack]);
  const stack = stacks[0];
  const { book, warnings: priceWarnings } = loadPriceBookWithWarnings(stack.region);
  for (const w of [...warnings, ...priceWarnings]) process.stderr.write(`warning: ${w}\n`);

  const tty = process.stderr.isTTY === true;
  const ac = new AbortController();
  // Ctrl-C while waiting for CloudWatch skips the wait: the load is over, the report is what is left.
  const skip = new AbortController();
  let waiting = false;
  const onSignal = () => {
    if (waiting) {
      if (skip.signal.aborted) process.exit(130);
      skip.abort();
      return;
    }
    if (ac.signal.aborted) process.exit(130); // a second Ctrl-C: the user really wants out
    if (tty) process.stderr.write('\ninterrupted: waiting briefly for answers in flight, then reporting what was measured (Ctrl-C again to quit now)\n');
    ac.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let result;
  try {
    // undici and the emulator load only when a run starts: `dowsim --help` stays quick
    const { liveRun } = await import('../run/live-run.ts');
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
      server: {
        mode: f.server,
        cloudwatch: f.cloudwatch,
        skip: skip.signal,
        // the countdown shows whatever the terminal: a silent three-minute pause looks like a hang
        status: process.stderr,
        onWaiting: (w) => (waiting = w),
      },
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  let code: number;
  try {
    code = await emitResult(result.doc, flags);
  } catch (err) {
    // the traffic was sent: a report that cannot be written is a failure of this run (2), not the
    // "bad input, nothing sent" that 1 promises
    if (err instanceof InputError && err.problems.every((p) => p.path === '--out')) {
      throw new RuntimeError(`the run was sent and measured, but its reports could not be written: ${err.problems.map((p) => p.message).join('; ')}`, { cause: err });
    }
    throw err;
  }
  const collection = result.doc.extras?.collection as { calls: number; metricsRequested: number; bill: { total: number } } | undefined;
  if (collection) {
    process.stderr.write(
      `CloudWatch collection itself: ${collection.calls} GetMetricData request${collection.calls === 1 ? '' : 's'}, ` +
        `${collection.metricsRequested} metrics requested ≈ $${collection.bill.total.toFixed(6)} (not part of the bill above)\n`,
    );
  }
  // Exit codes that tell the truth (reports are written by now): Ctrl-C is 130 as for any
  // interrupted program; a target that died, or a cohort none of whose requests got an answer, is a failure.
  if (result.report.reason === 'interrupted') {
    process.stderr.write('dowsim: the run was interrupted; the report holds what was measured until then\n');
    process.exitCode = EXIT_INTERRUPTED;
    return;
  }
  if (result.report.reason === 'target-unreachable') {
    throw new RuntimeError(`the target stopped answering (${result.report.firstConnectionError ?? 'connection errors'}); what was measured before is in the report`);
  }
  const silent = (result.doc.extras?.run as { cohortsWithoutAnswers?: string[] } | undefined)?.cohortsWithoutAnswers ?? [];
  if (silent.length > 0) {
    throw new RuntimeError(
      `no request of cohort${silent.length > 1 ? 's' : ''} ${silent.map((c) => `"${c}"`).join(', ')} got an HTTP answer (${result.report.firstConnectionError ?? 'connection errors'}); the report says what was measured`,
    );
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
        'The horizon figures (bills with and without throttling, legit traffic alone, savings, damage, collateral) come from the simulator on the same scenario and stack, as `dowsim simulate` has them; the run checks that model cohort by cohort and outcome by outcome (measured vs server vs predicted) and warns loudly where a cohort deviates beyond tolerance. The run\'s own window is priced as measured, beside the prediction for it; nothing measured is scaled up to the horizon.',
        'Exit codes: 0 ok; 1 bad input (nothing sent); 2 the target stopped answering, some cohort got no HTTP answer at all, or the reports could not be written after the run; 3 a --fail-if gate tripped; 130 interrupted by Ctrl-C (after the report is written).',
        'Ctrl-C ends the run cleanly: what was measured is priced and reported. Per-second counts are appended to a .run.ndjson file in the --out directory (default reports/) as the run goes.',
        "Server side (--server): with the in-process emulator, its own counts. With --target, CloudWatch (the same reader as `dowsim collect`, using the stack's `deployed` names): after the load, dowsim waits --settle (default 3m; CloudWatch metrics lag) with a countdown — Ctrl-C skips it — then reads the run's window and prices it with 429s/403s counted by the client (CloudWatch under-counts them) and invocations, errors, Lambda throttles and duration from CloudWatch. A loopback --target reads CloudWatch only when an endpoint is given (--endpoint-url or AWS_ENDPOINT_URL_CLOUDWATCH; `dowsim emulate` serves one on its port + 1). If CloudWatch cannot be read, the run is still reported from the client's counts, with a warning saying why.",
      ].join('\n\n'),
    )
    .argument('<scenario>', 'scenario file or built-in scenario name')
    // not commander's requiredOption: it would complain about --stack before the missing scenario
    .option('--stack <file>', 'stack file or built-in name (what the target is, or what the emulator serves; required)')
    .option('--target <url>', 'base URL of a deployed API, e.g. https://abc123.execute-api.us-east-1.amazonaws.com/prod')
    .option('--allow-target <host>', 'host name the run may send traffic to (repeatable); required for any non-loopback --target', collect)
    .option('--duration <duration>', 'how long to run (default: the scenario\'s length; repeats it when longer)')
    .option('--max-requests <n>', 'stop after sending this many requests')
    .option('--max-cost <usd>', `refuse a staging run predicted to cost the target account more, in USD (default ${DEFAULT_MAX_COST_USD})`)
    .option('--yes', 'run even when the predicted cost is above --max-cost')
    .option('--horizon <duration>', 'how long the simulator projects the bills (the scenario repeats to fill it)', '30d')
    .option(
      '--arrivals <process>',
      'random (the scenario\'s exact count at seeded random times: cohorts share a throttle as the simulator predicts), poisson (seeded random gaps, the count varies too) or uniform (evenly spaced: cohorts can lock into phase with a throttle\'s refills)',
      'random',
    )
    .option('--seed <n>', 'seed for random and Poisson arrivals (default: a fresh one each run, printed with the results; give it to repeat a schedule)')
    .option('--connections <n>', 'cap on open connections, which bounds requests in flight (default: sized by the driver from the peak rate and the measured latency, at most 2,000, held lower while the target cannot answer more)')
    .option('--late-tolerance <duration>', 'how late a request may still be sent; later ones are counted as dropped (default 50ms)')
    .option('--api-keys-file <file>', 'YAML/JSON mapping cohort (or usage plan) name to a list of API keys, for staging runs')
    .option('--server <source>', 'server-side counts: emulator | cloudwatch | none (default: emulator without --target; cloudwatch with a non-loopback --target or a CloudWatch endpoint; else none)')
    .option('--settle <duration>', 'with CloudWatch: wait this long after the load for its metrics to settle (default 3m; none for a loopback endpoint)')
    .option('--period <seconds>', 'with CloudWatch: metric period (default 60; 1 for a loopback endpoint such as the emulator\'s)')
    .option('--endpoint-url <url>', 'with CloudWatch: its endpoint (default: AWS_ENDPOINT_URL_CLOUDWATCH, else AWS\'s for the Region)')
    .option('--region <region>', 'with CloudWatch: Region of the metrics (default: the stack\'s region)')
    .option('--profile <name>', 'with CloudWatch: AWS profile from ~/.aws/config (default: AWS_PROFILE, else the default chain)');
  addOutputOptions(cmd);
  cmd.addHelpText(
    'after',
    '\nExamples:\n' +
      '  dowsim run quick-flood --stack rest-stage-throttled --duration 20s --fail-if "latency.p99>800"\n' +
      '  dowsim run scenarios/quick-flood.yaml --stack stacks/rest-stage-throttled.yaml \\\n' +
      '      --target https://abc123.execute-api.us-east-1.amazonaws.com/prod \\\n' +
      '      --allow-target abc123.execute-api.us-east-1.amazonaws.com --duration 20s --max-cost 2\n' +
      '  dowsim run scenarios/quick-flood.yaml --stack stacks/rest-stage-throttled.yaml --duration 20s \\\n' +
      '      --target http://127.0.0.1:8787/ --endpoint-url http://127.0.0.1:8788/   # against `dowsim emulate`\n',
  );
  cmd.action(async (scenario: string, flags: RunFlags) => runCommand(scenario, flags));
}
