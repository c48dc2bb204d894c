import type { Dimension } from './dimension.ts';
import { better, type Candidate, type Evaluation, type Evaluator } from './evaluate.ts';
import { frontOrder, type SearchOutcome } from './search.ts';
import { kinderFirst, SHORTLIST } from './select.ts';

export interface ExhaustiveOutcome extends SearchOutcome {
  /**
   * Every evaluation the answer and the front can need, in the order simulated: the front of all
   * of them, the best by `better`, and every candidate meeting the SLO within the cost tolerance
   * of the cheapest (select.ts reads these alone). The rest are let go as the walk goes on.
   */
  kept: Evaluation[];
}

/** How many evaluations accumulate before those that cannot matter are let go (memory stays flat). */
const COMPACT_EVERY = 4096;

/**
 * The number of combinations of the dimensions' ladders: the configurations `exhaustive` simulates.
 */
export function fullGridSize(dims: readonly Dimension[]): number {
  return dims.reduce((n, d) => n * d.size, 1);
}

/**
 * Every combination of every dimension's ladder, each simulated against every scenario (no grid,
 * no refinement, nothing settled without a simulation): the search's answer checked by brute
 * force, and the whole front. The evaluator must be one without shortcuts. Candidates are taken
 * in odometer order, the first dimension slowest; the answer does not depend on the order.
 */
export function exhaustive(ev: Evaluator, dims: readonly Dimension[], costTolerance: number, compactEvery = COMPACT_EVERY): ExhaustiveOutcome {
  const size = fullGridSize(dims);
  let kept: Evaluation[] = [ev.evaluate(dims.map((d) => d.base))]; // the stack as given first, as search() has it
  // what the walk lets go, the evaluator forgets too (it keeps every candidate it simulated otherwise)
  const compact = () => {
    const needed = stillNeeded(kept, costTolerance);
    const stay = new Set(needed);
    for (const e of kept) if (!stay.has(e)) ev.forget(e.candidate);
    kept = needed;
  };
  const c: Candidate = dims.map(() => 0);
  for (let n = 0; n < size; n++) {
    const e = ev.evaluate(c);
    if (e !== kept[0]) kept.push(e);
    if (kept.length >= compactEvery) compact();
    // next combination: the last dimension fastest
    for (let d = dims.length - 1; d >= 0; d--) {
      if (++c[d] < dims[d].size) break;
      c[d] = 0;
    }
  }
  compact();
  return { gridSize: size, capped: false, pruned: 0, kept };
}

/**
 * What of `all` can still be the answer or on the front, whatever is simulated after:
 * - every one kinder to legit users than all those before it in paretoFront's order (cheapest
 *   first): one that another before it is as kind as is never on the front, whatever else comes
 *   (that other is on it, or was dropped by one at most 10⁻¹² less kind still before both);
 * - the SHORTLIST best by `better`;
 * - of those meeting the SLO within the tolerance of the cheapest that does (the cheapest can
 *   only fall later, so the ones above stay out), each that fewer than SHORTLIST others come
 *   before in select.ts's order (kinderFirst) at no higher cost: those others are within the
 *   tolerance whenever it is, so it could never make the shortlist.
 */
function stillNeeded(all: Evaluation[], costTolerance: number): Evaluation[] {
  const keep = new Set<Evaluation>([all[0]]);
  const sorted = [...all].sort(frontOrder);
  let bestSuccess = -Infinity;
  for (const e of sorted) {
    if (e.legitSuccess > bestSuccess) keep.add(e);
    bestSuccess = Math.max(bestSuccess, e.legitSuccess);
  }
  const ranked = [...all].sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0));
  for (const e of ranked.slice(0, SHORTLIST)) keep.add(e);
  const feasible = ranked.filter((e) => e.sloMet);
  if (feasible.length) {
    const ceiling = feasible[0].perHour * (1 + costTolerance);
    // the costs of those before, ascending
    const before: number[] = [];
    for (const e of feasible.filter((x) => x.perHour <= ceiling).sort(kinderFirst)) {
      const atMost = upperBound(before, e.perHour);
      if (atMost < SHORTLIST) keep.add(e);
      before.splice(atMost, 0, e.perHour);
    }
  }
  // in the order simulated (the walk's), so that what comes after reads as it would unpruned
  return all.filter((e) => keep.has(e));
}

/** How many of the ascending `xs` are at most x. */
function upperBound(xs: number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
