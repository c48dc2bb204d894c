import type { Dimension } from './dimension.ts';
import { better, type Candidate, type Evaluation, type Evaluator } from './evaluate.ts';

/** The coarse grid's largest size: three values on five dimensions; refinement does the rest. */
const MAX_GRID = 256;

export interface SearchOptions {
  /** Stop simulating new candidates past this many (the answer is then the best found so far). */
  maxEvaluations: number;
  /** How many of the grid's best points refinement starts from. */
  starts?: number;
}

export interface SearchOutcome {
  gridSize: number;
  /** The budget ran out before refinement settled. */
  capped: boolean;
}

/**
 * Coarse grid, then local refinement. The grid crosses every dimension's few coarse values (none,
 * the tightest limit legit traffic allows, a middle and a loose one), shrunk to fit the budget;
 * from its best few points, coordinate descent tries each dimension's neighbours on the fine
 * ladder (next level up and down, other bursts or windows, none) and moves whenever that is
 * better, until nothing is. No randomness: the same inputs give the same answer.
 */
export function search(ev: Evaluator, dims: Dimension[], opts: SearchOptions): SearchOutcome {
  const budget = Math.max(1, opts.maxEvaluations);
  ev.evaluate(dims.map((d) => d.base)); // the stack as given is always a candidate
  const grid = coarseGrid(dims, Math.max(1, Math.min(MAX_GRID, Math.floor(budget / 3))));
  let capped = false;
  const room = () => {
    if (ev.evaluated < budget) return true;
    capped = true;
    return false;
  };
  for (const c of grid) {
    if (!room()) break;
    ev.evaluate(c);
  }
  const ranked = ev.all().sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0));
  for (const start of ranked.slice(0, opts.starts ?? 3)) descend(ev, dims, start, room);
  return { gridSize: grid.length, capped };
}

function descend(ev: Evaluator, dims: Dimension[], start: Evaluation, room: () => boolean): void {
  let cur = start;
  for (let improved = true; improved; ) {
    improved = false;
    for (let d = 0; d < dims.length; d++) {
      for (const j of dims[d].neighbors(cur.candidate[d])) {
        const seen = ev.peek([...cur.candidate.slice(0, d), j, ...cur.candidate.slice(d + 1)]);
        if (!seen && !room()) return;
        const next = seen ?? ev.evaluate([...cur.candidate.slice(0, d), j, ...cur.candidate.slice(d + 1)]);
        if (better(next, cur)) {
          cur = next;
          improved = true;
        }
      }
    }
  }
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

/**
 * The Pareto front of cost against legit success: the candidates no other beats on both (at most
 * as expensive and at least as kind to users, one of them strictly), cheapest first.
 */
export function paretoFront(all: Evaluation[]): Evaluation[] {
  const sorted = [...all].sort((a, b) => a.perHour - b.perHour || b.legitSuccess - a.legitSuccess || a.changes.length - b.changes.length || (a.key < b.key ? -1 : 1));
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
