/**
 * One live run, start to finish: check the target (before anything is contacted), estimate what a
 * staging run costs, start the in-process emulator when there is no target, drive the scenario
 * with load/, then put measured, server-side and predicted counts side by side and price them.
 * An interrupted run or a target that died still ends here, with what was measured.
 */
import { randomInt } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../emulator/start-emulator.ts';
import { dispatch, type DispatchReport } from '../load/dispatcher.ts';
import { IdentityPlan } from '../load/identity.ts';
import { Recorder } from '../load/recorder.ts';
import { ArrivalSchedule, peakRate, type ArrivalProcess } from '../load/schedule.ts';
import { warmUpDriver } from '../load/warm-up.ts';
import { InputError } from '../model/errors.ts';
import type { ResultDocument } from '../model/result.ts';
import { timelineTotals, type Timeline } from '../model/timeline.ts';
import { formatDuration } from '../model/units.ts';
import type { PriceBook } from '../pricing/types.ts';
import { scenarioDuration } from '../scenario/profile.ts';
import type { Scenario } from '../scenario/types.ts';
import { simulate } from '../simulate/engine.ts';
import type { Stack } from '../stack/types.ts';
import { planApiKeys, readApiKeysFile } from './api-keys.ts';
import { planCohorts } from './cohort-plan.ts';
import { lambdaUsageNote, withLambdaUsage } from './lambda-usage.ts';
import { DEFAULT_MAX_COST_USD, describeEstimate, enforceCostCeiling, estimateRunCost } from './preflight.ts';
import { ProgressLine } from './progress.ts';
import { cohortsWithoutAnswers, lastAnswerSeconds, runResult } from './run-result.ts';
import { defaultConnections, MAX_DEFAULT_CONNECTIONS } from './connection-sizing.ts';
import { driverWarnings } from './driver-warnings.ts';
import { cloudWatchReport } from './cloudwatch-merge.ts';
import { missingCloudWatchWarning, readServerSide, resolveServerMode, type ServerSide, type ServerSideOptions } from './server-side.ts';
import { checkTarget, type CheckedTarget } from './target.ts';

export interface LiveRunOptions {
  scenario: Scenario;
  stack: Stack;
  /** URL of a deployed API; none: the in-process emulator for `stack`. */
  target?: string;
  allowTargets?: string[];
  /** --duration, seconds. */
  durationSeconds?: number;
  maxRequests?: number;
  /** Ceiling on a staging run's predicted cost, USD (default DEFAULT_MAX_COST_USD). */
  maxCost?: number;
  yes?: boolean;
  horizonSeconds: number;
  /** Default random: the exact count at random times, so no cohort locks into phase with a token bucket's refills. */
  arrivals?: ArrivalProcess;
  /** Seed of random or Poisson arrivals; default: a fresh random one, reported in `extras.run.seed`. */
  seed?: number;
  /** Cap on connections (= in-flight bound); default: sized by the driver from the peak rate and measured latency. */
  connections?: number;
  /** How late a request may go out before it is dropped instead (default 50 ms). */
  lateToleranceMs?: number;
  apiKeysFile?: string;
  /** Where the run's per-second NDJSON file goes. */
  runDir: string;
  book: PriceBook;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  /** Lines for the user (the cost estimate, where the run file is): stderr in the CLI. */
  say?: (line: string) => void;
  /** A terminal to draw the progress line on (only pass a TTY). */
  progress?: NodeJS.WriteStream;
  /**
   * Where server-side counts come from (server-side.ts): the in-process emulator, CloudWatch (read
   * after the run, once its metrics settle) or none. Default: the emulator when dowsim starts it,
   * else none (the CLI asks for CloudWatch with a real --target).
   */
  server?: ServerSideOptions;
  /** Seed for the emulator's synthetic function (reproducible runs). */
  emulatorSeed?: number;
}

export interface LiveRunResult {
  doc: ResultDocument;
  runFile: string;
  report: DispatchReport;
}

export const DEFAULT_LATE_TOLERANCE_MS = 50;

/** Runs the scenario live and answers the result document (source 'emulator' or 'staging'). */
export async function liveRun(o: LiveRunOptions): Promise<LiveRunResult> {
  const say = o.say ?? (() => {});
  const bounded = o.durationSeconds !== undefined || o.maxRequests !== undefined;
  // Safety first: a refused target is refused from the URL text alone, before anything else.
  const checked: CheckedTarget | undefined = o.target !== undefined ? checkTarget(o.target, { allowTargets: o.allowTargets ?? [], bounded }) : undefined;
  const staging = checked !== undefined;
  // a --server that cannot work is refused before any traffic, like a bad target
  if (o.server?.mode !== undefined) resolveServerMode(o.server.mode, checked, undefined);

  const scenarioSeconds = scenarioDuration(o.scenario);
  const planned = o.durationSeconds ?? scenarioSeconds;
  if (!(planned > 0)) throw new InputError([{ path: '--duration', message: 'the scenario sends nothing (every cohort lasts 0 s): give --duration' }]);

  const env = o.env ?? process.env;
  const keys = planApiKeys(o.scenario.cohorts, staging && !checked.loopback ? 'staging' : 'emulator', {
    env,
    file: o.apiKeysFile ? readApiKeysFile(o.apiKeysFile) : undefined,
  });

  if (checked && !checked.loopback) {
    const estimate = estimateRunCost(o.scenario, o.stack, o.book, planned, o.maxRequests);
    say(describeEstimate(estimate, checked.hostname, planned));
    enforceCostCeiling(estimate, o.maxCost ?? DEFAULT_MAX_COST_USD, o.yes ?? false);
  }

  const plan = planCohorts(o.scenario, o.stack, checked?.basePath ?? '', keys.keys);
  const peak = peakRate(plan.schedule, planned, scenarioSeconds);
  const connections = o.connections ?? MAX_DEFAULT_CONNECTIONS;
  const sizing = o.connections === undefined ? { initial: defaultConnections(peak, o.stack) } : undefined;

  const tolerance = o.lateToleranceMs ?? DEFAULT_LATE_TOLERANCE_MS;
  const arrivals: ArrivalProcess = o.arrivals ?? 'random';
  const seeded = arrivals !== 'uniform';
  const seed = o.seed ?? randomInt(1, 2 ** 31);
  try {
    mkdirSync(o.runDir, { recursive: true });
  } catch (err) {
    throw new InputError([{ path: '--out', message: `cannot create ${o.runDir} for the run file: ${(err as NodeJS.ErrnoException).code ?? String(err)}` }]);
  }
  let emulator: Emulator | undefined;
  let origin: string;
  let display: string;
  if (checked) {
    origin = checked.origin;
    display = checked.display;
  } else {
    emulator = await startEmulator({ stack: o.stack, port: 0, seed: o.emulatorSeed });
    const local = checkTarget(emulator.apiUrl, { allowTargets: [], bounded: true });
    origin = local.origin;
    display = `in-process emulator at ${local.display}/`;
  }

  const startTime = new Date();
  const runFile = join(o.runDir, `${slug(o.scenario.name)}-${slug(o.stack.name)}-${startTime.toISOString().replace(/[:.]/g, '-')}.run.ndjson`);
  let report: DispatchReport;
  let measured: Timeline;
  let server: Timeline | undefined;
  let side: ServerSide | undefined;
  let progress: ProgressLine | undefined;
  try {
    // A cold driver drops requests in its first second at high rates; warm it on a private server.
    if (peak >= 1000) await warmUpDriver();
    const schedule = new ArrivalSchedule(plan.schedule, {
      durationSeconds: planned,
      arrivals,
      seed,
      maxRequests: o.maxRequests,
      periodSeconds: scenarioSeconds > 0 ? scenarioSeconds : undefined,
    });
    const recorder = new Recorder({
      cohorts: o.scenario.cohorts.map((c) => ({ name: c.name, role: c.role })),
      source: staging ? 'staging' : 'emulator',
      startTime: new Date(),
      plannedSeconds: planned,
      runFile,
      billedUnits: plan.billedUnits,
      header: { scenario: o.scenario.name, stack: o.stack.name, target: display, arrivals, ...(seeded ? { seed } : {}) },
    });
    say(`Driving ${o.scenario.name} at ${display} for ${formatDuration(round3(planned))}${o.maxRequests ? ` (at most ${o.maxRequests.toLocaleString('en-US')} requests)` : ''}; per-second counts go to ${runFile}`);
    progress = o.progress ? new ProgressLine(o.progress, planned) : undefined;
    const startEpoch = recorder.startTime.getTime() / 1000;
    report = await dispatch({
      origin,
      cohorts: plan.dispatch,
      identities: new IdentityPlan(plan.schedule.map((c) => c.clients)),
      apiKind: o.stack.api.kind,
      schedule,
      recorder,
      connections,
      sizing,
      lateToleranceMs: tolerance,
      // Our give-up time sits above the stack's own integration timeout, so a timeout is the target's answer.
      requestTimeoutMs: Math.max(5, o.stack.api.integrationTimeout + 5) * 1000,
      signal: o.signal,
      onTick: (el) => progress?.update(el, recorder.runningTotals()),
    });
    progress?.update(report.durationSeconds, recorder.runningTotals());
    progress?.end();
    measured = recorder.finish(report.durationSeconds, { reason: report.reason });
    const endEpoch = startEpoch + report.durationSeconds;
    if (emulator) await settle(emulator);
    side = await readServerSide({
      options: o.server,
      stack: o.stack,
      start: new Date(startEpoch * 1000),
      end: new Date(endEpoch * 1000),
      bucketSeconds: measured.bucketSeconds,
      emulator,
      env,
    });
    server = side.server;
  } finally {
    progress?.end();
    await emulator?.close();
  }

  const runSeconds = report.durationSeconds;
  // The simulator on the same inputs for the stretch actually run: what every cohort should have met.
  const window = Math.max(runSeconds, 1e-3);
  const predicted = simulate(o.scenario, o.stack, { horizonSeconds: window, bucketSeconds: measured.bucketSeconds, throttled: true });
  // A CloudWatch collection prices function-side counts from CloudWatch, gateway-side ones from the client.
  const cloudwatch = side?.collected ? cloudWatchReport(measured, predicted, side.collected, o.stack, o.book) : undefined;
  const usage = withLambdaUsage(measured, cloudwatch ? undefined : server, predicted);
  // which route (and so which function) served what: the emulator saw it; else the simulator's split
  const routes = server?.routes ?? predicted.routes;
  const windowTimeline = { ...(cloudwatch?.timeline ?? usage.timeline), durationSeconds: window, ...(routes ? { routes } : {}) };

  const m = timelineTotals(measured);
  const warnings = [...driverWarnings(report, measured, { runSeconds, planned, connections, tolerance }), ...keys.warnings];

  const assumptions = [
    'Live runs book each request in the second it was due; outcomes are classified from the response (status, body, headers) the way API Gateway words them.',
    `Requests the driver could not send within ${tolerance} ms of their due time are counted as dropped, never sent late.`,
    `Arrivals: ${arrivals}${seeded ? ` (seed ${seed}; --seed ${seed} repeats this schedule)` : ' (evenly spaced: cohorts can lock into phase with a token bucket\'s refills, so which cohort gets the tokens is then a matter of phase)'}.`,
  ];
  if (cloudwatch) {
    warnings.push(...cloudwatch.warnings);
    assumptions.push(...cloudwatch.assumptions);
  }
  if (side?.missing) {
    warnings.push(missingCloudWatchWarning(side));
  } else if (checked && !checked.loopback && !server) {
    const start = new Date(measured.startTime ?? startTime.toISOString());
    const end = new Date(start.getTime() + runSeconds * 1000);
    warnings.push(
      'No server-side counts in this report. CloudWatch has them a few minutes after the run: ' +
        `dowsim collect --stack ${o.stack.file ?? o.stack.name} --start ${start.toISOString()} --end ${end.toISOString()}`,
    );
  }

  const doc = runResult({
    scenario: o.scenario,
    stack: o.stack,
    book: o.book,
    horizonSeconds: o.horizonSeconds,
    source: staging ? 'staging' : 'emulator',
    measured,
    windowTimeline,
    server,
    predicted,
    runSeconds,
    notes: [...(cloudwatch ? cloudwatch.notes : [lambdaUsageNote(usage.from, emulator !== undefined)]), ...keys.notes],
    warnings,
    assumptions,
    extras: {
      run: {
        target: display,
        plannedSeconds: planned,
        durationSeconds: runSeconds,
        stopReason: report.reason,
        ...(report.reason === 'target-unreachable' ? { lastAnswerSeconds: lastAnswerSeconds(measured) } : {}),
        arrivals,
        ...(seeded ? { seed } : {}),
        maxRequests: o.maxRequests,
        connections,
        lateToleranceMs: tolerance,
        peakConnections: report.peakConnections,
        peakInFlight: report.peakInFlight,
        dropped: m.dropped,
        connectionErrors: m.connectionErrors,
        cohortsWithoutAnswers: cohortsWithoutAnswers(measured),
        runFile,
        server: side?.mode ?? 'none',
      },
      ...(cloudwatch ? { collection: cloudwatch.collection } : {}),
    },
  });
  return { doc, runFile, report };
}

/** Waits (briefly) until the emulator has booked every request it answered. */
async function settle(emulator: Emulator): Promise<void> {
  for (let i = 0; i < 100 && emulator.metrics.inFlight > 0; i++) await new Promise((r) => setTimeout(r, 10));
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'run';
}

function round3(s: number): number {
  return Math.round(s * 1000) / 1000;
}
