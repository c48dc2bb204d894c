import type { Stack } from '../stack/types.ts';
import type { Refusals } from './implied.ts';

/** One setting the search may change, as the user's stack file names it: `api.stage.rate`. */
export interface Change {
  path: string;
  from: number | string | null; // null: not set
  to: number | string | null;
}

/** A value on a dimension's ladder: `level` orders values, `variant` groups alike ones (burst factor, WAF window). */
export interface Rung<V> {
  value: V | null; // null: the setting removed (no throttle, no rule)
  level: number;
  variant: number;
}

/** The outcome a limiter gives the requests it refuses (the outcome vocabulary, DESIGN "Outcomes"). */
export type LimiterOutcome = 'wafBlocked' | 'gatewayThrottled' | 'quotaExceeded' | 'lambdaThrottled';

/**
 * One dimension of the search space: an ordered ladder of values for one setting (index 0 is always
 * "none"), which of them the coarse grid tries, and how a value is written into a stack.
 */
export interface Dimension {
  id: string;
  size: number;
  base: number; // the ladder index of the stack's own setting
  coarse: number[];
  /** What the setting's limiter makes of a request it refuses. */
  refuses: LimiterOutcome;
  /** Which requests the limiter sees, when not all: one route's, or those holding one usage plan's keys. */
  scope?: { route?: string; plan?: string };
  /** true: the setting is on the bill itself (a WAF rule and its inspections), so a candidate's cost floor depends on it. */
  priced?: boolean;
  /**
   * Whether value j lets through every request value i lets through, whatever the traffic (j is at
   * least as loose: a higher rate and burst, a higher WAF limit on the same window, none). The
   * search uses it to know a candidate's outcome without simulating it (implied.ts).
   */
  looser(i: number, j: number): boolean;
  /**
   * The id of the dimension whose limit takes over where this one is "none" (a route without a
   * throttle of its own takes the stage's): "none" is then as loose as that dimension's value.
   */
  noneFallsTo?: string;
  /**
   * Whether value j, though tighter, would have answered a run that refused nothing exactly as the
   * run's own value did, by what the run recorded (Refusals: a reserved concurrency above the
   * run's peak demand). Absent: no such knowledge.
   */
  answersAsBefore?(j: number, run: Refusals): boolean;
  /** Indices worth trying next to i when refining: the next level up and down, the other variants, none. */
  neighbors(i: number): number[];
  apply(stack: Stack, i: number): void;
  changes(i: number): Change[];
  describe(i: number): string;
}

/** Builds a Dimension from its rungs (sorted here) and how to apply/describe a value. */
export function ladderDimension<V>(spec: {
  id: string;
  base: V | null;
  rungs: Rung<V>[];
  coarse: (rungs: Rung<V>[]) => number[];
  same: (a: V, b: V) => boolean;
  refuses: LimiterOutcome;
  scope?: { route?: string; plan?: string };
  priced?: boolean;
  /** Whether b lets through every request a does (both set; "none" is handled here: it is the loosest unless `noneLoosest` is false or another dimension's limit takes over, `noneFallsTo`). */
  looser: (a: V, b: V) => boolean;
  noneLoosest?: boolean;
  noneFallsTo?: string;
  /** Dimension.answersAsBefore for a set value. */
  answersAsBefore?: (b: V, run: Refusals) => boolean;
  apply: (stack: Stack, value: V | null) => void;
  changes: (from: V | null, to: V | null) => Change[];
  describe: (value: V | null) => string;
}): Dimension {
  const rungs: Rung<V>[] = [{ value: null, level: -1, variant: -1 }];
  for (const r of [...spec.rungs].sort((a, b) => a.level - b.level || a.variant - b.variant)) {
    if (r.value !== null && !rungs.some((x) => x.value !== null && spec.same(x.value, r.value!))) rungs.push(r);
  }
  let base = 0;
  if (spec.base !== null) {
    base = rungs.findIndex((r) => r.value !== null && spec.same(r.value, spec.base!));
    if (base < 0) {
      rungs.push({ value: spec.base, level: Number.NaN, variant: -2 });
      base = rungs.length - 1;
    }
  }
  const coarse = [...new Set([0, base, ...spec.coarse(rungs)])].sort((a, b) => a - b);
  return {
    id: spec.id,
    size: rungs.length,
    base,
    coarse,
    neighbors(i) {
      const r = rungs[i];
      const out = new Set<number>([0]);
      const levels = [...new Set(rungs.filter((x) => x.variant === r.variant && x.value !== null).map((x) => x.level))].sort((a, b) => a - b);
      const at = levels.indexOf(r.level);
      rungs.forEach((x, j) => {
        if (x.value === null || j === i) return;
        if (x.level === r.level) out.add(j); // other variants at this level
        if (x.variant === r.variant && at >= 0 && (x.level === levels[at - 1] || x.level === levels[at + 1])) out.add(j);
      });
      if (r.value === null || Number.isNaN(r.level)) for (const c of coarse) out.add(c);
      out.delete(i);
      return [...out].sort((a, b) => a - b);
    },
    refuses: spec.refuses,
    ...(spec.scope ? { scope: spec.scope } : {}),
    ...(spec.priced ? { priced: true } : {}),
    ...(spec.noneFallsTo !== undefined ? { noneFallsTo: spec.noneFallsTo } : {}),
    looser(i, j) {
      if (i === j) return true;
      const a = rungs[i].value;
      const b = rungs[j].value;
      if (b === null) return spec.noneLoosest !== false && spec.noneFallsTo === undefined;
      return a !== null && spec.looser(a, b);
    },
    ...(spec.answersAsBefore
      ? {
          answersAsBefore: (j: number, run: Refusals) => {
            const b = rungs[j].value;
            return b !== null && spec.answersAsBefore!(b, run);
          },
        }
      : {}),
    apply: (stack, i) => spec.apply(stack, rungs[i].value),
    changes: (i) => (i === base ? [] : spec.changes(spec.base, rungs[i].value)),
    describe: (i) => spec.describe(rungs[i].value),
  };
}

/** Round up to two significant digits: throttles people can read (113.7 → 120, 0.123 → 0.13). */
export function niceUp(x: number): number {
  if (!(x > 0)) return 0;
  const e = Math.floor(Math.log10(x)) - 1;
  const m = 10 ** e;
  return +(Math.ceil(x / m - 1e-9) * m).toPrecision(2);
}

/**
 * Candidate values from `lo` (what legit traffic needs) to `hi` (past which a limit does nothing):
 * fine steps just above lo, where the cheapest limit that keeps users whole usually sits, then
 * geometric steps up to hi. Empty when there is no room between them.
 */
export function ladder(lo: number, hi: number, opts: { min?: number; steps?: number } = {}): number[] {
  const min = opts.min ?? 0;
  const from = Math.max(min, niceUp(lo));
  if (!(hi > from)) return [];
  const out = new Set<number>();
  for (const f of [1, 1.05, 1.1, 1.25, 1.5]) out.add(niceUp(from * f));
  const steps = opts.steps ?? 8;
  const ratio = (hi / from) ** (1 / steps);
  for (let k = 1; k <= steps; k++) out.add(niceUp(from * ratio ** k));
  return [...out].filter((v) => v >= min && v <= hi).sort((a, b) => a - b);
}

/** Three coarse picks from a ladder's levels: the tightest, the geometric middle, the loosest. */
export function spread(levels: number[]): number[] {
  if (levels.length <= 3) return levels;
  return [levels[0], levels[Math.floor(levels.length / 2)], levels[levels.length - 1]];
}
