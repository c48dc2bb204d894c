import type { Stack } from './types.ts';

/**
 * The API key client `clientIndex` of a cohort holding keys of `plan` presents:
 * `dowsim-<plan>-<index, 8 digits or more>`, at least 20 characters like AWS's own keys.
 */
export function syntheticApiKey(plan: string, clientIndex: number): string {
  const index = Math.max(0, Math.floor(clientIndex));
  const digits = Math.max(8, 20 - 'dowsim--'.length - plan.length);
  return `dowsim-${plan}-${String(index).padStart(digits, '0')}`;
}

/** Synthetic key indices a cohort owns: a cohort has at most 10⁹ clients (scenario schema). */
export const COHORT_KEY_SPACE = 1e9;

/**
 * The synthetic key client `client` of the scenario's cohort `cohortIndex` presents: index
 * cohortIndex · 10⁹ + client, so that no two cohorts share a key (they share no identity either:
 * a leecher never spends a user's usage-plan tokens). The simulator, `run` against the emulator
 * and the k6 export all give keys by this.
 */
export function cohortApiKey(plan: string, cohortIndex: number, client: number): string {
  return syntheticApiKey(plan, cohortIndex * COHORT_KEY_SPACE + client);
}

const SYNTHETIC = /^dowsim-(.+)-(\d{8,})$/;

/** The usage plan a key belongs to: one of a plan's explicit `keys`, or a synthetic key of an existing plan. */
export function planForKey(stack: Stack, key: string): string | undefined {
  const plans = stack.api.usagePlans;
  for (const plan of plans) if (plan.keys?.includes(key)) return plan.name;
  const m = SYNTHETIC.exec(key);
  if (!m) return undefined;
  return plans.some((p) => p.name === m[1]) ? m[1] : undefined;
}

/**
 * The environment variable that holds a cohort's real keys for a staging run or a k6 script
 * ("bots" → DOWSIM_API_KEYS_BOTS): the name in upper case, each run of other characters one "_".
 */
export function apiKeysEnvVar(cohortName: string): string {
  return `DOWSIM_API_KEYS_${cohortName.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
}

/**
 * Cohorts holding a usage plan's keys whose key variables cannot tell them apart: two names that
 * give one variable ("eu-users" and "eu_users": an attack cohort would send the users' real keys),
 * or a name without a letter or digit to give one ("ユーザー" → DOWSIM_API_KEYS__). Each problem
 * names the cohort's place in the scenario.
 */
export function apiKeysEnvVarProblems(cohorts: readonly { name: string; apiKey: string }[]): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const first = new Map<string, number>();
  cohorts.forEach((c, i) => {
    if (c.apiKey === 'none' || c.apiKey === 'invalid') return;
    const v = apiKeysEnvVar(c.name);
    if (!/[A-Z0-9]/.test(v.slice('DOWSIM_API_KEYS_'.length))) {
      problems.push({ path: `cohorts[${i}].name`, message: `the cohort holds keys of usage plan "${c.apiKey}", read from DOWSIM_API_KEYS_<NAME>, but "${c.name}" has no ASCII letter or digit to name that variable: rename the cohort` });
      return;
    }
    const j = first.get(v);
    if (j !== undefined) problems.push({ path: `cohorts[${i}].name`, message: `"${c.name}" and "${cohorts[j].name}" (cohorts[${j}]) would both read their keys from ${v}: rename one, so that neither sends the other's keys` });
    else first.set(v, i);
  });
  return problems;
}
