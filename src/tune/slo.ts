import { InputError } from '../model/errors.ts';
import type { Scenario } from '../scenario/types.ts';

/** One SLO clause: the share of a cohort's (or of all legit cohorts') requests that must succeed. */
export interface SloClause {
  text: string; // as the user wrote it, normalized ("legit.success>=0.999")
  /** 'legit': every legit cohort together; otherwise one cohort's name. */
  target: string;
  op: '>=' | '>';
  value: number; // a share in [0, 1]
}

export const DEFAULT_SLO = 'legit.success>=0.999';

const CLAUSE = /^\s*([^\s.<>=]+)\.success\s*(>=|>)\s*(\d+(?:\.\d+)?)(%?)\s*$/;

/**
 * Parses `--slo` expressions ("legit.success>=0.999", "users.success>=99%"); several may be given,
 * repeated or comma-separated. None given is the default (DEFAULT_SLO); an empty one is a mistake.
 * Cohort names are checked against the scenarios: a name that no scenario has would make the SLO
 * vacuous, so it is a mistake.
 */
export function parseSlo(texts: string[], scenarios: Scenario[]): SloClause[] {
  const problems: { path: string; message: string }[] = [];
  const clauses: SloClause[] = [];
  // an --slo with nothing in it (an unset shell variable) is a mistake, not a request for the default
  for (const t of texts) if (t.split(',').every((p) => p.trim() === '')) problems.push({ path: '--slo', message: `expected "<legit|cohort>.success>=<share>" like "legit.success>=0.999", got an empty expression "${t}"` });
  if (problems.length) throw new InputError(problems);
  const parts = texts.flatMap((t) => t.split(',')).filter((t) => t.trim() !== '');
  for (const raw of parts.length ? parts : [DEFAULT_SLO]) {
    const m = CLAUSE.exec(raw);
    if (!m) {
      problems.push({ path: '--slo', message: `expected "<legit|cohort>.success>=<share>" like "legit.success>=0.999" or "users.success>=99%", got "${raw.trim()}"` });
      continue;
    }
    const [, target, op, num, pct] = m;
    // toPrecision: "99.9%" is 0.999, not 0.9990000000000001
    const value = pct ? +(Number(num) / 100).toPrecision(12) : Number(num);
    if (!(value >= 0 && value <= 1)) {
      problems.push({ path: '--slo', message: `expected a share between 0 and 1 (or 0–100%), got "${num}${pct}" in "${raw.trim()}"` });
      continue;
    }
    // no share is above 1: such a clause could never hold, whatever the throttles
    if (op === '>' && value === 1) {
      problems.push({ path: '--slo', message: `"${raw.trim()}" can never hold: a share is at most 1 (100%); for every request to succeed write "${target}.success>=1"` });
      continue;
    }
    if (target !== 'legit' && !scenarios.some((s) => s.cohorts.some((c) => c.name === target))) {
      const names = [...new Set(scenarios.flatMap((s) => s.cohorts.map((c) => c.name)))].join(', ');
      problems.push({ path: '--slo', message: `no scenario has a cohort named "${target}" (cohorts: ${names}; or use "legit")` });
      continue;
    }
    // an SLO keeps users whole: one on an attacker would make tune keep the flood flowing
    if (target !== 'legit' && scenarios.every((s) => s.cohorts.every((c) => c.name !== target || c.role === 'attack'))) {
      const legit = [...new Set(scenarios.flatMap((s) => s.cohorts.filter((c) => c.role === 'legit').map((c) => c.name)))];
      problems.push({ path: '--slo', message: `"${target}" is an attack cohort: an SLO says how much of the legit traffic must succeed (${legit.length ? `legit cohorts: ${legit.join(', ')}; ` : ''}or "legit")` });
      continue;
    }
    clauses.push({ text: `${target}.success${op}${value}`, target, op: op as SloClause['op'], value });
  }
  if (problems.length) throw new InputError(problems);
  return clauses;
}

/** How far `success` falls short of the clause (0 when it holds). */
export function shortfall(clause: SloClause, success: number): number {
  if (clause.op === '>=') return success >= clause.value - 1e-12 ? 0 : clause.value - success;
  return success > clause.value ? 0 : clause.value - success + 1e-12;
}
