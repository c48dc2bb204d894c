/**
 * A live run's result document, on one basis (DESIGN.md "The result document"): the horizon
 * figures — with and without throttling, legit traffic alone, savings, damage, collateral — all
 * come from the simulator on the run's scenario and stack, exactly as `dowsim simulate` computes
 * them; the run checks that model cohort by cohort, and its own window is priced as what it is.
 * Nothing measured is ever multiplied up to the horizon: a short run is mostly start-up (full
 * token buckets, cold starts, a WAF window still filling), and scaling that up breaks the very
 * ceilings the throttles set.
 */
import { ASSUMPTIONS, collateral, priceVariant } from '../cost/stack-result.ts';
import { RESULT_SCHEMA, type ResultDocument, type RunWindow, type StackResult, type VariantResult } from '../model/result.ts';
import type { Timeline } from '../model/timeline.ts';
import { formatDuration } from '../model/units.ts';
import type { PriceBook } from '../pricing/types.ts';
import type { Scenario } from '../scenario/types.ts';
import { SIMULATOR_ASSUMPTIONS, simulateStack } from '../simulate/result.ts';
import type { Stack } from '../stack/types.ts';
import { COHORT_TOLERANCE, cohortDeviation, deviationWarnings, silentCohortWarnings, toleranceText } from './cohort-reconcile.ts';
import { deviation, throttleWarnings } from './reconcile.ts';

export interface RunResultInput {
  scenario: Scenario;
  stack: Stack;
  book: PriceBook;
  horizonSeconds: number;
  source: 'emulator' | 'staging';
  /** Client-observed counts of the window. */
  measured: Timeline;
  /** The measured window as priced: Lambda usage borrowed, or merged with CloudWatch. */
  windowTimeline: Timeline;
  server?: Timeline;
  /** The simulator on the same inputs for the window. */
  predicted: Timeline;
  runSeconds: number;
  /** Sentences for the stack's notes beyond the basis (how Lambda usage was found, keys…). */
  notes: string[];
  warnings: string[];
  assumptions: string[];
  extras: Record<string, unknown>;
}

/** The document of one live run. */
export function runResult(i: RunResultInput): ResultDocument {
  const stack = horizonStack(i);
  const cohorts = cohortDeviation(i.measured, i.predicted, i.server);
  const warnings = [...i.warnings, ...silentCohortWarnings(i.scenario, i.measured, i.runSeconds), ...deviationWarnings(cohorts), ...throttleWarnings(i.scenario, i.stack, i.measured)];
  const run = (i.extras.run ?? {}) as Record<string, unknown>;
  return {
    schema: RESULT_SCHEMA,
    generatedAt: new Date().toISOString(),
    scenario: i.scenario.name,
    scenarioDescription: i.scenario.description,
    ...(i.scenario.file ? { scenarioFile: i.scenario.file } : {}),
    horizonSeconds: i.horizonSeconds,
    source: i.source,
    prices: { region: i.book.region, asOf: i.book.asOf, source: i.book.source },
    stacks: [stack],
    assumptions: [...ASSUMPTIONS, ...SIMULATOR_ASSUMPTIONS, ...i.assumptions],
    measured: i.measured,
    ...(i.server ? { server: i.server } : {}),
    predicted: i.predicted,
    deviation: deviation(i.measured, i.predicted, i.server),
    cohortDeviation: cohorts,
    warnings,
    extras: { ...i.extras, run: { ...run, tolerance: { ofOffered: COHORT_TOLERANCE, text: toleranceText() } } },
  };
}

/** The horizon figures from the simulator (as `simulate` has them), with the run's own window beside them. */
function horizonStack(i: RunResultInput): StackResult {
  const stack = simulateStack(i.scenario, i.stack, i.book, { horizonSeconds: i.horizonSeconds });
  const window = runWindow(i);
  stack.runWindow = window;
  const h = formatDuration(i.horizonSeconds);
  const w = formatDuration(round3(window.seconds));
  const m = window.measured.bill.total;
  const p = window.predicted.bill.total;
  stack.notes = [
    `Horizon figures (bills with and without throttling, legit traffic alone, savings, damage, collateral): the simulator on this scenario and stack over ${h}, one model for all of them, as \`dowsim simulate\` computes them. ` +
      `This ${w} run checks that model: every cohort's measured outcomes are held against the simulator's prediction for the same ${w} (tolerance: ${toleranceText()}).`,
    `This run's own cost (its ${w} window, measured counts priced, not scaled up): ${usd(m)}; the simulator predicted ${usd(p)} for the same window.`,
    ...i.notes,
    ...(stack.notes ?? []),
  ];
  if (i.stack.file) stack.file = i.stack.file;
  return stack;
}

function runWindow(i: RunResultInput): RunWindow {
  const seconds = Math.max(i.runSeconds, 1e-3);
  return {
    seconds,
    // its timeline (the measured counts as priced: Lambda usage borrowed, or CloudWatch's) rides along
    measured: priceVariant({ ...i.windowTimeline, durationSeconds: seconds }, i.stack, i.book, seconds),
    predicted: bare(priceVariant({ ...i.predicted, durationSeconds: seconds }, i.stack, i.book, seconds)),
    collateral: { measured: collateral(i.windowTimeline), predicted: collateral(i.predicted) },
  };
}

/** A variant without its timeline (the document carries the predicted timeline once, as `predicted`). */
function bare(v: VariantResult): VariantResult {
  const { timeline: _timeline, ...rest } = v;
  return rest;
}

/** Whether any request of the window got an HTTP answer, per cohort. */
export function cohortsWithoutAnswers(measured: Timeline): string[] {
  const out: string[] = [];
  for (const c of measured.cohorts) {
    let sent = 0;
    let answered = 0;
    for (const b of c.buckets) {
      sent += b.offered;
      answered += b.offered - b.connectionErrors;
    }
    if (sent > 0 && answered === 0) out.push(c.name);
  }
  return out;
}

/**
 * When the target last answered, in seconds after the start: the end of the last second in which
 * any request of the run got an answer (requests are booked in the second they were due). 0 when
 * nothing ever answered.
 */
export function lastAnswerSeconds(measured: Timeline): number {
  let last = -1;
  for (const c of measured.cohorts) {
    c.buckets.forEach((b, k) => {
      if (b.offered - b.connectionErrors > 0 && k > last) last = k;
    });
  }
  return last < 0 ? 0 : Math.min(measured.durationSeconds, (last + 1) * measured.bucketSeconds);
}

function usd(x: number): string {
  if (x === 0) return '$0';
  if (Math.abs(x) < 0.01) return `$${x.toPrecision(2)}`;
  return `$${x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

function round3(s: number): number {
  return Math.round(s * 1000) / 1000;
}
