import type { Scenario } from '../scenario/types.ts';
import type { Stack } from '../stack/types.ts';
import { InputError, type Problem } from '../model/errors.ts';
import { parseDuration } from '../model/units.ts';
import { loadScenario } from '../scenario/load.ts';
import { loadStackInput } from './stack-input.ts';
import { checkScenarioAgainstStack } from '../stack/compat.ts';

/** Loads the scenario and every stack, reporting the problems of all files at once. */
export function loadSimulationInputs(scenarioArg: string, stackArgs: string[]): { scenario: Scenario; stacks: Stack[]; warnings: string[] } {
  const errors: InputError[] = [];
  let scenario: Scenario | undefined;
  try {
    scenario = loadScenario(scenarioArg);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    errors.push(e);
  }
  const stacks: Stack[] = [];
  for (const s of stackArgs) {
    try {
      stacks.push(loadStackInput(s));
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      errors.push(e);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) {
    const problems: Problem[] = errors.flatMap((e) => e.problems.map((p) => ({ path: `${e.file ?? ''}${e.file && p.path ? ': ' : ''}${p.path}`, message: p.message })));
    throw new InputError(problems);
  }
  const warnings = stacks.flatMap((st) => checkScenarioAgainstStack(scenario!, st).map((w) => `${st.name}: ${w}`));
  return { scenario: scenario!, stacks, warnings };
}

/** `--horizon` in seconds (default: 30 days), or an InputError naming the flag. */
export function parseHorizon(value: string | undefined, fallback = '30d'): number {
  const v = value ?? fallback;
  const s = parseDuration(v);
  if (s === undefined) throw new InputError([{ path: '--horizon', message: `expected a duration like "24h" or "30d", got "${v}"` }]);
  // the simulator's tick is a second: under it the bill is a fraction of one request's GB-seconds, with no request counted
  if (s < 1) throw new InputError([{ path: '--horizon', message: `expected a duration of at least 1s (the simulator's tick), like "24h" or "30d", got "${v}"` }]);
  if (s > 5 * 365 * 86400) throw new InputError([{ path: '--horizon', message: `at most 5 years (1825d), got "${v}": prices, quotas and the simulator's bounded run time are only meaningful within that` }]);
  return s;
}

export function collectStacks(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
