import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { buildK6Export, writeK6Export, type K6Export } from '../../src/k6/export.ts';
import { ADDRESS_JS, LOOPBACK_JS, MESSAGE_JS, SYNTHETIC_KEY_JS } from '../../src/k6/script-runtime.ts';
import { mapGates } from '../../src/k6/thresholds.ts';
import { IdentityPlan, documentationAddress } from '../../src/load/identity.ts';
import { InputError } from '../../src/model/errors.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { parseScenario } from '../../src/scenario/parse.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import { cohortApiKey } from '../../src/stack/api-keys.ts';
import { loadStack } from '../../src/stack/load.ts';
import { parseStack } from '../../src/stack/parse.ts';
import type { Stack } from '../../src/stack/types.ts';

const ROOT = join(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'dowsim-k6-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Type-checks JavaScript files with tsconfig.k6.json (checkJs against @types/k6); returns the errors. */
function typecheck(files: string[]): string[] {
  const configPath = join(ROOT, 'tsconfig.k6.json');
  const { config, error } = ts.readConfigFile(configPath, ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, ROOT, undefined, configPath);
  const program = ts.createProgram(files, parsed.options);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file && d.start !== undefined ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: ` : '';
    return where + ts.flattenDiagnosticMessageText(d.messageText, '\n');
  });
}

/** The stack a built-in scenario is exported against: the usage-plan stack when a cohort holds plan keys. */
function stackFor(s: Scenario): Stack {
  const usesPlan = s.cohorts.some((c) => c.apiKey !== 'none' && c.apiKey !== 'invalid');
  return loadStack(join(ROOT, 'stacks', usesPlan ? 'rest-usage-plan.yaml' : 'rest-stage-throttled.yaml'));
}

/** The COHORTS table the script carries. */
function scriptCohorts(script: string): Record<string, { cohort: string; clients: number; identityBase: number; rotate: number; keys: Record<string, unknown> }> {
  const m = /const COHORTS = (\{[\s\S]*?\n\});/.exec(script);
  if (!m) throw new Error('no COHORTS table in the script');
  return JSON.parse(m[1]);
}

const twoCohorts = parseScenario(`
name: two-cohorts
request: { method: GET, path: /items }
cohorts:
  - name: users
    role: legit
    clients: 20
    rate: [{ duration: 10s, rate: 10 }]
  - name: bots
    role: attack
    clients: 500
    rotate: 5s
    apiKey: basic
    request: { method: POST, path: /search, bodyBytes: 2048 }
    rate: [{ duration: 2s, rate: 0 }, { duration: 8s, ramp: [20, 120] }]
`);

const planStack = parseStack(`
name: plan-with-real-keys
api:
  kind: rest
  stage: { rate: 50, burst: 100 }
  apiKeyRequired: true
  usagePlans:
    - name: basic
      throttle: { rate: 10, burst: 20 }
      keys: [REAL-STAGING-KEY-0123456789abcdef]
lambda: { memoryMb: 256, duration: { p50: 40ms, p99: 400ms } }
`);

describe('generated scripts type-check against @types/k6', () => {
  const files = readdirSync(join(ROOT, 'scenarios')).filter((f) => /\.ya?ml$/.test(f));
  const exports: { file: string; exp: K6Export }[] = [];
  for (const f of files) {
    const scenario = loadScenario(join(ROOT, 'scenarios', f));
    const exp = buildK6Export(scenario, stackFor(scenario), { failIf: ['collateral>0.01', 'totals.offered>1e9', 'totals.connectionErrors>0', 'cost.perHour>50'] });
    writeK6Export(exp, join(dir, 'builtin'));
    exports.push({ file: join(dir, 'builtin', exp.scriptFile), exp });
  }

  it(`every built-in scenario (${files.length}) exports a script that tsc -p tsconfig.k6.json accepts`, () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
    expect(typecheck(exports.map((e) => e.file))).toEqual([]);
  });

  it('the type check bites: a removed executor and a misspelt k6 API are errors', () => {
    const bad = join(dir, 'bad.k6.js');
    writeFileSync(
      bad,
      exports[0].exp.script
        .replace(/"executor": "(constant|ramping)-arrival-rate"/, '"executor": "externally-controlled"')
        .replace('exec.scenario.iterationInTest', 'exec.scenario.iterationInTst'),
    );
    const errors = typecheck([bad]);
    expect(errors.some((e) => e.includes('externally-controlled'))).toBe(true);
    expect(errors.some((e) => e.includes('iterationInTst'))).toBe(true);
  });

  it('no script uses what k6 2.x removed (externally-controlled, options.ext.loadimpact)', () => {
    for (const { exp } of exports) {
      expect(exp.script).not.toMatch(/externally-controlled|loadimpact/);
      expect(exp.options).not.toHaveProperty('ext');
    }
  });

  it('each cohort that sends is one k6 scenario, tagged with its cohort and role, running send()', () => {
    for (const { exp } of exports) {
      for (const c of exp.cohorts) {
        const sc = exp.options.scenarios[c.scenarioKey];
        expect(sc.tags).toEqual({ cohort: c.cohort, role: expect.stringMatching(/^(legit|attack)$/) });
        expect(sc.exec).toBe('send');
        expect(sc.executor).toBe(c.arrivals.plan!.executor);
        expect(c.scenarioKey).toMatch(/^[0-9a-zA-Z_-]+$/);
      }
    }
  });
});

describe('API key variables', () => {
  it("refuses cohorts that would read one DOWSIM_API_KEYS_ variable (an attack cohort would send the users' real keys), or none", () => {
    const scenario = (a: string, b: string) =>
      parseScenario(`name: envc\ncohorts:\n  - { name: "${a}", role: legit, apiKey: basic, rate: [ { duration: 3s, rate: 2 } ] }\n  - { name: "${b}", role: attack, apiKey: basic, rate: [ { duration: 3s, rate: 2 } ] }\n`);
    expect(() => buildK6Export(scenario('eu-users', 'eu_users'), planStack)).toThrow(/"eu_users" and "eu-users" \(cohorts\[0\]\) would both read their keys from DOWSIM_API_KEYS_EU_USERS/);
    expect(() => buildK6Export(scenario('users', 'ボット'), planStack)).toThrow(/"ボット" has no ASCII letter or digit/);
    expect(() => buildK6Export(scenario('eu-users', 'eu-bots'), planStack)).not.toThrow();
  });
});

describe('the script', () => {
  const exp = buildK6Export(twoCohorts, planStack, { target: 'https://abc.execute-api.us-east-1.amazonaws.com/prod', failIf: ['collateral>0.01'] });

  it('never holds a real API key: plan keys come from DOWSIM_API_KEYS_<COHORT>, the stack\'s keys are not written', () => {
    expect(exp.script).not.toContain('REAL-STAGING-KEY');
    expect(exp.testRun).not.toContain('REAL-STAGING-KEY');
    expect(scriptCohorts(exp.script).bots.keys).toMatchObject({ kind: 'plan', plan: 'basic', env: 'DOWSIM_API_KEYS_BOTS' });
    expect(exp.script).toContain('__ENV[keys.env]');
  });

  it('refuses to send synthetic keys anywhere but loopback (the check runs in k6\'s init code)', () => {
    const isLoopback = new Function(`${LOOPBACK_JS}; return isLoopback;`)() as (u: string) => boolean;
    expect(isLoopback('http://127.0.0.1:8787')).toBe(true);
    expect(isLoopback('http://localhost:8787/')).toBe(true);
    expect(isLoopback('http://[::1]:8787')).toBe(true);
    expect(isLoopback('https://abc.execute-api.us-east-1.amazonaws.com/prod')).toBe(false);
    expect(isLoopback('http://127.0.0.1.evil.example/')).toBe(false);
    expect(exp.script).toMatch(/else if \(!isLoopback\(TARGET\)\) \{\s*throw new Error/);
  });

  it("computes the emulator's synthetic keys exactly as stack/api-keys.ts does, each cohort its own", () => {
    const cohorts = scriptCohorts(exp.script);
    const syntheticKey = new Function(`${SYNTHETIC_KEY_JS}; return syntheticKey;`)() as (p: string, d: number, c: number) => string;
    const names = Object.keys(cohorts);
    const seen = new Set<string>();
    names.forEach((name) => {
      const keys = cohorts[name].keys as { kind: string; prefix?: string; digits?: number; offset?: number };
      if (keys.kind !== 'plan') return;
      const ci = twoCohorts.cohorts.findIndex((c) => cohorts[name].cohort === c.name);
      // the script's key of client i is the one `dowsim run` presents: cohortApiKey(plan, cohort, i)
      for (const client of [0, 1, 42, 499, 99_999_999, 123_456_789]) {
        const key = syntheticKey(keys.prefix!, keys.digits!, keys.offset! + client);
        expect(key).toBe(cohortApiKey('basic', ci, client));
        expect(seen.has(key)).toBe(false);
        seen.add(key);
      }
    });
    expect(seen.size).toBeGreaterThan(0);
  });

  it('gives every (cohort, client, rotation epoch) its own X-Forwarded-For, the same numbering as the Node driver', () => {
    const address = new Function(`${ADDRESS_JS}; return documentationAddress;`)() as (n: number) => string;
    for (const n of [0, 253, 254, 761, 762, 763, 65_536 + 762, 2 ** 32 + 762 + 5]) expect(address(n)).toBe(documentationAddress(n));
    const cohorts = scriptCohorts(exp.script);
    const plan = new IdentityPlan(twoCohorts.cohorts.map((c) => c.clients));
    const total = twoCohorts.cohorts.reduce((s, c) => s + c.clients, 0);
    twoCohorts.cohorts.forEach((c, ci) => {
      for (const [client, epoch] of [[0, 0], [c.clients - 1, 0], [3, 2]]) {
        expect(cohorts[c.name].identityBase + client + epoch * total).toBe(plan.identity(ci, client, epoch));
      }
    });
    expect(cohorts.bots.rotate).toBe(5);
  });

  it('reports the message of an error body for the importer (JSON message or Message, else the text)', () => {
    const messageOf = new Function(`${MESSAGE_JS}; return messageOf;`)() as (b: unknown) => string;
    expect(messageOf('{"message":"Limit Exceeded"}')).toBe('Limit Exceeded');
    expect(messageOf('{"message": "Internal server error"}')).toBe('Internal server error');
    expect(messageOf('{"Reason":"X","Type":"User","message":"Rate Exceeded."}')).toBe('Rate Exceeded.');
    expect(messageOf('{"Message":"Forbidden"}')).toBe('Forbidden');
    expect(messageOf('Internal Server Error')).toBe('Internal Server Error');
    expect(messageOf(null)).toBe('');
  });

  it("sends the cohort's request: method, path and a body of bodyBytes", () => {
    const c = scriptCohorts(exp.script);
    expect(c.bots).toMatchObject({ method: 'POST', path: '/search', bodyBytes: 2048, clients: 500 });
    expect(c.users).toMatchObject({ method: 'GET', path: '/items', bodyBytes: 0 });
    expect(exp.script).toContain("'x'.repeat(COHORTS[name].bodyBytes)");
  });

  it('targets the given URL by default and lets DOWSIM_TARGET override it', () => {
    expect(exp.script).toContain('(__ENV.DOWSIM_TARGET || "https://abc.execute-api.us-east-1.amazonaws.com/prod")');
    expect(buildK6Export(twoCohorts, planStack).script).toContain('"http://127.0.0.1:8787"');
  });

  it('starts a cohort that is silent at first at its startTime', () => {
    expect(exp.options.scenarios.bots).toMatchObject({ executor: 'ramping-arrival-rate', startTime: '2s', startRate: 20, stages: [{ duration: '8s', target: 120 }] });
    expect(exp.options.scenarios.users).toMatchObject({ executor: 'constant-arrival-rate', startTime: '0s', rate: 10, timeUnit: '1s', duration: '10s' });
  });

  it("sizes VUs from the peak rate and the stack's p99 duration, with a floor", () => {
    const bots = exp.cohorts.find((c) => c.cohort === 'bots')!;
    // 120 rps × (0.4 s p99 + 0.5 s) × 1.5 = 162; users: 10 rps × 0.9 s × 1.5 = 13.5 → 14
    expect(bots.preAllocatedVUs).toBe(162);
    expect(bots.maxVUs).toBeGreaterThanOrEqual(2 * bots.preAllocatedVUs);
    expect(exp.cohorts.find((c) => c.cohort === 'users')!.preAllocatedVUs).toBe(14);
  });

  it('mirrors --fail-if gates k6 can measure as thresholds, negated, and keeps per-cohort counts for the summary', () => {
    expect(exp.options.thresholds['http_req_failed{role:legit}']).toEqual(['rate<=0.01']);
    expect(exp.options.thresholds['http_reqs{cohort:bots,role:attack}']).toEqual(['count>=0']);
    expect(exp.options.thresholds['http_reqs{cohort:bots,status:429}']).toEqual(['count>=0']);
    expect(exp.options.thresholds['dowsim_responses{cohort:bots,status:429,message:Limit Exceeded}']).toEqual(['count>=0']);
  });
});

describe('gates', () => {
  it('collateral, offered and dropped map to k6 metrics, negated; money and outcome counts do not', () => {
    const m = mapGates(['collateral>5%', 'totals.offered>=1000', 'totals.dropped>0', 'cost.perHour>50', 'totals.gatewayThrottled>0']);
    expect(m.map((g) => (g.metric ? `${g.metric}: ${g.threshold}` : null))).toEqual([
      'http_req_failed{role:legit}: rate<=0.05',
      'http_reqs: count<1000',
      'dropped_iterations: count<=0',
      null,
      null,
    ]);
  });

  it('a gate that is not <metric><op><number> is an input error naming it', () => {
    expect(() => mapGates(['cost.perHour>>50'])).toThrow(InputError);
    expect(() => mapGates(['cost.perHour>>50'])).toThrow(/--fail-if "cost\.perHour>>50"/);
  });
});

describe('input mistakes', () => {
  it('a target with credentials, a query, or another scheme is refused before anything is written', () => {
    expect(() => buildK6Export(twoCohorts, planStack, { target: 'https://user:pw@example.com' })).toThrow(/--target: credentials/);
    expect(() => buildK6Export(twoCohorts, planStack, { target: 'https://example.com/?x=1' })).toThrow(/--target/);
    expect(() => buildK6Export(twoCohorts, planStack, { target: 'ftp://example.com' })).toThrow(/--target: expected an http/);
    expect(() => buildK6Export(twoCohorts, planStack, { target: 'not a url' })).toThrow(InputError);
  });

  it('parallelism must be a whole number of runners', () => {
    expect(() => buildK6Export(twoCohorts, planStack, { parallelism: 0 })).toThrow(/--parallelism/);
    expect(() => buildK6Export(twoCohorts, planStack, { parallelism: 1.5 })).toThrow(/--parallelism/);
  });
});

describe('the k6-operator TestRun manifest', () => {
  const exp = buildK6Export(twoCohorts, planStack, { parallelism: 8, target: 'https://abc.execute-api.us-east-1.amazonaws.com/prod' });
  const paths = writeK6Export(exp, join(dir, 'testrun'));
  const docs = parseAllDocuments(readFileSync(paths[1], 'utf8')).map((d) => d.toJS());

  it('parses as YAML: a ConfigMap holding the script byte for byte, then a TestRun', () => {
    expect(docs).toHaveLength(2);
    const [cm, tr] = docs;
    expect(cm).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap' });
    expect(tr).toMatchObject({ apiVersion: 'k6.io/v1alpha1', kind: 'TestRun' });
    expect(cm.data[tr.spec.script.configMap.file]).toBe(readFileSync(paths[0], 'utf8'));
    expect(tr.spec.script.configMap.name).toBe(cm.metadata.name);
  });

  it('carries the requested parallelism', () => {
    expect(docs[1].spec.parallelism).toBe(8);
    const one = parseAllDocuments(buildK6Export(twoCohorts, planStack).testRun).map((d) => d.toJS());
    expect(one[1].spec.parallelism).toBe(1);
  });

  it('passes the target and takes API keys from a Secret by reference, never by value', () => {
    const env = docs[1].spec.runner.env as { name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string; optional: boolean } } }[];
    expect(env).toContainEqual({ name: 'DOWSIM_TARGET', value: 'https://abc.execute-api.us-east-1.amazonaws.com/prod' });
    const keys = env.find((e) => e.name === 'DOWSIM_API_KEYS_BOTS')!;
    expect(keys.value).toBeUndefined();
    expect(keys.valueFrom!.secretKeyRef).toMatchObject({ key: 'DOWSIM_API_KEYS_BOTS', optional: true });
  });

  it('names objects as Kubernetes allows (lower case, digits and dashes)', () => {
    for (const d of docs) expect(d.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
  });
});
