import type { CohortResult } from '../model/result.ts';
import type { Totals } from '../model/totals.ts';
import type { PriceBook } from '../pricing/types.ts';
import type { Scenario } from '../scenario/types.ts';
import type { Stack } from '../stack/types.ts';
import { priceVariant } from '../cost/stack-result.ts';
import { simulate } from '../simulate/engine.ts';
import { wafPerHour } from './cost-floor.ts';
import type { Dimension } from './dimension.ts';
import type { Candidate } from './evaluate.ts';
import { addRefusals, emptyRefusals, standsFor, type Refusals } from './implied.ts';

/** One scenario's run of a candidate, as the search reads it: its $/hour, totals and what its limiters refused. */
export interface ScenarioRun {
  perHour: number;
  totals: Totals;
  cohorts: Record<string, CohortResult>;
  /** What the limiters refused in this scenario alone. */
  refusals: Refusals;
}

interface Simulated extends ScenarioRun {
  candidate: Candidate;
  stack: Stack;
}

/**
 * One scenario's runs for every candidate of a search, each simulated at most once. A candidate
 * takes the run of another
 * - alike in every setting the scenario sees (scenario-scope.ts): the same run, or
 * - simulated, where every setting it sees that differs is a looser one of a limiter that refused
 *   nothing in that run (implied.ts's rule, judged in this scenario alone: a route throttle that
 *   cuts the users of one scenario may refuse nothing in another, whose run then stands for the
 *   candidate without it). Only what a setting itself costs (a WAF rule) is priced again.
 */
export class ScenarioRuns {
  private readonly byKey = new Map<string, ScenarioRun>();
  private readonly simulatedRuns: Simulated[] = [];
  private made = 0;
  /** Whether a run can stand for another candidate's: without, none is kept (an exhaustive walk's memory stays flat). */
  private readonly shares: boolean;
  /** WAF's $/hour by web ACL rules and requests offered. */
  private readonly wafCosts = new Map<string, number>();

  constructor(
    readonly scenario: Scenario,
    readonly dims: readonly Dimension[],
    /** Per dimension: whether this scenario's requests can meet its limiter. */
    readonly seen: readonly boolean[],
    readonly book: PriceBook,
    readonly seconds: number,
    readonly tickSeconds: number,
    /** false: take no run by implication (to test the rule, or where the candidates' own implication already said no). */
    readonly implication: boolean,
  ) {
    this.shares = implication || seen.includes(false);
  }

  /** Simulator runs made. */
  get simulations(): number {
    return this.made;
  }

  run(stack: Stack, candidate: Candidate): ScenarioRun {
    return this.known(stack, candidate) ?? this.remember(candidate, this.simulate(stack, candidate));
  }

  /**
   * The candidate's run when it needs no simulation: one alike in what this scenario sees, or
   * implied by a simulated one (kept for the candidate, as `run` keeps it).
   */
  known(stack: Stack, candidate: Candidate): ScenarioRun | undefined {
    const run = this.byKey.get(this.keyOf(candidate));
    if (run) return run;
    const by = this.implication ? this.simulatedRuns.find((r) => this.implies(r, candidate)) : undefined;
    return by ? this.remember(candidate, this.repriced(by, stack)) : undefined;
  }

  private keyOf(candidate: Candidate): string {
    return candidate.map((v, d) => (this.seen[d] ? v : '*')).join(',');
  }

  private remember(candidate: Candidate, run: ScenarioRun): ScenarioRun {
    if (this.shares) this.byKey.set(this.keyOf(candidate), run);
    return run;
  }

  private implies(r: Simulated, c: Candidate): boolean {
    for (let d = 0; d < this.dims.length; d++) {
      const from = r.candidate[d];
      if (c[d] === from || !this.seen[d]) continue;
      if (!standsFor(this.dims[d], from, c[d], r.refusals, this.dims, c)) return false;
    }
    return true;
  }

  /** `by`'s run on another stack: the same requests ended the same way; only WAF's own price may differ. */
  private repriced(by: Simulated, stack: Stack): ScenarioRun {
    return { perHour: this.repricedWaf(by.perHour, by.stack, stack, by.totals.offered), totals: by.totals, cohorts: by.cohorts, refusals: by.refusals };
  }

  /**
   * $/hour `perHour` of a run on `from` would be on `to`, the same requests ending the same way:
   * WAF's lines priced again when the stacks' web ACLs bill differently (one has none, or they
   * count other rules), else exactly `perHour`, as simulating `to` would give it.
   */
  repricedWaf(perHour: number, from: Stack, to: Stack, offered: number): number {
    if (from.waf?.rules === to.waf?.rules) return perHour; // wafLines reads nothing else of the stack
    return perHour - this.wafCost(from, offered) + this.wafCost(to, offered);
  }

  private wafCost(stack: Stack, offered: number): number {
    const key = `${stack.waf?.rules ?? '-'}/${offered}`;
    let cost = this.wafCosts.get(key);
    if (cost === undefined) this.wafCosts.set(key, (cost = wafPerHour(stack, offered, this.book, this.seconds)));
    return cost;
  }

  private simulate(stack: Stack, candidate: Candidate): ScenarioRun {
    const S = this.seconds;
    const peaks = { concurrency: [] as number[] };
    const timeline = simulate(this.scenario, stack, { horizonSeconds: S, bucketSeconds: S, tickSeconds: this.tickSeconds, peaks, wafTrace: true });
    const priced = priceVariant(timeline, stack, this.book, S);
    const refusals = emptyRefusals();
    addRefusals(refusals, priced, this.scenario);
    refusals.concurrency = peaks.concurrency;
    // kept for candidates alike: totals and bill, not the timeline
    const run: Simulated = { perHour: priced.bill.perHour, totals: priced.totals, cohorts: priced.cohorts, refusals, candidate: [...candidate], stack };
    this.made++;
    if (this.implication) this.simulatedRuns.push(run);
    return run;
  }
}
