/**
 * The x-api-key each client of a cohort presents. Against the emulator every client holds its own
 * synthetic key of the cohort's usage plan (the emulator knows them); against staging the keys are
 * the user's: from DOWSIM_API_KEYS_<COHORT> or --api-keys-file. Key values never leave this file
 * except as request headers: problems name where a key should come from, never what it is.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { InputError } from '../model/errors.ts';
import type { Cohort } from '../scenario/types.ts';
import { apiKeysEnvVar, apiKeysEnvVarProblems, cohortApiKey } from '../stack/api-keys.ts';

export type KeyOf = (client: number) => string | undefined;

export interface ApiKeyPlan {
  /** Per cohort: the key of each client, or undefined when the cohort sends none. */
  keys: (KeyOf | undefined)[];
  /** Plain sentences for the report (counts only, never key values). */
  notes: string[];
  /** What the user should see at once: keys given that this run does not use. */
  warnings: string[];
}

/**
 * A key must go out as an x-api-key header byte for byte: visible ASCII only (API Gateway keys are
 * 20–128 letters and digits). Anything else would fail every request of its cohort on the wire.
 */
const SENDABLE_KEY = /^[\x21-\x7e]+$/;

export { apiKeysEnvVar };

/** Reads an --api-keys-file: YAML or JSON mapping a cohort (or usage plan) name to a list of keys. */
export function readApiKeysFile(file: string): Record<string, string[]> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError([{ path: '--api-keys-file', message: `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}` }]);
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch {
    throw new InputError([{ path: '--api-keys-file', message: `${file} is neither YAML nor JSON` }]);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    throw new InputError([{ path: '--api-keys-file', message: `${file}: expected a mapping of cohort (or usage plan) name to a list of keys` }]);
  }
  const out: Record<string, string[]> = {};
  const problems: { path: string; message: string }[] = [];
  for (const [name, v] of Object.entries(data as Record<string, unknown>)) {
    const list = typeof v === 'string' ? splitKeys(v) : Array.isArray(v) ? v : undefined;
    if (!list || list.some((k) => typeof k !== 'string' || k.trim() === '')) {
      problems.push({ path: `--api-keys-file ${name}`, message: 'expected a list of non-empty key strings' });
      continue;
    }
    out[name] = (list as string[]).map((k) => k.trim());
  }
  if (problems.length) throw new InputError(problems);
  return out;
}

function splitKeys(s: string): string[] {
  return s.split(/[\s,]+/).filter((k) => k.length > 0);
}

/**
 * Decides each cohort's keys. `mode` 'emulator' uses the stack's synthetic keys; 'staging' needs
 * the user's real keys for every cohort that holds a usage plan's keys.
 */
export function planApiKeys(
  cohorts: readonly Cohort[],
  mode: 'emulator' | 'staging',
  source: { env?: NodeJS.ProcessEnv; file?: Record<string, string[]> } = {},
): ApiKeyPlan {
  const env = source.env ?? process.env;
  const notes: string[] = [];
  const warnings = mode === 'emulator' ? unusedKeyWarnings(cohorts, env, source.file) : [];
  // staging keys come from DOWSIM_API_KEYS_<COHORT>: two cohorts must not read the same variable
  const problems: { path: string; message: string }[] = mode === 'staging' ? apiKeysEnvVarProblems(cohorts) : [];
  if (problems.length) throw new InputError(problems);
  const keys = cohorts.map((c, ci): KeyOf | undefined => {
    if (c.apiKey === 'none') return undefined;
    if (c.apiKey === 'invalid') {
      // Keys no usage plan issued: what an invalid-key flood presents.
      return (client) => `dowsim-invalid-${ci}-${client}-0000000000`;
    }
    const plan = c.apiKey;
    // each cohort its own keys, as the simulator gives them
    if (mode === 'emulator') return (client) => cohortApiKey(plan, ci, client);
    const fromEnv = env[apiKeysEnvVar(c.name)];
    const list = fromEnv !== undefined ? splitKeys(fromEnv) : (source.file?.[c.name] ?? source.file?.[plan]);
    if (!list || list.length === 0) {
      problems.push({
        path: `cohorts.${c.name}.apiKey`,
        message: `the cohort presents keys of usage plan "${plan}": give them in ${apiKeysEnvVar(c.name)} (comma-separated) or in --api-keys-file under "${c.name}"`,
      });
      return undefined;
    }
    const where = fromEnv !== undefined ? apiKeysEnvVar(c.name) : `--api-keys-file (${source.file?.[c.name] ? c.name : plan})`;
    const bad = list.findIndex((k) => !SENDABLE_KEY.test(k));
    if (bad >= 0) {
      // never the key itself: only where it is and what is wrong with it
      problems.push({ path: where, message: `key #${bad + 1} (of ${list.length}) holds a character that cannot be sent in an HTTP header (a control character, a space or a non-ASCII letter); API keys are letters and digits` });
      return undefined;
    }
    if (list.length < c.clients) {
      notes.push(`Cohort ${c.name}: ${c.clients.toLocaleString('en-US')} clients share ${list.length.toLocaleString('en-US')} API keys (round-robin), so per-key limits see more traffic per key than the scenario describes.`);
    }
    return (client) => list[client % list.length];
  });
  if (problems.length) throw new InputError(problems);
  return { keys, notes, warnings };
}

/** Against the emulator every client holds the stack's synthetic keys: keys the user gave go unused, and they should know. */
function unusedKeyWarnings(cohorts: readonly Cohort[], env: NodeJS.ProcessEnv, file: Record<string, string[]> | undefined): string[] {
  const given = cohorts.map((c) => apiKeysEnvVar(c.name)).filter((v) => env[v] !== undefined);
  const sources = [...new Set(given), ...(file ? ['--api-keys-file'] : [])];
  if (sources.length === 0) return [];
  return [
    `Note: API keys given in ${sources.join(', ')} are not used: against the emulator every client presents the stack's own synthetic key of its usage plan. ` +
      'Keys are sent only to a staging --target.',
  ];
}
