import type { Command } from 'commander';
import { InputError } from '../model/errors.ts';
import { collectResult } from '../collect/collect-result.ts';
import { parseTime } from '../collect/parse-time.ts';
import { isValidPeriod } from '../collect/period.ts';
import { loadPriceBookWithWarnings } from '../pricing/loader.ts';
import { loadStackInput } from './stack-input.ts';
import { addOutputOptions, emitResult, parseOutputOptions, type OutputOptions } from './options.ts';
import { parseHorizon } from './simulation-input.ts';
import { isLoopbackUrl } from '../model/loopback.ts';
import { configuredCloudWatchEndpoint } from '../run/server-side.ts';

interface CollectFlags extends OutputOptions {
  stack: string;
  start: string;
  end: string;
  period?: string;
  horizon?: string;
  endpointUrl?: string;
  region?: string;
  profile?: string;
}

function parsePeriod(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const n = Number(s);
  if (!/^\d+$/.test(s.trim()) || !isValidPeriod(n)) {
    throw new InputError([{ path: '--period', message: `${s} is not a CloudWatch period: use 1, 5, 10, 30 or a multiple of 60 seconds` }]);
  }
  return n;
}

function parseEndpoint(s: string | undefined): string | undefined {
  if (s === undefined) return undefined;
  try {
    const u = new URL(s);
    if (u.protocol === 'http:' || u.protocol === 'https:') return s;
  } catch {
    // fall through
  }
  throw new InputError([{ path: '--endpoint-url', message: `expected an http(s) URL like http://127.0.0.1:8788, not "${s}"` }]);
}

export async function runCollect(flags: CollectFlags): Promise<void> {
  const problems = [];
  const now = Date.now();
  let start: Date | undefined;
  let end: Date | undefined;
  let period: number | undefined;
  let horizonSeconds: number | undefined;
  let endpointUrl: string | undefined;
  for (const step of [
    () => (start = parseTime(flags.start, '--start', now)),
    () => (end = parseTime(flags.end, '--end', now)),
    () => (period = parsePeriod(flags.period)),
    () => (horizonSeconds = flags.horizon === undefined ? undefined : parseHorizon(flags.horizon)),
    () => (endpointUrl = parseEndpoint(flags.endpointUrl)),
    () => parseOutputOptions(flags), // a bad --out/--format is reported before any AWS call
  ]) {
    try {
      step();
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      problems.push(...e.problems);
    }
  }
  if (problems.length) throw new InputError(problems);
  const stack = loadStackInput(flags.stack);
  const region = flags.region ?? stack.region;
  // A loopback endpoint is the emulator's (or another local stand-in): it keeps 1 s data, and a
  // 60 s period would pull in requests from outside the window asked for.
  if (period === undefined && isLoopbackUrl(configuredCloudWatchEndpoint(endpointUrl))) period = 1;

  // the AWS SDK loads only when a command needs it: `dowsim --help` stays quick
  const { collectTimeline } = await import('../collect/collect-timeline.ts');
  const collected = await collectTimeline({
    stack,
    start: start!,
    end: end!,
    period,
    endpointUrl,
    region,
    profile: flags.profile,
    onProgress: (line) => process.stderr.write(`${line}\n`),
  });
  const { book, warnings } = loadPriceBookWithWarnings(region);
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
  const doc = collectResult({ stack, collected, book, horizonSeconds });
  const code = await emitResult(doc, flags);
  const cost = (doc.extras?.collection as { bill: { total: number } }).bill.total;
  process.stderr.write(
    `collection itself: ${collected.calls} GetMetricData request${collected.calls === 1 ? '' : 's'}, ` +
      `${collected.metricsRequested} metrics requested ≈ $${cost.toFixed(6)} (not part of the bill above)\n`,
  );
  if (code !== 0) process.exitCode = code;
}

export function registerCollectCommand(program: Command): void {
  const cmd = program
    .command('collect')
    .summary('read what really happened from CloudWatch and price it')
    .description(
      'Reads the API Gateway and Lambda metrics of the API and function named in\n' +
        'the stack\'s `deployed` section (ApiName or ApiId, Stage, FunctionName;\n' +
        'default: the stack\'s name) for --start..--end with GetMetricData, turns\n' +
        'them into a timeline (source "cloudwatch") and prices it over the window,\n' +
        'or over --horizon. CloudWatch cannot tell 429s from 403s (both become\n' +
        'gatewayThrottled), may not count excessive 429s at all, and sees no\n' +
        'cohorts; the result\'s notes list every such mapping. The collection itself\n' +
        'costs money ($0.01 per 1,000 metrics requested) and is reported.\n' +
        'AWS access follows the SDK: the default credential chain, --profile or\n' +
        'AWS_PROFILE, and --endpoint-url or AWS_ENDPOINT_URL_CLOUDWATCH to point\n' +
        'elsewhere (`dowsim emulate` serves CloudWatch\'s API on its port + 1).',
    )
    .requiredOption('--stack <file>', 'stack file or built-in name (its deployed names and Region are used)')
    .requiredOption('--start <time>', 'window start: ISO 8601 (UTC unless a zone is given), "now", -1h, or epoch seconds')
    .requiredOption('--end <time>', 'window end, same forms as --start')
    .option('--period <seconds>', 'metric period (default from the window\'s age: 60 s within 15 days, 300 s within 63, else 3600 s; 1 for the emulator)')
    .option('--horizon <duration>', 'project the window\'s counts to this long (default: the window itself)')
    .option('--endpoint-url <url>', 'CloudWatch endpoint (default: AWS_ENDPOINT_URL_CLOUDWATCH, else AWS\'s for the Region)')
    .option('--region <region>', 'AWS Region of the metrics and prices (default: the stack\'s region)')
    .option('--profile <name>', 'AWS profile from ~/.aws/config (default: AWS_PROFILE, else the default chain)');
  addOutputOptions(cmd);
  cmd.addHelpText(
    'after',
    '\nExamples:\n' +
      '  dowsim collect --stack stacks/rest-stage-throttled.yaml --start 2026-11-28T10:00Z --end 2026-11-28T11:00Z\n' +
      '  dowsim collect --stack stacks/rest-stage-throttled.yaml --start -15m --end now --period 1 \\\n' +
      '      --endpoint-url http://127.0.0.1:8788 --json\n' +
      'Exit codes: 0 ok, 1 bad flags or stack file, 2 AWS failure (no credentials, unreachable endpoint,\n' +
      'throttled after retries), 3 a --fail-if gate tripped.\n',
  );
  cmd.action(async (flags: CollectFlags) => runCollect(flags));
}
