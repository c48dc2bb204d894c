/**
 * Scenario rules that span fields, checked on the raw file data so they are reported together
 * with the schema's problems (a user fixes everything in one pass).
 */
import { MAX_RATE } from '../input/fields.ts';
import type { RawProblem } from '../input/problems.ts';
import { child, finite, has, isMapValue, list, seconds } from '../input/raw.ts';
import { SHAPES } from './schema.ts';

/** Random segments are drawn step by step; this keeps one segment's table of steps small. */
export const MAX_RANDOM_STEPS = 1_000_000;

export function scenarioRules(data: Record<string, unknown>): RawProblem[] {
  const problems: RawProblem[] = [];
  const firstByName = new Map<string, number>();
  list(data, 'cohorts').forEach((cohort, i) => {
    if (!isMapValue(cohort)) return;
    const name = cohort.name;
    if (typeof name === 'string') {
      const first = firstByName.get(name);
      if (first !== undefined) {
        problems.push({ path: ['cohorts', i, 'name'], message: `expected a unique cohort name, but cohorts[${first}] is also "${name}"` });
      } else firstByName.set(name, i);
    }
    if (has(cohort, 'request') && has(cohort, 'requests')) {
      problems.push({
        path: ['cohorts', i, 'requests'],
        message: 'expected either request or requests, not both: a mix lists every request with its weight',
      });
    }
    list(cohort, 'rate').forEach((segment, j) => {
      if (isMapValue(segment)) problems.push(...segmentRules(segment, ['cohorts', i, 'rate', j]));
    });
  });
  // the scenario repeats every time its longest cohort ends, and the simulator steps whole
  // seconds: a repetition shorter than one would be counted as lasting one (half the requests)
  const lengths = list(data, 'cohorts').map((c) => (isMapValue(c) ? list(c, 'rate').reduce<number | undefined>((t, s) => (t === undefined || !isMapValue(s) ? undefined : add(t, seconds(s.duration))), 0) : undefined));
  if (lengths.length > 0 && lengths.every((l) => l !== undefined)) {
    const longest = Math.max(...(lengths as number[]));
    if (longest > 0 && longest < 1) {
      problems.push({ path: ['cohorts'], message: `expected the scenario to last at least 1s (its longest cohort's rate segments add up to ${+(longest * 1000).toFixed(3)}ms): it repeats every time it ends, and dowsim counts time in whole seconds` });
    }
  }
  return problems;
}

function add(t: number, d: number | undefined): number | undefined {
  return d === undefined ? undefined : t + d;
}

function segmentRules(segment: Record<string, unknown>, path: (string | number)[]): RawProblem[] {
  const problems: RawProblem[] = [];
  const shapes = SHAPES.filter((s) => has(segment, s));
  const known = 'rate, ramp, exponential, pulse, random or diurnal';
  if (shapes.length === 0) {
    problems.push({ path, message: `expected exactly one shape (${known}) beside the duration, got none` });
  } else if (shapes.length > 1) {
    problems.push({ path, message: `expected exactly one shape (${known}), got ${shapes.join(' and ')}` });
  }
  const length = seconds(segment.duration);

  const random = child(segment, 'random');
  if (random) {
    const min = has(random, 'min') ? finite(random.min) : 0;
    const max = finite(random.max);
    if (min !== undefined && max !== undefined && max < min) {
      problems.push({ path: [...path, 'random', 'max'], message: `expected max ≥ min (${min}), got ${max}` });
    }
    const every = seconds(random.every);
    if (length !== undefined && every !== undefined && every > 0 && length / every > MAX_RANDOM_STEPS) {
      problems.push({
        path: [...path, 'random', 'every'],
        message: `expected at most ${MAX_RANDOM_STEPS.toLocaleString('en-US')} steps per segment, got ${Math.ceil(length / every).toLocaleString('en-US')}; use a longer "every"`,
      });
    }
  }

  const diurnal = child(segment, 'diurnal');
  if (diurnal) {
    const mean = finite(diurnal.mean);
    const amplitude = finite(diurnal.amplitude);
    if (mean !== undefined && amplitude !== undefined && amplitude > mean) {
      problems.push({
        path: [...path, 'diurnal', 'amplitude'],
        message: `expected amplitude ≤ mean (${mean}) so the rate never goes below 0, got ${amplitude}`,
      });
    }
  }

  const exponential = child(segment, 'exponential');
  if (exponential) {
    const start = finite(exponential.start);
    const factor = finite(exponential.factor);
    const every = seconds(exponential.every);
    if (start !== undefined && factor !== undefined && factor > 0 && every && length !== undefined) {
      const end = start * Math.pow(factor, length / every);
      if (!(end <= MAX_RATE)) {
        const shown = Number.isFinite(end) ? `${end.toExponential(2)} rps` : 'more than any number';
        problems.push({
          path: [...path, 'exponential'],
          message: `expected a rate that stays ≤ ${MAX_RATE.toExponential(0)} rps, but it grows to ${shown} by the end of the segment`,
        });
      }
    }
  }
  return problems;
}
