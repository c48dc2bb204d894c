import type { Scenario } from '../scenario/types.ts';
import type { Stack } from '../stack/types.ts';
import type { PriceBook } from '../pricing/types.ts';
import type { Dimension } from './dimension.ts';
import { Evaluator, type Evaluation } from './evaluate.ts';
import { paretoFront, search } from './search.ts';
import { exhaustive, fullGridSize } from './exhaustive.ts';
import { InputError } from '../model/errors.ts';
import { selectBest } from './select.ts';
import { judgedSpan, screeningTick } from './span.ts';
import type { SloClause } from './slo.ts';
import { scenarioTraffic } from './traffic.ts';
import { routeDimensions, stageDimension, usagePlanDimensions } from './throttle-dimensions.ts';
import { wafDimension } from './waf-dimension.ts';
import { quotaDimensions } from './quota-dimension.ts';
import { concurrencyDimensions } from './concurrency-dimension.ts';
import { stackFileObject } from './stack-file.ts';
import { cloudFormationPatch } from './patch-cloudformation.ts';
import type { IacTargets } from '../audit/targets.ts';
import { terraformPatch } from './patch-terraform.ts';
import { serverlessPatch } from './patch-serverless.ts';
import { TUNE_SCHEMA, type TuneDocument, type TunedConfig } from './document.ts';

export interface TuneOptions {
  slo: SloClause[];
  book: PriceBook;
  /** Budget of distinct candidates (default 3,000). */
  maxEvaluations?: number;
  /** Costs within this share of the cheapest count as equally cheap (default 0.01 = 1 %). */
  costTolerance?: number;
  /** Simulator tick for the search in every scenario (default: each its own, span.ts screeningTick); the shortlist is re-checked at 1 s. */
  searchTickSeconds?: number;
  /** false: simulate every candidate the search visits: no implied outcomes, no pruning on cost floors (default true). */
  shortcuts?: boolean;
  /**
   * Simulate every combination of the dimensions' ladders instead of searching (exhaustive.ts),
   * without shortcuts. More than `maxEvaluations` of them is an input error naming both.
   */
  exhaustive?: boolean;
  /** A monotonic clock in milliseconds (the core never reads the clock itself). */
  clock?: () => number;
  /**
   * Told how far a long search got: at most every `progressEverySeconds` (default 5) of `clock`,
   * after a candidate was simulated, the candidates simulated so far (search and re-check), the
   * seconds since the start and, for an exhaustive walk, how many it simulates in all. A search
   * shorter than that tells nothing.
   */
  onProgress?: (p: { simulated: number; seconds: number; of?: number }) => void;
  progressEverySeconds?: number;
  now?: Date;
  /** The user's own resources behind a stack read from IaC: the patches are written onto them (audit/targets.ts). */
  targets?: IacTargets;
}

export interface TuneOutcome {
  doc: TuneDocument;
  /** The recommended stack (the best, or the closest when none meets the SLO). */
  recommended: Stack;
}

/** Every setting the search may change for this stack, bounded by what the scenarios send. */
export function searchSpace(stack: Stack, scenarios: Scenario[]): Dimension[] {
  const traffic = scenarioTraffic(scenarios);
  return [
    stageDimension(stack, traffic),
    ...routeDimensions(stack, traffic),
    ...usagePlanDimensions(stack, traffic),
    ...quotaDimensions(stack, traffic),
    wafDimension(stack, traffic),
    ...concurrencyDimensions(stack, traffic),
  ].filter((d): d is Dimension => d !== undefined);
}

/** Why an exhaustive walk of these dimensions is refused under `max` candidates, and what to pass instead. */
function tooManyForExhaustive(dims: Dimension[], max: number): string {
  const n = fullGridSize(dims);
  const factors = dims.map((d) => `${d.size} ${d.id}`).join(' × ');
  return `--exhaustive simulates every combination of the settings' values: ${n.toLocaleString('en-US')} here (${factors}), more than --max-candidates ${max.toLocaleString('en-US')}; pass --max-candidates ${n} to simulate them all, or drop --exhaustive for the search`;
}

/** The change as CloudFormation and Terraform say it, and as the user's serverless.yml does when the stack was read from one. */
function patchesFor(base: Stack, tuned: Stack, targets: IacTargets | undefined): NonNullable<TuneDocument['patches']> {
  const sls = targets?.language === 'serverless' && targets.serverless ? serverlessPatch(base, tuned, { ...targets, serverless: targets.serverless }) : undefined;
  return { cloudformation: cloudFormationPatch(base, tuned, targets), terraform: terraformPatch(base, tuned, targets), ...(sls !== undefined ? { serverless: sls } : {}) };
}

/**
 * Answers "which throttle settings make this stack cheapest under these attacks while legit users
 * keep the SLO in every scenario?" with the best configuration, the cost/success front and patches.
 */
export function tune(stack: Stack, scenarios: Scenario[], opts: TuneOptions): TuneOutcome {
  const clock = opts.clock ?? (() => 0);
  const t0 = clock();
  const tunedBase: Stack = { ...stack, name: `${stack.name}-tuned` };
  delete tunedBase.file;
  const dims = searchSpace(tunedBase, scenarios);
  const spans: TuneDocument['search']['spans'] = scenarios.map((s) => {
    const span = judgedSpan(s);
    return { ...span, tickSeconds: opts.searchTickSeconds ?? screeningTick(s, span) };
  });
  const ticks = spans.map((s) => s.tickSeconds);
  const tick = Math.max(...ticks);
  const all = opts.exhaustive ?? false;
  const max = opts.maxEvaluations ?? 3000;
  if (all && fullGridSize(dims) > max) throw new InputError([{ path: '--max-candidates', message: tooManyForExhaustive(dims, max) }]);
  const shortcuts = !all && (opts.shortcuts ?? true);
  const tolerance = opts.costTolerance ?? 0.01;
  const ev = new Evaluator(tunedBase, scenarios, dims, opts.slo, opts.book, ticks, shortcuts);
  const every = (opts.progressEverySeconds ?? 5) * 1000;
  let told = t0;
  let fine: Evaluator | undefined;
  const progress = () => {
    const now = clock();
    if (!opts.onProgress || now - told < every) return;
    told = now;
    const simulated = ev.evaluated + (fine && fine !== ev ? fine.evaluated : 0);
    opts.onProgress({ simulated, seconds: (now - t0) / 1000, ...(all && !fine ? { of: fullGridSize(dims) } : {}) });
  };
  ev.onSimulated = progress;
  const walk = all ? exhaustive(ev, dims, tolerance) : undefined;
  const found = walk ?? search(ev, dims, { maxEvaluations: max, prune: shortcuts });
  // what the answer and the front are drawn from: every candidate simulated (an exhaustive walk lets go of those that cannot matter)
  const pool = walk ? walk.kept : ev.all();
  const searched = ev.evaluated;
  spans.forEach((s, i) => (s.runs = ev.runsIn(i)));
  // on 1-second ticks the search is already at full fidelity: its own simulations are the re-check
  fine = tick === 1 ? ev : new Evaluator(tunedBase, scenarios, dims, opts.slo, opts.book, 1, shortcuts);
  fine.onSimulated = progress;
  const picked = selectBest(pool, fine, tolerance);
  const baselineEval = fine.evaluate(dims.map((d) => d.base));
  const elapsed = Math.max(0, (clock() - t0) / 1000);
  const total = fine === ev ? ev.evaluated : ev.evaluated + fine.evaluated;
  const config = (e: Evaluation): TunedConfig => ({
    stack: stackFileObject(e.stack),
    perHour: e.perHour,
    legitSuccess: e.legitSuccess,
    sloMet: e.sloMet,
    changes: e.changes,
    perScenario: scenarios.map((s, i) => ({
      scenario: s.name,
      perHour: e.perHourByScenario[i],
      legitSuccess: e.legitByScenario[i],
      cohortSuccess: e.success[i],
    })),
  });
  const best = picked.best;
  const baseline = config(baselineEval);
  baseline.stack = stackFileObject(stack);
  const doc: TuneDocument = {
    schema: TUNE_SCHEMA,
    generatedAt: (opts.now ?? new Date()).toISOString(),
    scenarios: scenarios.map((s) => s.name),
    stack: { name: stack.name, ...(stack.file ? { file: stack.file } : {}) },
    slo: opts.slo.map((c) => c.text),
    evaluated: total,
    elapsedSeconds: elapsed,
    candidatesPerSecond: elapsed > 0 ? total / elapsed : 0,
    search: {
      dimensions: dims.map((d) => ({ id: d.id, values: d.size })),
      gridSize: found.gridSize,
      searched,
      tickSeconds: tick,
      rechecked: picked.rechecked,
      implied: ev.implied,
      pruned: found.pruned,
      costTolerance: tolerance,
      capped: found.capped,
      exhaustive: all,
      spans,
    },
    prices: { region: opts.book.region, asOf: opts.book.asOf, source: opts.book.source },
    baseline,
    best: best ? config(best) : null,
    ...(best ? {} : { closest: config(picked.closest) }),
    front: paretoFront(pool).map((e) => ({ perHour: e.perHour, legitSuccess: e.legitSuccess, sloMet: e.sloMet, changes: e.changes })),
    patches: best ? patchesFor(tunedBase, best.stack, opts.targets) : null,
  };
  return { doc, recommended: (best ?? picked.closest).stack };
}

