/**
 * Scenario × stack → a k6 script and a k6-operator TestRun. Pure: returns the file names and
 * texts; `writeK6Export` puts them on disk (atomically).
 */
import { InputError } from '../model/errors.ts';
import { describeCohort } from '../scenario/describe.ts';
import type { Cohort, Scenario } from '../scenario/types.ts';
import { apiKeysEnvVar, apiKeysEnvVarProblems, COHORT_KEY_SPACE, cohortApiKey, syntheticApiKey } from '../stack/api-keys.ts';
import type { Stack } from '../stack/types.ts';
import { writeFileSet } from '../io/write-file-set.ts';
import { bodyStatuses, HINT_METRIC, SUMMARY_MESSAGES, telling } from './response-hints.ts';
import type { CohortKeys, ScriptCohort } from './script.ts';
import { EMULATOR_URL, renderScript, scriptOptions } from './script.ts';
import { MAX_K6_STAGES, planArrivals, stagesEstimate, type ArrivalPlan, type RepeatOptions } from './stages.ts';
import { formatDuration } from '../model/units.ts';
import { scenarioDuration } from '../scenario/profile.ts';
import { renderTestRun, kubeName } from './testrun.ts';
import { gateThresholds, mapGates, summaryThresholds, type GateMapping } from './thresholds.ts';
import { requestTimeoutSeconds, sizeVus } from './vus.ts';

export const DEFAULT_TARGET = EMULATOR_URL;
/** Beyond this many distinct synthetic keys a cohort's clients share them round-robin. */
const MAX_LISTED_KEYS = 10_000;
/** k6-operator serves the script from a ConfigMap, which holds at most 1 MiB. */
const CONFIGMAP_LIMIT = 1_048_576;

export interface K6ExportOptions {
  target?: string;
  parallelism?: number;
  failIf?: readonly string[];
  /** How the stack was named on the command line (for the run instructions in the header). */
  stackFile?: string;
  /** How long the k6 run lasts; default one pass of the scenario. Longer repeats it (diurnal curves go on). */
  durationSeconds?: number;
}

export interface K6CohortPlan {
  cohort: string;
  scenarioKey: string;
  arrivals: ArrivalPlan;
  preAllocatedVUs: number;
  maxVUs: number;
}

export interface K6Export {
  scriptFile: string;
  script: string;
  testRunFile: string;
  testRun: string;
  /** The script's exported `options` (scenarios and thresholds), as data. */
  options: ReturnType<typeof scriptOptions>;
  cohorts: K6CohortPlan[];
  gates: GateMapping[];
  notes: string[];
}

/** The script and manifest for `scenario` against `stack`; secrets never enter either. */
export function buildK6Export(scenario: Scenario, stack: Stack, opts: K6ExportOptions = {}): K6Export {
  const target = checkTarget(opts.target ?? DEFAULT_TARGET);
  const parallelism = opts.parallelism ?? 1;
  if (!Number.isInteger(parallelism) || parallelism < 1) {
    throw new InputError([{ path: '--parallelism', message: `expected a whole number of runners ≥ 1, got ${opts.parallelism}` }]);
  }
  const gates = mapGates(opts.failIf ?? []);
  const base = fileBase(scenario.name);
  const scriptFile = `${base}.k6.js`;
  const testRunFile = `${base}.testrun.yaml`;
  const notes: string[] = [];
  const repeat = repeatOptions(scenario, opts.durationSeconds);

  // a script reads staging keys from DOWSIM_API_KEYS_<COHORT>: one variable per cohort
  const keyVars = apiKeysEnvVarProblems(scenario.cohorts);
  if (keyVars.length) throw new InputError(keyVars);
  const keys = scenarioKeys(scenario.cohorts);
  const totalClients = scenario.cohorts.reduce((s, c) => s + c.clients, 0);
  const cohorts: ScriptCohort[] = [];
  const plans: K6CohortPlan[] = [];
  const silent: string[] = [];
  let identityBase = 0;
  scenario.cohorts.forEach((c, i) => {
    const base = identityBase;
    identityBase += c.clients;
    // a schedule too long for k6 is refused before it is made (a long --duration of a busy profile
    // would otherwise take minutes and gigabytes), and checked again once made
    const estimate = stagesEstimate(c.rate, repeat);
    if (estimate.least > 2 * MAX_K6_STAGES) throw tooManyStages(scenario, i, estimate.least, estimate.most, opts.durationSeconds);
    const arrivals = planArrivals(c.rate, repeat);
    const stageCount = arrivals.plan?.executor === 'ramping-arrival-rate' ? arrivals.plan.stages.length : 0;
    if (stageCount > MAX_K6_STAGES) throw tooManyStages(scenario, i, stageCount, stageCount, opts.durationSeconds);
    if (!arrivals.plan) {
      silent.push(c.name);
      return;
    }
    const vus = sizeVus(arrivals.peakRps, stack);
    const cohortKeys = keysFor(c, i, notes);
    cohorts.push({
      key: keys[i],
      name: c.name,
      role: c.role,
      description: describeCohort(c),
      method: c.requests[0].method,
      path: c.requests[0].path,
      bodyBytes: c.requests[0].bodyBytes,
      ...(c.requests.length > 1 ? { mix: c.requests.map((r) => ({ method: r.method, path: r.path, bodyBytes: r.bodyBytes, weight: r.weight })) } : {}),
      clients: c.clients,
      rotate: c.rotate ?? 0,
      identityBase: base,
      // each forging cohort numbers its forged addresses in its own block of 2^40
      ...(c.forgeForwardedFor ? { forgeBase: i * 2 ** 40 } : {}),
      keys: cohortKeys,
      plan: arrivals.plan,
      ...vus,
      summary: cohortSummary(keys[i], arrivals, vus),
    });
    plans.push({ cohort: c.name, scenarioKey: keys[i], arrivals, ...vus });
  });
  if (cohorts.length === 0) {
    throw new InputError([{ path: 'cohorts', message: 'every cohort has rate 0 throughout: there is nothing for k6 to send' }]);
  }

  const summaryCohorts = cohorts.filter((c) => /^[^,{}"'\s:][^,{}"']*$/.test(c.name)).map((c) => ({ name: c.name, role: c.role }));
  if (summaryCohorts.length < cohorts.length) {
    notes.push('Cohorts whose names hold commas, braces or quotes get no per-cohort counts in the end-of-test summary (k6 cannot filter on such tag values); their requests still show in --out json.');
  }
  const thresholds = {
    ...summaryThresholds(summaryCohorts, telling(stack.api.kind), SUMMARY_MESSAGES, HINT_METRIC),
    ...gateThresholds(gates),
  };
  const gateLines = gates.map((g) => (g.metric ? `${g.gate}  →  '${g.metric}': ['${g.threshold}']  (${g.note})` : `${g.gate}  →  not checked by k6: ${g.note}`));
  if (parallelism > 1) {
    notes.push(`With parallelism ${parallelism}, each runner's thresholds see only its own share; --fail-if on all runners together belongs to dowsim import-k6 or dowsim collect.`);
  }

  const model = {
    scenarioName: scenario.name,
    scenarioDescription: scenario.description,
    stackName: stack.name,
    stackFile: opts.stackFile ?? stack.file ?? `stacks/${stack.name}.yaml`,
    scriptFile,
    testRunFile,
    target,
    totalClients,
    timeoutSeconds: requestTimeoutSeconds(stack),
    bodyStatuses: bodyStatuses(),
    cohorts,
    silentCohorts: silent,
    thresholds,
    gateLines,
    notes,
  };
  const script = renderScript(model);
  if (Buffer.byteLength(script) > CONFIGMAP_LIMIT) {
    notes.push(`The script is ${Buffer.byteLength(script).toLocaleString('en-US')} bytes: more than a ConfigMap holds (1 MiB); serve it to k6-operator from a volumeClaim instead.`);
  }
  const keyEnvs = cohorts.flatMap((c) => (c.keys.kind === 'plan' ? [c.keys.env] : []));
  const testRun = renderTestRun({
    name: kubeName(`dowsim-${scenario.name}`),
    scriptFile,
    script,
    parallelism,
    target,
    keyEnvs,
    secretName: kubeName(`dowsim-${scenario.name}-api-keys`),
    scenarioName: scenario.name,
  });
  return { scriptFile, script, testRunFile, testRun, options: scriptOptions(model), cohorts: plans, gates, notes };
}

/**
 * Writes both files into `outDir` as one set (both or neither, write-file-set.ts); returns their
 * paths. A folder that cannot take them is the --out flag's problem (exit 1), named with the cause.
 */
export function writeK6Export(exp: K6Export, outDir: string): string[] {
  try {
    return writeFileSet(outDir, [
      [exp.scriptFile, exp.script],
      [exp.testRunFile, exp.testRun],
    ]);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException)?.code;
    const why = (err as Error)?.message ?? String(err);
    if (code && ['EACCES', 'EPERM', 'ENOTDIR', 'EEXIST', 'EROFS', 'EISDIR'].includes(code)) throw new InputError([{ path: '--out', message: `cannot write into "${outDir}": ${why}` }]);
    throw err;
  }
}


function keysFor(c: Cohort, cohortIndex: number, notes: string[]): CohortKeys {
  if (c.apiKey === 'none') return { kind: 'none' };
  if (c.apiKey === 'invalid') return { kind: 'invalid', cohortIndex };
  const plan = c.apiKey;
  const env = apiKeysEnvVar(c.name);
  // Emulator keys are no secret (the emulator derives them from the plan name); if the formula
  // below reproduces syntheticApiKey the script computes them, otherwise it carries a list.
  // each cohort its own keys (cohortApiKey), as `dowsim run` and the simulator give them
  const offset = cohortIndex * COHORT_KEY_SPACE;
  const k0 = syntheticApiKey(plan, 0);
  const prefix = `dowsim-${plan}-`;
  const digits = k0.length - prefix.length;
  const formula = (i: number) => prefix + String(offset + i).padStart(digits, '0');
  const samples = [0, 1, 9, 12_345, c.clients - 1, 123_456_789];
  if (k0.startsWith(prefix) && samples.every((i) => formula(i) === cohortApiKey(plan, cohortIndex, i))) {
    return { kind: 'plan', plan, env, prefix, digits, offset };
  }
  const n = Math.min(c.clients, MAX_LISTED_KEYS);
  if (n < c.clients) notes.push(`Cohort ${c.name}: against the emulator its ${c.clients.toLocaleString('en-US')} clients share ${n.toLocaleString('en-US')} synthetic keys.`);
  return { kind: 'plan', plan, env, list: Array.from({ length: n }, (_, i) => cohortApiKey(plan, cohortIndex, i)) };
}

/** k6 scenario names: letters, digits, '_' and '-' only, unique. */
function scenarioKeys(cohorts: readonly Cohort[]): string[] {
  const used = new Set<string>();
  return cohorts.map((c) => {
    const base = c.name.replace(/[^0-9A-Za-z_-]+/g, '_').replace(/^_+|_+$/g, '') || 'cohort';
    let key = base;
    for (let n = 2; used.has(key); n++) key = `${base}_${n}`;
    used.add(key);
    return key;
  });
}

function cohortSummary(key: string, a: ArrivalPlan, vus: { preAllocatedVUs: number; maxVUs: number }): string {
  const p = a.plan!;
  const shape =
    p.executor === 'constant-arrival-rate'
      ? `constant-arrival-rate ${p.rate}/${p.timeUnit} for ${p.duration}`
      : `ramping-arrival-rate, ${p.stages.length} stage${p.stages.length === 1 ? '' : 's'}, timeUnit ${p.timeUnit}`;
  const start = p.startTime === '0s' ? '' : `, from ${p.startTime}`;
  return `k6 scenario ${key}: ${shape}${start}; ${Math.round(a.planned).toLocaleString('en-US')} requests (profile: ${Math.round(a.expected).toLocaleString('en-US')}), VUs ${vus.preAllocatedVUs}–${vus.maxVUs}`;
}

/** A run other than one pass of the scenario: its length, and the scenario's as the period it repeats with. */
/**
 * Cohort i needs `least` k6 stages or more (up to `most`: the same when counted): more than a
 * script should hold. Names the flag, with a duration that fits even at `most`, or the profile
 * when one pass is too long.
 */
function tooManyStages(scenario: Scenario, i: number, least: number, most: number, durationSeconds: number | undefined): InputError {
  const c = scenario.cohorts[i];
  const count = (n: number) => Math.round(n).toLocaleString('en-US');
  const need = `cohort "${c.name}" would need ${most > least ? 'at least ' : ''}${count(least)} k6 stages (at most ${count(MAX_K6_STAGES)})`;
  if (durationSeconds === undefined) {
    return new InputError([{ path: `${scenario.name}: cohorts[${i}].rate`, message: `${need}: shorten the scenario or give its curves and random steps fewer changes` }]);
  }
  const fits = Math.max(scenarioDuration(scenario), wholeUnitsBelow((durationSeconds * MAX_K6_STAGES) / most));
  return new InputError([{ path: '--duration', message: `${need} over ${formatDuration(durationSeconds)}: choose ${formatDuration(fits)} or less` }]);
}

/** `seconds` rounded down to whole days, hours or minutes (whichever it holds), for a suggestion. */
function wholeUnitsBelow(seconds: number): number {
  for (const unit of [86_400, 3_600, 60]) if (seconds >= unit) return Math.floor(seconds / unit) * unit;
  return Math.floor(seconds);
}

function repeatOptions(scenario: Scenario, durationSeconds: number | undefined): RepeatOptions | undefined {
  if (durationSeconds === undefined) return undefined;
  if (!(durationSeconds > 0)) throw new InputError([{ path: '--duration', message: `expected a duration > 0, got ${durationSeconds}` }]);
  return { durationSeconds, periodSeconds: scenarioDuration(scenario) };
}

function checkTarget(target: string): string {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new InputError([{ path: '--target', message: `expected a URL like ${DEFAULT_TARGET}, got "${target}"` }]);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError([{ path: '--target', message: `expected an http:// or https:// URL, got "${target}"` }]);
  }
  if (url.username || url.password) {
    throw new InputError([{ path: '--target', message: 'credentials in the URL would be written into the script: drop them from --target' }]);
  }
  if (url.search || url.hash) {
    throw new InputError([{ path: '--target', message: 'expected a base URL without ?query or #fragment (paths come from the scenario)' }]);
  }
  return target.replace(/\/+$/, '');
}

function fileBase(name: string): string {
  return name.replace(/[^0-9A-Za-z._-]+/g, '-').replace(/^[-.]+|-+$/g, '') || 'scenario';
}
