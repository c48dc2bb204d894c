import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { InputError } from '../model/errors.ts';
import { displayUrl } from '../model/loopback.ts';
import type { Timeline } from '../model/timeline.ts';
import type { Stack } from '../stack/types.ts';
import { explainAwsError } from '../pricing/price-list-aws-errors.ts';
import { RetriesExhausted, type RetryOptions } from '../pricing/price-list-retry.ts';
import { createCloudWatchClient, describeCloudWatchEndpoint } from './cloudwatch-client.ts';
import { fetchMetricData } from './get-metric-data.ts';
import { buildMetricSpecs } from './metric-queries.ts';
import { alignWindow, isValidPeriod, periodForAge } from './period.ts';
import { planCalls } from './plan-calls.ts';
import { metricsToTimeline, type MappedTimeline } from './to-timeline.ts';

export interface CollectOptions {
  stack: Stack;
  start: Date;
  end: Date;
  /** Seconds; default from the window's age (60 s within 15 days, 300 s within 63, else 3600 s). */
  period?: number;
  /** A ready client (tests, `dowsim run`); otherwise one is built from the options below. */
  client?: CloudWatchClient;
  endpointUrl?: string;
  /** Default: the stack's Region. */
  region?: string;
  profile?: string;
  retry?: RetryOptions;
  /** Epoch seconds now (for the period choice); default the real clock. */
  now?: number;
  onProgress?: (line: string) => void;
}

export interface CollectOutcome {
  timeline: Timeline;
  /** Metrics requested as AWS bills GetMetricData (every query of every request). */
  metricsRequested: number;
  /** GetMetricData requests made (pages included). */
  calls: number;
  retries: number;
  period: number;
  /** The period-aligned window actually read (epoch seconds). */
  window: { start: number; end: number };
  notes: string[];
  observed: MappedTimeline['observed'];
  endpoint: string;
}

/** Reads the stack's API Gateway and Lambda metrics for a window and turns them into a timeline (source 'cloudwatch'). */
export async function collectTimeline(opts: CollectOptions): Promise<CollectOutcome> {
  const { stack } = opts;
  const startSec = opts.start.getTime() / 1000;
  const endSec = opts.end.getTime() / 1000;
  const problems = [];
  if (!Number.isFinite(startSec)) problems.push({ path: '--start', message: 'not a valid time' });
  if (!Number.isFinite(endSec)) problems.push({ path: '--end', message: 'not a valid time' });
  if (problems.length === 0 && !(endSec > startSec)) problems.push({ path: '--end', message: 'must be after --start' });
  if (opts.period !== undefined && !isValidPeriod(opts.period)) {
    problems.push({ path: '--period', message: `${opts.period} is not a CloudWatch period: use 1, 5, 10, 30 or a multiple of 60 seconds` });
  }
  if (problems.length) throw new InputError(problems);

  const now = opts.now ?? Date.now() / 1000;
  const notes: string[] = [];
  const period = opts.period ?? periodForAge(startSec, now);
  if (opts.period === undefined && period > 60) {
    notes.push(`The window starts ${Math.round((now - startSec) / 86400)} days ago: CloudWatch only keeps ${period}-second data that old.`);
  }
  const window = alignWindow(startSec, endSec, period);
  // sub-second trimming is not worth a note; a whole period or more is
  if (startSec - window.start >= 1 || window.end - endSec >= 1) {
    notes.push(
      `Window aligned to whole ${period}-second periods: ${iso(window.start)} – ${iso(window.end)}.`,
    );
  }
  if (window.end > now) notes.push('The window reaches into the future or the last minutes: CloudWatch metrics can take a few minutes to settle.');

  const region = opts.region ?? stack.region;
  const endpoint = opts.client ? (opts.endpointUrl !== undefined ? displayUrl(opts.endpointUrl) : 'the given client') : describeCloudWatchEndpoint(region, opts.endpointUrl);
  const client = opts.client ?? createCloudWatchClient({ region, endpointUrl: opts.endpointUrl, profile: opts.profile });

  const specs = buildMetricSpecs(stack);
  const plan = planCalls(specs, window.start, window.end, period);
  opts.onProgress?.(`reading ${specs.length} metrics of ${describeTarget(stack)} in ${plan.length} GetMetricData call${plan.length === 1 ? '' : 's'} (period ${period} s) from ${endpoint}`);
  let fetched;
  try {
    fetched = await fetchMetricData(client, plan, period, {
      ...opts.retry,
      onRetry: (info) => {
        opts.onProgress?.(`CloudWatch answered ${errorName(info.error)}; retrying in ${(info.delayMs / 1000).toFixed(1)} s`);
        opts.retry?.onRetry?.(info);
      },
    });
  } catch (err) {
    const what = 'CloudWatch GetMetricData';
    if (err instanceof RetriesExhausted) throw explainAwsError(err.lastError, { what, endpoint, profile: opts.profile, attempts: err.attempts });
    throw explainAwsError(err, { what, endpoint, profile: opts.profile });
  } finally {
    if (!opts.client) client.destroy();
  }

  const mapped = metricsToTimeline(stack, fetched.series, { ...window, period });
  if (fetched.retries > 0) notes.push(`CloudWatch throttled or failed ${fetched.retries} time(s); the calls were retried with backoff.`);
  notes.push(...fetched.messages);
  notes.push(
    `Collection: ${fetched.requests} GetMetricData request(s), ${fetched.metricsRequested} metrics requested (AWS bills every query of every request, continuation pages included).`,
  );
  return {
    timeline: mapped.timeline,
    metricsRequested: fetched.metricsRequested,
    calls: fetched.requests,
    retries: fetched.retries,
    period,
    window,
    notes: [...notes, ...mapped.notes],
    observed: mapped.observed,
    endpoint,
  };
}

function describeTarget(stack: Stack): string {
  const d = stack.deployed;
  const fn = `function ${d.functionName}`;
  if (stack.api.kind === 'rest') return `REST API ${d.apiName}/${d.stage} and ${fn}`;
  if (stack.api.kind === 'http') return `HTTP API ${d.apiId}/${d.stage} and ${fn}`;
  return fn;
}

function errorName(err: unknown): string {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name ?? `HTTP ${e?.$metadata?.httpStatusCode ?? '?'}`;
}

function iso(sec: number): string {
  return new Date(sec * 1000).toISOString();
}
