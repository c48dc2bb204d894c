import type { Dimension } from './dimension.ts';
import { better, type Candidate, type Evaluation, type Evaluator } from './evaluate.ts';

/** The coarse grid's largest size: three values on five dimensions; refinement does the rest. */
const MAX_GRID = 256;

export interface SearchOptions {
  /** Stop simulating new candidates past this many (the answer is then the best found so far). */
  maxEvaluations: number;
  /** How many of the grid's best points refinement starts from. */
  starts?: number;
  /** false: never prune on cost floors (to test that pruning changes no answer). */
  prune?: boolean;
}

export interface SearchOutcome {
  gridSize: number;
  /** The budget ran out before refinement settled. */
  capped: boolean;
  /** Distinct candidates never simulated because they could not beat a candidate meeting the SLO: a cost floor above it, or a known run failing the SLO or costing more. */
  pruned: number;
}

/** Relative margin by which a cost floor must exceed a cost to prune: far above float noise, far below any real difference. */
const PRUNE_MARGIN = 1e-6;

/**
 * Coarse grid, then local refinement. The grid crosses every dimension's few coarse values (none,
 * the tightest limit legit traffic allows, a middle and a loose one), shrunk to fit the budget;
 * from its best few points, coordinate descent tries each dimension's neighbours on the fine
 * ladder (next level up and down, other bursts or windows, none) and moves whenever that is
 * better, until nothing is. No randomness: the same inputs give the same answer.
 */
export function search(ev: Evaluator, dims: Dimension[], opts: SearchOptions): SearchOutcome {
  const budget = Math.max(1, opts.maxEvaluations);
  const starts = opts.starts ?? 3;
  const prune = opts.prune ?? true;
  ev.evaluate(dims.map((d) => d.base)); // the stack as given is always a candidate
  const grid = coarseGrid(dims, Math.max(1, Math.min(MAX_GRID, Math.floor(budget / 3))));
  let capped = false;
  const pruned = new Set<string>();
  const room = () => {
    if (ev.evaluated < budget) return true;
    capped = true;
    return false;
  };
  // the costs of the cheapest `starts` candidates meeting the SLO so far, cheapest first
  const cheapest: number[] = [];
  const note = (e: Evaluation) => {
    if (!e.sloMet) return;
    cheapest.push(e.perHour);
    cheapest.sort((a, b) => a - b).splice(starts);
  };
  note(ev.all()[0]);
  // cheapest floors first: the candidates that can beat the others are simulated before those
  // they make pointless (the order changes which are simulated, not which are the best); among
  // equal floors the tightest settings first, "none" last, so that a looser candidate's outcome
  // can be implied by a tighter one already simulated (implied.ts) instead of the other way round
  const order = grid.map((c, i) => ({ c, i, floor: ev.floor(c) })).sort((a, b) => a.floor - b.floor || tighterFirst(a.c, b.c) || a.i - b.i);
  const queue = [...order];
  for (let k = 0; k < queue.length; k++) {
    const { c } = queue[k];
    // Refinement starts from the grid's best `starts` points. A candidate whose floor is above
    // `starts` candidates that meet the SLO, or that is known to fail the SLO, would be worse than
    // each of them (dearer if it met the SLO, behind them all if not), so it could not be a start:
    // simulating it changes nothing.
    if (prune && cheapest.length >= starts && !ev.peek(c) && cannotBeat(ev, c, cheapest[starts - 1])) {
      pruned.add(c.join(','));
      continue;
    }
    // one already known to fail the SLO (a scenario's run it takes fails it) can be a start only
    // while too few others meet the SLO (after that, cannotBeat above prunes it): it waits until
    // the rest of the grid has been seen
    if (prune && cheapest.length < starts && k < order.length && !ev.peek(c) && ev.prospect(c).fails) {
      queue.push(queue[k]);
      continue;
    }
    if (!room()) break;
    note(ev.evaluate(c));
  }
  const ranked = ev.all().sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0));
  for (const start of ranked.slice(0, starts)) descend(ev, dims, start, room, prune ? pruned : undefined);
  // a candidate pruned once may have been simulated later from another point of the walk
  const never = [...pruned].filter((k) => !ev.peek(k.split(',').map(Number)));
  return { gridSize: grid.length, capped, pruned: never.length };
}

function descend(ev: Evaluator, dims: Dimension[], start: Evaluation, room: () => boolean, pruned: Set<string> | undefined): void {
  let cur = start;
  for (let improved = true; improved; ) {
    improved = false;
    for (let d = 0; d < dims.length; d++) {
      for (const j of dims[d].neighbors(cur.candidate[d])) {
        const c = [...cur.candidate.slice(0, d), j, ...cur.candidate.slice(d + 1)];
        let next = ev.peek(c);
        if (!next) {
          // a move needs a better candidate; one that cannot cost less than `cur` if it meets the
          // SLO, or that is known to fail it, cannot be better than a `cur` that meets it, so the
          // walk goes on as if it had been tried
          if (pruned && cur.sloMet && cannotBeat(ev, c, cur.perHour)) {
            pruned.add(c.join(','));
            continue;
          }
          if (!room()) return;
          next = ev.evaluate(c);
        }
        if (better(next, cur)) {
          cur = next;
          improved = true;
        }
      }
    }
  }
}

/**
 * Whether candidate c, not simulated, is sure to be worse than a candidate meeting the SLO at
 * `perHour`: its cost floor is above that, or what is already known of it (Evaluator.prospect)
 * says so: a scenario's run it would take fails the SLO, or those runs alone cost more. The floor
 * is asked first: candidates alike in what is billed share it, where a prospect writes a stack.
 */
function cannotBeat(ev: Evaluator, c: Candidate, perHour: number): boolean {
  const above = (f: number) => f > perHour * (1 + PRUNE_MARGIN);
  if (above(ev.floor(c))) return true;
  const p = ev.prospect(c);
  return p.fails || above(p.floor);
}

/**
 * Orders two grid points setting by setting: a set value before none (the loosest), lower ladder
 * indices (lower levels) before higher ones. Equal floors keep pruning the same whatever the order
 * among them (a candidate meeting the SLO costs at least its floor), so this changes only which
 * of them are simulated and which implied.
 */
export function tighterFirst(a: Candidate, b: Candidate): number {
  for (let d = 0; d < a.length; d++) {
    if (a[d] === b[d]) continue;
    if (a[d] === 0) return 1;
    if (b[d] === 0) return -1;
    return a[d] - b[d];
  }
  return 0;
}

/** Every combination of the dimensions' coarse values; dimensions lose their middle values until it fits. */
export function coarseGrid(dims: Dimension[], max: number): Candidate[] {
  const choices = dims.map((d) => [...d.coarse]);
  const size = () => choices.reduce((n, c) => n * c.length, 1);
  while (size() > max) {
    // thin the dimension with the most choices, keeping none, the base and its tightest value
    let widest = 0;
    choices.forEach((c, i) => {
      if (c.length > choices[widest].length) widest = i;
    });
    const c = choices[widest];
    if (c.length <= 2) break;
    const keep = new Set([0, dims[widest].base, c[1]]);
    const drop = [...c].reverse().find((x) => !keep.has(x));
    if (drop === undefined) break;
    c.splice(c.indexOf(drop), 1);
  }
  let out: Candidate[] = [[]];
  for (const c of choices) out = out.flatMap((prefix) => c.map((v) => [...prefix, v]));
  return out;
}

/** The order paretoFront walks candidates in: cheapest first, then kindest to legit users, fewest changes, key. */
export const frontOrder = (a: Evaluation, b: Evaluation): number => a.perHour - b.perHour || b.legitSuccess - a.legitSuccess || a.changes.length - b.changes.length || (a.key < b.key ? -1 : 1);

/**
 * The Pareto front of cost against legit success: the candidates no other beats on both (at most
 * as expensive and at least as kind to users, one of them strictly), cheapest first.
 */
export function paretoFront(all: Evaluation[]): Evaluation[] {
  const sorted = [...all].sort(frontOrder);
  const front: Evaluation[] = [];
  let bestSuccess = -Infinity;
  for (const e of sorted) {
    if (e.legitSuccess > bestSuccess + 1e-12) {
      front.push(e);
      bestSuccess = e.legitSuccess;
    }
  }
  return front;
}
