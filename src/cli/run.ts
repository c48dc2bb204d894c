import type { Command } from 'commander';
import { isValidPeriod } from '../collect/period.ts';
import { InputError, RuntimeError } from '../model/errors.ts';
import { parseDuration } from '../model/units.ts';
import { loadPriceBookWithWarnings } from '../pricing/loader.ts';
import { DEFAULT_MAX_COST_USD } from '../run/preflight.ts';
import { configuredCloudWatchEndpoint, resolveServerMode, type ServerMode } from '../run/server-side.ts';
import { checkTarget, isLoopbackHost } from '../run/target.ts';
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
  server?: string;
  settle?: string;
  period?: string;
  endpointUrl?: string;
  region?: string;
  profile?: string;
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

/** Whether --target names this machine (a bad URL is checkTarget's to report). */
function loopbackUrl(target: string): boolean {
  try {
    return isLoopbackHost(new URL(target).hostname);
  } catch {
    return false;
  }
}

/** --server and the CloudWatch flags: which server side, and how CloudWatch is read. */
function parseServerFlags(flags: RunFlags, target: { loopback: boolean } | undefined, problems: { path: string; message: string }[]) {
  let server: ServerMode | undefined;
  try {
    server = resolveServerMode(flags.server, target, configuredCloudWatchEndpoint(flags.endpointUrl));
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    problems.push(...e.problems);
  }
  let settleSeconds: number | undefined;
  if (flags.settle !== undefined) {
    settleSeconds = parseDuration(flags.settle);
    if (settleSeconds === undefined || settleSeconds > 3600) problems.push({ path: '--settle', message: `expected a duration up to 1h like "3m" or "0s", got "${flags.settle}"` });
  }
  let period: number | undefined;
  if (flags.period !== undefined) {
    period = Number(flags.period);
    if (!/^\s*\d+\s*$/.test(flags.period) || !isValidPeriod(period)) {
      problems.push({ path: '--period', message: `${flags.period} is not a CloudWatch period: use 1, 5, 10, 30 or a multiple of 60 seconds` });
    }
  }
  if (flags.endpointUrl !== undefined) {
    let ok = false;
    try {
      ok = ['http:', 'https:'].includes(new URL(flags.endpointUrl).protocol);
    } catch {
      // reported below
    }
    if (!ok) problems.push({ path: '--endpoint-url', message: `expected an http(s) URL like http://127.0.0.1:8788, not "${flags.endpointUrl}"` });
  }
  if (server !== undefined && server !== 'cloudwatch') {
    for (const [flag, v] of [['--settle', flags.settle], ['--period', flags.period], ['--endpoint-url', flags.endpointUrl], ['--region', flags.region], ['--profile', flags.profile]] as const) {
      if (v === undefined) continue;
      const why = server === 'none' && flags.server === undefined ? ' (a loopback --target reads CloudWatch only with --endpoint-url or --server cloudwatch)' : '';
      problems.push({ path: flag, message: `only applies when CloudWatch is read (--server cloudwatch); the server side here is "${server}"${why}` });
    }
  }
  return { server, cloudwatch: { settleSeconds, period, endpointUrl: flags.endpointUrl, region: flags.region, profile: flags.profile } };
}

/** Every flag of `dowsim run` checked at once, so a user sees all their mistakes together. */
function parseFlags(flags: RunFlags, target?: { loopback: boolean }) {
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
  const serverSide = parseServerFlags(flags, target, problems);
  if (problems.length) throw new InputError(problems);
  return {
    durationSeconds,
    maxRequests,
    maxCost,
    horizonSeconds: horizonSeconds!,
    arrivals: arrivals as 'uniform' | 'poisson',
    seed,
    connections,
    lateToleranceMs,
    server: serverSide.server!,
    cloudwatch: serverSide.cloudwatch,
  };
}

async function runCommand(scenarioArg: string, flags: RunFlags): Promise<void> {
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
  const code = await emitResult(result.doc, flags);
  const collection = result.doc.extras?.collection as { calls: number; metricsRequested: number; bill: { total: number } } | undefined;
  if (collection) {
    process.stderr.write(
      `CloudWatch collection itself: ${collection.calls} GetMetricData request${collection.calls === 1 ? '' : 's'}, ` +
        `${collection.metricsRequested} metrics requested ≈ $${collection.bill.total.toFixed(6)} (not part of the bill above)\n`,
    );
  }
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
        "Server side (--server): with the in-process emulator, its own counts. With --target, CloudWatch (the same reader as `dowsim collect`, using the stack's `deployed` names): after the load, dowsim waits --settle (default 3m; CloudWatch metrics lag) with a countdown — Ctrl-C skips it — then reads the run's window and prices it with 429s/403s counted by the client (CloudWatch under-counts them) and invocations, errors, Lambda throttles and duration from CloudWatch. A loopback --target reads CloudWatch only when an endpoint is given (--endpoint-url or AWS_ENDPOINT_URL_CLOUDWATCH; `dowsim emulate` serves one on its port + 1). If CloudWatch cannot be read, the run is still reported from the client's counts, with a warning saying why.",
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
      '  dowsim run scenarios/botnet-flood.yaml --stack stacks/rest-stage-throttled.yaml --duration 2m\n' +
      '  dowsim run scenarios/botnet-flood.yaml --stack stacks/rest-stage-throttled.yaml \\\n' +
      '      --target https://abc123.execute-api.us-east-1.amazonaws.com/prod \\\n' +
      '      --allow-target abc123.execute-api.us-east-1.amazonaws.com --duration 1m --max-cost 2\n' +
      '  dowsim run scenarios/botnet-flood.yaml --stack stacks/rest-stage-throttled.yaml --duration 30s \\\n' +
      '      --target http://127.0.0.1:8787/ --endpoint-url http://127.0.0.1:8788/   # against `dowsim emulate`\n',
  );
  cmd.action(async (scenario: string, flags: RunFlags) => runCommand(scenario, flags));
}
