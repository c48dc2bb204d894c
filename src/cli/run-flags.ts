/** The flags of `dowsim run`, each checked, and all their mistakes reported together. */
import { isValidPeriod } from '../collect/period.ts';
import type { ArrivalProcess } from '../load/schedule.ts';
import { InputError } from '../model/errors.ts';
import { parseDuration } from '../model/units.ts';
import { configuredCloudWatchEndpoint, resolveServerMode, type ServerMode } from '../run/server-side.ts';
import type { OutputOptions } from './options.ts';
import { parseHorizon } from './simulation-input.ts';

export interface RunFlags extends OutputOptions {
  stack?: string;
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

function positiveInteger(flag: string, v: string | undefined, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v.replace(/[_,]/g, ''));
  if (!/^\s*[\d_,]+\s*$/.test(v) || !Number.isInteger(n) || n < 1 || n > max) {
    throw new InputError([{ path: flag, message: `expected a whole number from 1 to ${max.toLocaleString('en-US')}, got "${v}"` }]);
  }
  return n;
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

export /** Every flag of `dowsim run` checked at once, so a user sees all their mistakes together. */
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
  const arrivals = flags.arrivals ?? 'random';
  if (!['random', 'poisson', 'uniform'].includes(arrivals)) problems.push({ path: '--arrivals', message: `expected random, poisson or uniform, got "${arrivals}"` });
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
    arrivals: arrivals as ArrivalProcess,
    seed,
    connections,
    lateToleranceMs,
    server: serverSide.server!,
    cloudwatch: serverSide.cloudwatch,
  };
}
