import { better, type Evaluation, type Evaluator } from './evaluate.ts';
import { tighterFirst } from './search.ts';

export interface Selection {
  /** The recommendation: meets the SLO at full fidelity; undefined when no short-listed candidate does. */
  best?: Evaluation;
  /** The full-fidelity evaluation that comes closest when none meets the SLO. */
  closest: Evaluation;
  /** Short-listed candidates simulated again at full fidelity (free when the search already was). */
  rechecked: number;
}

/** How many of the search's best candidates are simulated again at full fidelity. */
export const SHORTLIST = 12;

/** The order among candidates equally cheap (within the tolerance): the kindest to legit users first, then the fewest changes, then the cheapest. */
export const kinderFirst = (a: Evaluation, b: Evaluation): number => b.legitSuccess - a.legitSuccess || a.changes.length - b.changes.length || a.perHour - b.perHour;

/**
 * Picks the recommendation from what the search simulated. The search's cheapest candidates that
 * met the SLO (or came closest) are simulated again at full fidelity; of those still meeting it,
 * every one within `costTolerance` of the cheapest counts as equally cheap, and the one kindest to
 * legit users wins, then the one with fewer changes. Without a tolerance a change that saves a
 * hundredth of a cent an hour at the price of a few users' requests would be recommended.
 */
export function selectBest(searched: Evaluation[], fine: Evaluator, costTolerance: number): Selection {
  const ranked = [...searched].sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0));
  const feasible = ranked.filter((e) => e.sloMet);
  const floor = feasible.length ? feasible[0].perHour * (1 + costTolerance) : Infinity;
  // within the tolerance, the kindest to users and the simplest first: they are the likely answer
  const near = feasible.filter((e) => e.perHour <= floor).sort(kinderFirst);
  const shortlist = [...feasible.slice(0, 1), ...near, ...ranked].slice(0, SHORTLIST);
  // simulated tightest first, so that a looser candidate can take a tighter one's outcome (implied.ts);
  // read back in the shortlist's order
  const unique = [...new Map(shortlist.map((e) => [e.key, e.candidate])).values()];
  for (const c of unique.sort(tighterFirst)) fine.evaluate(c);
  const seen = new Set<string>();
  const checked: Evaluation[] = [];
  for (const e of shortlist) {
    if (seen.has(e.key)) continue;
    seen.add(e.key);
    checked.push(fine.evaluate(e.candidate));
  }
  const closest = checked.reduce((a, b) => (better(b, a) ? b : a));
  const ok = checked.filter((e) => e.sloMet);
  if (!ok.length) return { closest, rechecked: checked.length };
  const cheapest = Math.min(...ok.map((e) => e.perHour));
  const best = ok
    .filter((e) => e.perHour <= cheapest * (1 + costTolerance) + 1e-15)
    .reduce((a, b) => {
      if (Math.abs(a.legitSuccess - b.legitSuccess) > 1e-12) return b.legitSuccess > a.legitSuccess ? b : a;
      if (a.changes.length !== b.changes.length) return b.changes.length < a.changes.length ? b : a;
      return better(b, a) ? b : a;
    });
  return { best, closest, rechecked: checked.length };
}
