import type { Scenario } from '../scenario/types.ts';
import type { Stack } from '../stack/types.ts';
import type { PriceBook } from '../pricing/types.ts';
import { judgedSpan } from './span.ts';
import type { Change, Dimension } from './dimension.ts';
import { shortfall, type SloClause } from './slo.ts';
import { reservedWithinAccount } from './concurrency-dimension.ts';
import { emptyRefusals, implies, mergeRefusals, type Refusals } from './implied.ts';
import { costFloor, minimumSucceeded, type Offered } from './cost-floor.ts';
import { dimensionsSeen } from './scenario-scope.ts';
import { writableCopy } from './stack-copy.ts';
import { ScenarioRuns, type ScenarioRun } from './scenario-runs.ts';

/** A candidate configuration: one ladder index per dimension. */
export type Candidate = number[];

/** What one candidate did across the scenarios. */
export interface Evaluation {
  key: string;
  candidate: Candidate;
  stack: Stack;
  /** Worst case across the scenarios: the highest $/hour. */
  perHour: number;
  perHourByScenario: number[];
  /** Worst case: the lowest share of legit requests that succeeded in any scenario (1 without legit traffic). */
  legitSuccess: number;
  legitByScenario: number[];
  /** Per scenario, per cohort: share of its requests that succeeded. */
  success: Record<string, number>[];
  sloMet: boolean;
  /** Sum of how far each SLO clause falls short in each scenario (0 when met). */
  shortfall: number;
  changes: Change[];
  /** false: not simulated, its outcome implied by a simulated candidate's (implied.ts). */
  simulated: boolean;
  /** What the limiters refused across the scenarios (what implied.ts needs). */
  refusals: Refusals;
}

type Figures = Omit<Evaluation, 'key' | 'candidate' | 'stack' | 'changes'>;

/**
 * Prices candidates: each is the base stack with the dimensions' values written in, simulated
 * against every scenario over the span it is judged over (span.ts: until its traffic comes
 * round, a diurnal curve included), priced per hour. Scenarios are parsed
 * once; each candidate costs one simulator run per scenario, and a candidate seen before costs
 * nothing (the search revisits many), nor does one whose outcome a simulated one implies.
 */
export class Evaluator {
  private readonly cache = new Map<string, Evaluation>();
  /** Seconds simulated per scenario (span.ts). */
  readonly durations: number[];
  /** Simulated candidates: they may imply others' outcomes. */
  private readonly simulatedOnes: Evaluation[] = [];
  /**
   * Cost floors by the values of the dimensions on the bill (Dimension.priced): the floor's bill
   * reads nothing else a dimension sets (no throttle, quota or reservation is billed), so
   * candidates alike there share one floor, and one not simulated needs no stack written for it.
   */
  private readonly floors = new Map<string, number>();
  private readonly pricedDims: number[];
  /** Stacks written for a floor, kept for the candidate's evaluation (a clone per candidate was measurable). */
  private readonly stacks = new Map<string, Stack>();
  /** What each scenario offers every candidate (from the first simulation). */
  private offered?: Offered[];
  private simulations = 0;
  private impliedCount = 0;
  /** Per scenario: its runs, shared by candidates alike in what it sees or implied by one simulated (scenario-runs.ts). */
  private readonly runs: ScenarioRuns[];
  /** Called after each candidate simulated (tune's progress). */
  onSimulated?: () => void;

  constructor(
    readonly base: Stack,
    readonly scenarios: Scenario[],
    readonly dims: Dimension[],
    readonly slo: SloClause[],
    readonly book: PriceBook,
    /** Simulator tick in seconds, one for all scenarios or one each: 1 is full fidelity; the search may use coarser ticks and re-check. */
    readonly tickSeconds: number | readonly number[] = 1,
    /** false: simulate every candidate, even one whose outcome a simulated one implies (to test that rule). */
    readonly implication = true,
  ) {
    this.durations = scenarios.map((s) => judgedSpan(s).seconds);
    this.pricedDims = dims.flatMap((d, i) => (d.priced ? [i] : []));
    const probe = (d: number) => (dims[d].size > 1 ? this.stackFor(dims.map((x, i) => (i === d ? (x.base === 0 ? 1 : x.base) : x.base))) : undefined);
    // without shortcuts every candidate is simulated in every scenario (to test that sharing changes nothing)
    this.runs = scenarios.map((s, i) => {
      const seen = implication ? dimensionsSeen(dims, s, probe) : dims.map(() => true);
      const tick = typeof tickSeconds === 'number' ? tickSeconds : tickSeconds[i];
      // one scenario meeting every setting: its runs' implication is the candidates' (evaluate), tried already
      const runImplication = implication && (scenarios.length > 1 || seen.includes(false));
      return new ScenarioRuns(s, dims, seen, book, this.durations[i], tick, runImplication);
    });
  }

  /** Distinct candidates simulated so far (against every scenario). */
  get evaluated(): number {
    return this.simulations;
  }

  /** Simulator runs so far, summed over the scenarios (a run shared by candidates, or implied, counts once). */
  get scenarioRuns(): number {
    return this.runs.reduce((n, r) => n + r.simulations, 0);
  }

  /** Simulator runs so far in scenario i. */
  runsIn(i: number): number {
    return this.runs[i].simulations;
  }

  /** Distinct candidates whose outcome was implied by a simulated one, not simulated. */
  get implied(): number {
    return this.impliedCount;
  }

  all(): Evaluation[] {
    return [...this.cache.values()];
  }

  stackFor(candidate: Candidate): Stack {
    const stack = writableCopy(this.base);
    this.dims.forEach((d, i) => d.apply(stack, candidate[i]));
    return stack;
  }

  /**
   * Lets a simulated candidate's evaluation go (an exhaustive walk keeps only what its answer can
   * need): asked again, it is simulated again. Only for an evaluator without shortcuts, where no
   * other candidate's outcome was taken from it.
   */
  forget(candidate: Candidate): void {
    this.cache.delete(candidate.join(','));
  }

  /** The evaluation of a candidate already simulated, if any. */
  peek(candidate: Candidate): Evaluation | undefined {
    return this.cache.get(candidate.join(','));
  }

  /**
   * The least $/hour the candidate can cost in its dearest scenario if it meets the SLO (cost-floor.ts);
   * 0 before anything was simulated.
   */
  floor(candidate: Candidate): number {
    const offered = this.offered;
    if (!offered) return 0;
    const key = this.pricedDims.map((d) => candidate[d]).join(',');
    let f = this.floors.get(key);
    if (f === undefined) {
      const stack = this.stackFor(candidate);
      this.stacks.set(candidate.join(','), stack);
      f = Math.max(...offered.map((o, i) => costFloor(stack, o, minimumSucceeded(this.slo, o), this.book, this.durations[i])));
      this.floors.set(key, f);
    }
    return f;
  }

  /**
   * What is certain of a candidate not yet simulated: a floor on its $/hour should it meet the SLO
   * (its cost floor, and the $/hour of every scenario whose run it would take without a simulation:
   * one alike in what that scenario sees, or implied), and whether one of those runs already fails
   * the SLO (the SLO must hold in every scenario). A combination AWS would refuse fails outright.
   */
  prospect(candidate: Candidate): { floor: number; fails: boolean } {
    let floor = this.floor(candidate);
    let fails = false;
    if (!this.offered) return { floor, fails };
    const key = candidate.join(',');
    let stack = this.stacks.get(key);
    if (!stack) this.stacks.set(key, (stack = this.stackFor(candidate)));
    if (!reservedWithinAccount(stack)) return { floor: Infinity, fails: true };
    for (const runs of this.runs) {
      const run = runs.known(stack, candidate);
      if (!run) continue;
      floor = Math.max(floor, run.perHour);
      if (judge(run, this.slo).shortfall > 0) fails = true;
    }
    return { floor, fails };
  }

  evaluate(candidate: Candidate): Evaluation {
    const key = candidate.join(',');
    const seen = this.cache.get(key);
    if (seen) return seen;
    const stack = this.stacks.get(key) ?? this.stackFor(candidate);
    this.stacks.delete(key);
    if (!reservedWithinAccount(stack)) return this.remember(key, candidate, stack, this.invalid());
    const by = this.implication ? this.simulatedOnes.find((e) => implies(this.dims, e, candidate)) : undefined;
    if (by) {
      this.impliedCount++;
      return this.remember(key, candidate, stack, this.repriced(by, stack));
    }
    this.simulations++;
    const e = this.remember(key, candidate, stack, this.simulate(stack, candidate));
    if (this.implication) this.simulatedOnes.push(e);
    this.onSimulated?.();
    return e;
  }

  /** `by`'s outcome on another stack: the same requests ended the same way; only WAF's own price differs. */
  private repriced(by: Evaluation, stack: Stack): Figures {
    const perHourByScenario = by.perHourByScenario.map((p, i) => this.runs[i].repricedWaf(p, by.stack, stack, this.offered![i].all));
    const { legitSuccess, legitByScenario, success, sloMet, shortfall, refusals } = by;
    return { perHour: Math.max(...perHourByScenario), perHourByScenario, legitSuccess, legitByScenario, success, sloMet, shortfall, refusals, simulated: false };
  }

  private simulate(stack: Stack, candidate: Candidate): Figures {
    const offered: Offered[] = [];
    const refusals: Refusals = emptyRefusals();
    const perHourByScenario: number[] = [];
    const success: Record<string, number>[] = [];
    const legitByScenario: number[] = [];
    let short = 0;
    this.scenarios.forEach((_, i) => {
      const priced = this.runs[i].run(stack, candidate);
      perHourByScenario.push(priced.perHour);
      mergeRefusals(refusals, priced.refusals);
      const judged = judge(priced, this.slo);
      offered.push(judged.offered);
      legitByScenario.push(judged.legit);
      success.push(judged.shares);
      short += judged.shortfall;
    });
    this.offered ??= offered;
    return {
      perHour: Math.max(...perHourByScenario),
      perHourByScenario,
      legitSuccess: Math.min(1, ...legitByScenario),
      legitByScenario,
      success,
      sloMet: short === 0,
      shortfall: short,
      simulated: true,
      refusals,
    };
  }

  private remember(key: string, candidate: Candidate, stack: Stack, figures: Figures): Evaluation {
    const changes = this.dims.flatMap((d, i) => d.changes(candidate[i]));
    const e: Evaluation = { key, candidate: [...candidate], stack, ...figures, changes };
    this.cache.set(key, e);
    return e;
  }

  /** A combination AWS would refuse (functions reserving too much together): never an answer, never on the front. */
  private invalid(): Figures {
    const n = this.scenarios.length;
    return {
      perHour: Infinity,
      perHourByScenario: Array(n).fill(Infinity),
      legitSuccess: 0,
      legitByScenario: Array(n).fill(0),
      success: Array.from({ length: n }, () => ({})),
      sloMet: false,
      shortfall: Infinity,
      simulated: false,
      refusals: emptyRefusals(),
    };
  }
}

/** One scenario's run as the SLO reads it: what was offered, each cohort's and the legit cohorts' success, and how far the SLO falls short. */
function judge(run: ScenarioRun, slo: SloClause[]): { offered: Offered; shares: Record<string, number>; legit: number; shortfall: number } {
  const shares: Record<string, number> = {};
  const byCohort: Record<string, number> = {};
  let legitOffered = 0;
  let legitSucceeded = 0;
  for (const [name, c] of Object.entries(run.cohorts)) {
    byCohort[name] = c.totals.offered;
    shares[name] = c.totals.offered > 0 ? c.totals.succeeded / c.totals.offered : 1;
    if (c.role === 'legit') {
      legitOffered += c.totals.offered;
      legitSucceeded += c.totals.succeeded;
    }
  }
  const legit = legitOffered > 0 ? legitSucceeded / legitOffered : 1;
  let short = 0;
  for (const clause of slo) {
    const value = clause.target === 'legit' ? legit : shares[clause.target];
    if (value !== undefined) short += shortfall(clause, value);
  }
  return { offered: { all: run.totals.offered, legit: legitOffered, byCohort }, shares, legit, shortfall: short };
}

/** Whether a is the better answer: meets the SLO, then cheaper, then kinder to users, then fewer changes. */
export function better(a: Evaluation, b: Evaluation): boolean {
  if (a.sloMet !== b.sloMet) return a.sloMet;
  if (!a.sloMet && Math.abs(a.shortfall - b.shortfall) > 1e-12) return a.shortfall < b.shortfall;
  const tol = 1e-9 * Math.max(1e-9, Math.abs(a.perHour), Math.abs(b.perHour));
  if (Math.abs(a.perHour - b.perHour) > tol) return a.perHour < b.perHour;
  if (Math.abs(a.legitSuccess - b.legitSuccess) > 1e-12) return a.legitSuccess > b.legitSuccess;
  if (a.changes.length !== b.changes.length) return a.changes.length < b.changes.length;
  return a.key < b.key;
}
