/**
 * Did the model hold for each cohort? A live run's measured outcomes (and the server's) held
 * against the simulator's prediction for the same window, cohort by cohort and outcome by outcome.
 * All cohorts together can agree while the tokens went to the wrong cohort (users served 93 of 100
 * in one run, 9 in the next): only the per-cohort view answers "did the declared throttle apply?".
 */
import { OUTCOMES } from '../model/outcomes.ts';
import type { CohortDeviation, DeviationRow } from '../model/result.ts';
import { cohortTotals, type Timeline } from '../model/timeline.ts';
import type { Totals } from '../model/totals.ts';
import { formatDuration } from '../model/units.ts';
import type { Scenario } from '../scenario/types.ts';
import { arrivalsBetween, profileDuration } from '../scenario/profile.ts';

const COMPARED = ['offered', ...OUTCOMES, 'invoked', 'dropped'] as const;

/**
 * The stated tolerance: a cohort's outcome deviates when measured and predicted differ by more
 * than this share of the cohort's offered requests AND by more than chance explains
 * (3 √predicted + 5 requests: arrivals are random, and small counts wobble).
 */
export const COHORT_TOLERANCE = 0.15;

export function toleranceText(): string {
  return `${Math.round(COHORT_TOLERANCE * 100)} % of the cohort's offered requests (and more than 3√predicted + 5 requests, what chance explains)`;
}

/** Per cohort, per outcome: measured, server (when it saw the cohort), predicted, and how far apart. */
export function cohortDeviation(measured: Timeline, predicted: Timeline, server?: Timeline): CohortDeviation {
  const out: CohortDeviation = {};
  for (const c of measured.cohorts) {
    const m = cohortTotals(c);
    const pc = predicted.cohorts.find((x) => x.name === c.name);
    const sc = server?.cohorts.find((x) => x.name === c.name);
    const p = pc ? cohortTotals(pc) : undefined;
    const s = sc ? cohortTotals(sc) : undefined;
    const rows: Record<string, DeviationRow> = {};
    for (const k of COMPARED) {
      const pv = p?.[k] ?? 0;
      const row: DeviationRow = { measured: m[k], predicted: pv, relative: relative(m[k], pv), ofOffered: m.offered > 0 ? (m[k] - pv) / m.offered : 0 };
      if (s) row.server = s[k];
      row.beyondTolerance = beyond(m[k], pv, m.offered);
      rows[k] = row;
    }
    // own properties: a cohort named "__proto__" stays a plain key
    Object.defineProperty(out, c.name, { value: { role: c.role, outcomes: rows }, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function beyond(measured: number, predicted: number, offered: number): boolean {
  const d = Math.abs(measured - predicted);
  return d > COHORT_TOLERANCE * offered && d > 3 * Math.sqrt(Math.max(predicted, 0)) + 5;
}

/** (measured − predicted) / predicted; 0 when both are 0, 1 when only the measurement has any. */
export function relative(measured: number, predicted: number): number {
  if (predicted === 0) return measured === 0 ? 0 : 1;
  return (measured - predicted) / predicted;
}

const NOT_OUTCOMES = ['offered', 'invoked', 'dropped'];

/** The loud warnings: one per cohort whose outcomes left the tolerance, naming every such outcome. */
export function deviationWarnings(dev: CohortDeviation): string[] {
  const out: string[] = [];
  for (const [name, c] of Object.entries(dev)) {
    const off = c.outcomes.offered;
    const bad = Object.entries(c.outcomes).filter(([k, r]) => !NOT_OUTCOMES.includes(k) && r.beyondTolerance);
    if (bad.length === 0) continue;
    const parts = bad.map(([k, r]) => `${k} ${n(r.measured)} measured vs ${n(r.predicted)} predicted`);
    const dropped = c.outcomes.dropped?.measured ?? 0;
    // requests the driver never sent change what the target saw: say so before blaming the target
    const why =
      dropped > COHORT_TOLERANCE * (off.predicted || 1)
        ? `The driver could not send ${n(dropped)} of this cohort's requests on time (dropped), so the target saw less traffic than predicted: raise --connections or run on a less busy machine before reading this as the target's doing.`
        : 'The target did not behave as the stack file declares (check its throttles, keys and Lambda settings), or the run was too short to settle.';
    out.push(`MISMATCH in cohort "${name}" (${c.role}, ${n(off.measured)} offered): ${parts.join('; ')} — beyond the tolerance of ${toleranceText()}. ${why}`);
  }
  return out;
}

/**
 * Cohorts that sent nothing in the window: the run tells the user which part of the scenario it
 * left out, and from when that cohort would send.
 */
export function silentCohortWarnings(scenario: Scenario, measured: Timeline, runSeconds: number): string[] {
  const out: string[] = [];
  for (const c of measured.cohorts) {
    const t: Totals = cohortTotals(c);
    if (t.offered + t.dropped > 0) continue;
    const cohort = scenario.cohorts.find((x) => x.name === c.name);
    const from = cohort ? firstSendingSecond(cohort.rate) : undefined;
    const when = from === undefined ? 'it sends nothing at all in this scenario' : `its traffic starts ${formatDuration(from)} into the scenario; give --duration longer than that to include it`;
    out.push(`Cohort "${c.name}" (${c.role}) sent no requests in this ${formatDuration(round(runSeconds))} run: ${when}.`);
  }
  return out;
}

/** When a rate profile first sends (to the second), or undefined when it never does. */
function firstSendingSecond(segments: Scenario['cohorts'][number]['rate']): number | undefined {
  const end = profileDuration(segments);
  let t = 0;
  for (const s of segments) {
    const t1 = t + s.duration;
    if (arrivalsBetween(segments, t, t1) > 0) {
      // inside the first busy segment, find the first second with traffic
      for (let u = t; u < t1; u += Math.max(1, (t1 - t) / 10_000)) if (arrivalsBetween(segments, u, Math.min(t1, u + 1)) > 1e-9) return Math.floor(u);
      return t;
    }
    t = t1;
    if (t >= end) break;
  }
  return undefined;
}

function n(x: number): string {
  return Math.round(x).toLocaleString('en-US');
}

function round(s: number): number {
  return Math.round(s * 10) / 10;
}
