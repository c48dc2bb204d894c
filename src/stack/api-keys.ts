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
