/**
 * The server side of a live run (DESIGN.md "run/": "start emulator if no target, drive load,
 * collect, price"): what the in-process emulator served, or what CloudWatch recorded for a
 * staging run — read with the same collector as `dowsim collect`, after a visible countdown while
 * CloudWatch's metrics settle — and the merge that prices a staging run from both: gateway-side
 * outcomes from the client (CloudWatch cannot tell 429s from 403s and under-counts excessive 429s,
 * aws-facts.md), function-side outcomes and duration from CloudWatch.
 */
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { CollectOutcome } from '../collect/collect-timeline.ts';
import { isValidPeriod } from '../collect/period.ts';
import { getMetricDataLines } from '../cost/cloudwatch-api.ts';
import type { Emulator } from '../emulator/start-emulator.ts';
import { InputError } from '../model/errors.ts';
import type { Bill } from '../model/result.ts';
import { cohortTotals, timelineTotals, type CohortTimeline, type Timeline } from '../model/timeline.ts';
import { emptyTotals, type Totals } from '../model/totals.ts';
import type { PriceBook } from '../pricing/types.ts';
import { responseBytesByOutcome } from '../simulate/response-bytes.ts';
import type { Stack } from '../stack/types.ts';
import { isLoopbackUrl } from '../model/loopback.ts';

export const SERVER_MODES = ['emulator', 'cloudwatch', 'none'] as const;
export type ServerMode = (typeof SERVER_MODES)[number];

/** CloudWatch metrics of AWS services arrive minutes late; reading sooner under-counts the run's tail. */
export const DEFAULT_SETTLE_SECONDS = 180;
/** AWS/ namespaces publish at 60 s at best. */
export const DEFAULT_PERIOD_SECONDS = 60;

export interface CloudWatchFlags {
  /** --settle, seconds. Default: 3 minutes for AWS, none for a loopback endpoint (the emulator's). */
  settleSeconds?: number;
  /** --period, seconds. Default: 60 for AWS, 1 for a loopback endpoint (the emulator serves 1 s data). */
  period?: number;
  endpointUrl?: string;
  region?: string;
  profile?: string;
}

export interface ServerSideOptions {
  /** Default: 'emulator' when dowsim starts the emulator, otherwise 'none' (the CLI picks 'cloudwatch' for targets). */
  mode?: ServerMode;
  cloudwatch?: CloudWatchFlags;
  /** Aborting it skips the countdown (and a collection still under way): Ctrl-C in the CLI. */
  skip?: AbortSignal;
  /** Where the countdown and the collector's progress go (stderr in the CLI); a TTY gets a live countdown. */
  status?: { write(s: string): unknown; isTTY?: boolean };
  /** Told when the countdown/collection starts and ends, so Ctrl-C can mean "skip" meanwhile. */
  onWaiting?: (waiting: boolean) => void;
}

export interface ServerSide {
  mode: ServerMode;
  /** The server-side timeline of the document: the emulator's per cohort, or CloudWatch's (one cohort). */
  server?: Timeline;
  /** The CloudWatch collection, when one was made. */
  collected?: CollectOutcome;
  /** Why CloudWatch was not read (skipped, or the collection failed). */
  missing?: string;
  /** The command that reads the same window later. */
  collectCommand?: string;
  settleSeconds?: number;
}

/** The --server mode for a run: the flag, else emulator without --target, CloudWatch for a real target. */
export function resolveServerMode(
  flag: string | undefined,
  target: { loopback: boolean } | undefined,
  cloudwatchEndpoint: string | undefined,
): ServerMode {
  if (flag !== undefined) {
    if (!(SERVER_MODES as readonly string[]).includes(flag)) {
      throw new InputError([{ path: '--server', message: `expected emulator, cloudwatch or none, got "${flag}"` }]);
    }
    if (flag === 'emulator' && target) {
      throw new InputError([
        { path: '--server', message: 'emulator counts exist only when dowsim starts the emulator (no --target); use cloudwatch or none with --target' },
      ]);
    }
    return flag as ServerMode;
  }
  if (!target) return 'emulator';
  // A loopback target is a local emulator or stub: real CloudWatch knows nothing of it, unless
  // the user pointed CloudWatch somewhere (the emulator serves it on its port + 1).
  return !target.loopback || cloudwatchEndpoint ? 'cloudwatch' : 'none';
}

/** The CloudWatch endpoint configured by flag or the SDK's environment variables, if any. */
export function configuredCloudWatchEndpoint(endpointUrl: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return endpointUrl || env.AWS_ENDPOINT_URL_CLOUDWATCH || env.AWS_ENDPOINT_URL || undefined;
}

/** Reads the server side of a finished run: the emulator's counts, or CloudWatch's after the settle wait. */
export async function readServerSide(o: {
  options: ServerSideOptions | undefined;
  stack: Stack;
  /** The run's window (the load's start and end). */
  start: Date;
  end: Date;
  bucketSeconds: number;
  /** The in-process emulator, when dowsim started one. */
  emulator?: Emulator;
  env?: NodeJS.ProcessEnv;
}): Promise<ServerSide> {
  const opts = o.options ?? {};
  const mode = opts.mode ?? (o.emulator ? 'emulator' : 'none');
  if (mode === 'none') return { mode };
  if (mode === 'emulator') {
    if (!o.emulator) throw new InputError([{ path: '--server', message: 'emulator counts exist only when dowsim starts the emulator (no --target)' }]);
    // The emulator is this run's alone: everything it saw is the run.
    return { mode, server: o.emulator.timeline({ bucketSeconds: o.bucketSeconds }) };
  }

  const env = o.env ?? process.env;
  const cw = opts.cloudwatch ?? {};
  const endpointUrl = cw.endpointUrl ?? (o.emulator && !configuredCloudWatchEndpoint(undefined, env) ? o.emulator.cloudwatchUrl : undefined);
  const local = isLoopbackUrl(configuredCloudWatchEndpoint(endpointUrl, env));
  const settleSeconds = cw.settleSeconds ?? (local ? 0 : DEFAULT_SETTLE_SECONDS);
  const period = cw.period ?? (local ? 1 : DEFAULT_PERIOD_SECONDS);
  if (!isValidPeriod(period)) throw new InputError([{ path: '--period', message: `${period} is not a CloudWatch period: use 1, 5, 10, 30 or a multiple of 60 seconds` }]);
  // One period either side: a request near an edge is booked in the period its function ran in.
  const start = new Date(o.start.getTime() - period * 1000);
  const end = new Date(o.end.getTime() + period * 1000);
  const collectCommand =
    `dowsim collect --stack ${o.stack.file ?? o.stack.name} --start ${start.toISOString()} --end ${end.toISOString()}` +
    (cw.period !== undefined || local ? ` --period ${period}` : '') +
    (endpointUrl ? ` --endpoint-url ${endpointUrl}` : '') +
    (cw.region ? ` --region ${cw.region}` : '') +
    (cw.profile ? ` --profile ${cw.profile}` : '');
  const base = { mode, collectCommand, settleSeconds } as const;
  const status = opts.status;
  opts.onWaiting?.(true);
  try {
    const waited = await waitToSettle(settleSeconds, { signal: opts.skip, stream: status });
    if (waited === 'skipped') return { ...base, missing: 'the wait for CloudWatch metrics to settle was skipped (Ctrl-C)' };

    let client: CloudWatchClient | undefined;
    if (o.emulator && endpointUrl === o.emulator.cloudwatchUrl) client = await inProcessClient(o.stack.region, endpointUrl);
    // the AWS SDK loads only when CloudWatch is read: the other modes stay quick
    const { collectTimeline } = await import('../collect/collect-timeline.ts');
    const collecting = collectTimeline({
      stack: o.stack,
      start,
      end,
      period,
      client,
      endpointUrl,
      region: cw.region,
      profile: cw.profile,
      onProgress: (line) => status?.write(`${line}\n`),
    }).finally(() => client?.destroy());
    const outcome = await untilAborted(collecting, opts.skip);
    if (outcome === undefined) {
      collecting.catch(() => {}); // its failure no longer matters to anyone
      return { ...base, missing: 'the CloudWatch collection was skipped (Ctrl-C)' };
    }
    return { ...base, server: outcome.timeline, collected: outcome };
  } catch (err) {
    // The load itself succeeded: a collection that fails leaves the client's counts, and says why.
    return { ...base, missing: err instanceof Error ? err.message : String(err) };
  } finally {
    opts.onWaiting?.(false);
  }
}

/** The emulator dowsim started accepts any signature: sign with placeholders rather than ask the user for keys. */
async function inProcessClient(region: string, endpoint: string): Promise<CloudWatchClient> {
  const { silenceSdkNodeVersionWarning } = await import('../pricing/price-list-client.ts');
  silenceSdkNodeVersionWarning();
  const { CloudWatchClient } = await import('@aws-sdk/client-cloudwatch');
  return new CloudWatchClient({
    region,
    endpoint,
    credentials: { accessKeyId: 'dowsim', secretAccessKey: 'dowsim' },
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 },
  });
}

function untilAborted<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T | undefined> {
  if (!signal) return p;
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise<T | undefined>((resolve, reject) => {
    const onAbort = () => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** "2m41s", "45s": the countdown's remaining time. */
export function countdownText(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  if (s < 60) return `${s}s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = `${String(s % 60).padStart(2, '0')}s`;
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m${rest}` : `${m}m${rest}`;
}

/**
 * Waits `seconds` with a countdown on `stream`: rewritten in place every second on a TTY, a line
 * every 30 s otherwise (logs stay short). Answers 'skipped' when `signal` aborts first.
 */
export function waitToSettle(
  seconds: number,
  o: { signal?: AbortSignal; stream?: { write(s: string): unknown; isTTY?: boolean }; everySeconds?: number } = {},
): Promise<'settled' | 'skipped'> {
  if (o.signal?.aborted) return Promise.resolve('skipped');
  if (!(seconds > 0)) return Promise.resolve('settled');
  const tty = o.stream?.isTTY === true;
  const every = o.everySeconds ?? (tty ? 1 : 30);
  const deadline = Date.now() + seconds * 1000;
  const line = (left: number) => `waiting ${countdownText(left)} for CloudWatch metrics to settle… (Ctrl-C to skip)`;
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    let shown: number | undefined;
    const finish = (how: 'settled' | 'skipped') => {
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      if (tty) o.stream?.write('\r\x1b[K');
      if (how === 'skipped') o.stream?.write('skipped the wait: CloudWatch is not read; the run is reported from the client\'s counts\n');
      resolve(how);
    };
    const onAbort = () => finish('skipped');
    const tick = () => {
      const leftMs = deadline - Date.now();
      if (leftMs <= 0) return finish('settled');
      const left = Math.ceil(leftMs / 1000);
      if (shown === undefined || shown - left >= every) {
        o.stream?.write(tty ? `\r${line(left)}\x1b[K` : `${line(left)}\n`);
        shown = left;
      }
      // wake on the whole seconds of the countdown, so the display never skips a number
      timer = setTimeout(tick, leftMs % 1000 || 1000);
    };
    o.signal?.addEventListener('abort', onAbort, { once: true });
    tick();
  });
}

const GATEWAY_SIDE = ['wafBlocked', 'authRejected', 'gatewayThrottled', 'quotaExceeded'] as const;
const FUNCTION_SIDE = ['lambdaThrottled', 'succeeded', 'failed', 'timedOut'] as const;
type FunctionOutcome = (typeof FUNCTION_SIDE)[number];

/** Requests that reached the integration (API Gateway bills them). */
function passed(t: Totals): number {
  return t.lambdaThrottled + t.succeeded + t.failed + t.timedOut;
}

/**
 * The priced timeline of a staging run: the client's cohorts and buckets, with the function-side
 * outcomes (Lambda throttles, successes, errors, timeouts) replaced by CloudWatch's totals —
 * split among cohorts, then among each cohort's seconds, in proportion to what the client saw of
 * the same outcome — and GB-seconds from CloudWatch's Duration. The gateway-side outcomes stay the
 * client's. INIT time is not in the Duration metric: it comes from the simulator's cold starts per
 * invocation, as for a client-only run. Requests stay conserved: offered = the outcomes (+ connection errors).
 */
export function mergeCloudWatch(measured: Timeline, cloudwatch: Timeline, predicted: Timeline, stack: Stack): Timeline {
  const cw = timelineTotals(cloudwatch);
  const client = measured.cohorts.map((c) => cohortTotals(c));
  const perCohort = {} as Record<FunctionOutcome, number[]>;
  for (const o of FUNCTION_SIDE) {
    perCohort[o] = apportion(cw[o], firstWeights([client.map((t) => t[o]), client.map(passed), client.map((t) => t.offered)], client.length));
  }
  const body = responseBytesByOutcome(stack);
  const defaultUnits = stack.api.kind === 'function-url' ? 0 : 1;

  const cohorts = measured.cohorts.map((c, i): CohortTimeline => {
    const ct = client[i];
    const invoked = perCohort.succeeded[i] + perCohort.failed[i] + perCohort.timedOut[i];
    const durationGbSeconds = cw.invoked > 0 ? (cw.gbSeconds * invoked) / cw.invoked : 0;
    const p = predicted.cohorts.find((x) => x.name === c.name);
    const pt = p ? cohortTotals(p) : undefined;
    const initPer = pt && pt.invoked > 0 ? pt.initGbSeconds / pt.invoked : 0;
    const coldPer = pt && pt.invoked > 0 ? pt.coldStarts / pt.invoked : 0;
    // API Gateway units per request (HTTP APIs bill per 512 KB): the cohort's, as the client booked them
    const unitsPer = passed(ct) > 0 ? ct.billedApiRequests / passed(ct) : defaultUnits;

    const source = c.buckets.length > 0 || !FUNCTION_SIDE.some((o) => perCohort[o][i] > 0) ? c.buckets : [emptyTotals()];
    const perBucket = {} as Record<FunctionOutcome, number[]>;
    for (const o of FUNCTION_SIDE) {
      perBucket[o] = apportion(perCohort[o][i], firstWeights([source.map((b) => b[o]), source.map(passed), source.map((b) => b.offered)], source.length));
    }
    const buckets = source.map((b, j) => {
      const t: Totals = { ...b };
      let added = 0;
      let bytes = 0;
      for (const o of FUNCTION_SIDE) {
        const n = perBucket[o][j];
        added += n - b[o];
        bytes += (n - b[o]) * body[o];
        t[o] = n;
      }
      t.invoked = t.succeeded + t.failed + t.timedOut;
      t.offered = b.offered + added;
      t.bytesOut = Math.max(0, b.bytesOut + bytes);
      t.billedApiRequests = passed(t) * unitsPer;
      t.initGbSeconds = t.invoked * initPer;
      t.coldStarts = t.invoked * coldPer;
      t.gbSeconds = (invoked > 0 ? (durationGbSeconds * t.invoked) / invoked : 0) + t.initGbSeconds;
      return t;
    });
    return { ...c, buckets };
  });
  return { ...measured, cohorts };
}

/** The first weight list with anything in it; equal weights when none has. */
function firstWeights(candidates: number[][], n: number): number[] {
  for (const w of candidates) if (w.some((x) => x > 0)) return w;
  return new Array<number>(n).fill(1);
}

/** Splits a whole number in proportion to the weights, in whole numbers that add up to it (largest remainder). */
export function apportion(total: number, weights: number[]): number[] {
  const whole = Math.max(0, Math.round(total));
  const sum = weights.reduce((a, b) => a + Math.max(0, b), 0);
  if (weights.length === 0 || whole === 0 || !(sum > 0)) return weights.map(() => 0);
  const raw = weights.map((w) => (whole * Math.max(0, w)) / sum);
  const out = raw.map(Math.floor);
  let rest = whole - out.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => ({ i, frac: r - Math.floor(r) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (let k = 0; rest > 0; k = (k + 1) % order.length, rest--) out[order[k].i]++;
  return out;
}

export interface CloudWatchReport {
  /** The priced (throttled) timeline. */
  timeline: Timeline;
  /** For the stack's notes. */
  notes: string[];
  warnings: string[];
  /** The collector's own notes (how metrics became outcomes), for the assumptions. */
  assumptions: string[];
  /** `extras.collection`, as `dowsim collect` reports it: what the collection itself cost. */
  collection: Record<string, unknown>;
}

/** Everything a staging run's document says about its CloudWatch collection, and the merged timeline it prices. */
export function cloudWatchReport(measured: Timeline, predicted: Timeline, collected: CollectOutcome, stack: Stack, book: PriceBook): CloudWatchReport {
  const timeline = mergeCloudWatch(measured, collected.timeline, predicted, stack);
  const m = timelineTotals(measured);
  const s = timelineTotals(collected.timeline);
  const from = iso(collected.window.start);
  const to = iso(collected.window.end);
  const notes = [
    'Of those counts, the gateway-side outcomes (wafBlocked, authRejected, gatewayThrottled, quotaExceeded) are the client\'s — CloudWatch cannot tell 429s from 403s and may not count excessive 429s; ' +
      'invocations (succeeded, failed, timedOut), Lambda throttles and GB-seconds (Duration) come from CloudWatch, ' +
      'split among the cohorts in proportion to the client\'s counts of each outcome (CloudWatch sees no cohorts). ' +
      'Billed INIT time and cold starts per invocation are the simulator\'s (not in CloudWatch\'s Duration).',
  ];
  const warnings = [
    `Server-side counts are CloudWatch's for ${from} – ${to} (period ${collected.period} s): the bill takes invocations, errors, Lambda throttles and duration from CloudWatch, and 429s/403s from the client.`,
  ];
  const clientInvoked = m.invoked;
  if (Math.abs(s.invoked - clientInvoked) > Math.max(5, 0.02 * clientInvoked)) {
    warnings.push(
      `CloudWatch counted ${s.invoked.toLocaleString('en-US')} invocations where the client saw ${clientInvoked.toLocaleString('en-US')} answers from the function: ` +
        (s.invoked < clientInvoked
          ? 'the metrics may not have settled yet (a longer --settle), or the stack\'s deployed names do not match the target (check its `deployed` section).'
          : 'something else invoked the function in that window, or requests without an answer (connection errors) still ran.') +
        ' The bill uses CloudWatch\'s count.',
    );
  }
  const clientRejected = GATEWAY_SIDE.reduce((a, o) => a + m[o], 0);
  if (s.gatewayThrottled !== clientRejected) {
    warnings.push(
      `CloudWatch counted ${s.gatewayThrottled.toLocaleString('en-US')} requests turned away before the function, the client ${clientRejected.toLocaleString('en-US')} (429s and 403s): the bill uses the client's.`,
    );
  }
  const lines = getMetricDataLines(collected.metricsRequested, book);
  const bill: Omit<Bill, 'perHour'> = { currency: 'USD', total: lines.reduce((a, l) => a + l.cost, 0), lines };
  return {
    timeline,
    notes,
    warnings,
    assumptions: collected.notes.map((n) => (n.startsWith('CloudWatch') ? n : `CloudWatch: ${n}`)),
    collection: {
      window: { start: from, end: to },
      periodSeconds: collected.period,
      calls: collected.calls,
      retries: collected.retries,
      metricsRequested: collected.metricsRequested,
      endpoint: collected.endpoint,
      bill,
      observed: collected.observed,
    },
  };
}

/** The warning of a run whose CloudWatch counts are missing: why, and how to read them later. */
export function missingCloudWatchWarning(side: ServerSide): string {
  return (
    `CloudWatch was not read: ${side.missing}. The bill is priced from the client's counts (Lambda GB-seconds from the simulator).` +
    (side.collectCommand ? ` To read the same window later: ${side.collectCommand}` : '')
  );
}

function iso(sec: number): string {
  return new Date(sec * 1000).toISOString();
}
