import type { Change } from './dimension.ts';
import type { JudgedSpan } from './span.ts';

export const TUNE_SCHEMA = 'dowsim.tune/1';

/** One configuration as the tune document reports it. */
export interface TunedConfig {
  /** The stack file of this configuration (DESIGN "Stack"); the parser reads it back as is. */
  stack: Record<string, unknown>;
  /** Worst case across the scenarios. */
  perHour: number;
  /** Worst case across the scenarios: the lowest share of legit requests that succeeded. */
  legitSuccess: number;
  sloMet: boolean;
  changes: Change[];
  perScenario: { scenario: string; perHour: number; legitSuccess: number; cohortSuccess: Record<string, number> }[];
}

export interface FrontPoint {
  perHour: number;
  legitSuccess: number;
  sloMet: boolean;
  changes: Change[];
}

/** `dowsim tune --json` (DESIGN "The tune document"). */
export interface TuneDocument {
  schema: typeof TUNE_SCHEMA;
  generatedAt: string;
  scenarios: string[];
  /** The stack tuned (its name and file). */
  stack: { name: string; file?: string };
  slo: string[];
  /** Distinct candidates simulated against every scenario: the search's, plus the shortlist re-checked at 1 s ticks. */
  evaluated: number;
  elapsedSeconds: number;
  candidatesPerSecond: number;
  search: {
    dimensions: { id: string; values: number }[];
    gridSize: number;
    /** Candidates the search simulated, on ticks of `tickSeconds` (per scenario: `spans[].tickSeconds`). */
    searched: number;
    /** The search's coarsest tick (1: the search was at full fidelity and is its own re-check). */
    tickSeconds: number;
    /** The search's best candidates simulated again on 1-second ticks; the recommendation is one of them. */
    rechecked: number;
    /** Candidates the search did not simulate because a simulated one implied their outcome (a looser limiter where the same kind refused nothing). */
    implied: number;
    /** Candidates the search did not simulate because they could not beat a candidate meeting the SLO: even their cost floor was above it, or a scenario run they share with a simulated candidate fails the SLO or costs more. */
    pruned: number;
    costTolerance: number;
    capped: boolean;
    /** true: every combination of the dimensions' values was simulated (`--exhaustive`; `gridSize` of them), not searched. */
    exhaustive: boolean;
    /**
     * Per scenario, the span every candidate was simulated over and priced per hour on: the
     * scenario repeated until its traffic comes round (a diurnal curve's whole period), at most a
     * week (`capped`: the most whole repetitions that fit); `tickSeconds`: the search's tick for it;
     * `runs`: the simulator runs the search made of it (fewer than `searched` where candidates took
     * another's run: alike in every setting the scenario meets, or implied in that scenario).
     */
    spans: (JudgedSpan & { tickSeconds: number; runs?: number })[];
  };
  prices: { region: string; asOf: string; source: string };
  /** The stack as given. */
  baseline: TunedConfig;
  /** The cheapest configuration meeting the SLO in every scenario; null when none does. */
  best: TunedConfig | null;
  /** When no configuration meets the SLO: the one that comes closest. */
  closest?: TunedConfig;
  /** Cost vs legit success, Pareto-optimal, cheapest first. */
  front: FrontPoint[];
  /**
   * The best configuration's changes as IaC; null when no configuration meets the SLO.
   * `serverless`: only when the stack was read from a Serverless Framework serverless.yml.
   */
  patches: { cloudformation: string; terraform: string; serverless?: string } | null;
}
