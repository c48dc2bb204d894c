/**
 * The server side of a live run (DESIGN.md "run/": "start emulator if no target, drive load,
 * collect, price"): what the in-process emulator served, or what CloudWatch recorded for a
 * staging run — read with the same collector as `dowsim collect`, after a visible countdown while
 * CloudWatch's metrics settle (settle-countdown.ts). The merge that prices a staging run from both
 * sides is cloudwatch-merge.ts.
 */
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { CollectOutcome } from '../collect/collect-timeline.ts';
import { isValidPeriod } from '../collect/period.ts';
import type { Emulator } from '../emulator/start-emulator.ts';
import { InputError } from '../model/errors.ts';
import type { Timeline } from '../model/timeline.ts';
import type { Stack } from '../stack/types.ts';
import { waitToSettle } from './settle-countdown.ts';
import { displayUrl, isLoopbackUrl } from '../model/loopback.ts';

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
    (endpointUrl ? ` --endpoint-url ${displayUrl(endpointUrl)}` : '') +
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

/** The warning of a run whose CloudWatch counts are missing: why, and how to read them later. */
export function missingCloudWatchWarning(side: ServerSide): string {
  return (
    `CloudWatch was not read: ${(side.missing ?? '').replace(/\.$/, '')}. The bill is priced from the client's counts (Lambda GB-seconds from the simulator).` +
    (side.collectCommand ? ` To read the same window later: ${side.collectCommand}` : '')
  );
}
