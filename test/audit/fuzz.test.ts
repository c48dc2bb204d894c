/**
 * Fuzz of the IaC readers (`dowsim audit`, `--stack template.yaml#Api`): every source of the corpus
 * with values the source leaves open (a parameter, an import, a variable, an environment lookup) or
 * of the wrong type put where it wrote a value, many times over. A reader may say it cannot tell
 * (an assumption) or reject the file (an InputError naming the place); it must never crash, what it
 * read must audit (rules, priced risk, summary) and derive a stack, and the summary and tune's
 * patches onto the source must say every value. Seeded: a failure names its seed. CI runs 12
 * variants per source; FUZZ_VARIANTS=80 runs longer.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';
import { readCloudFormation } from '../../src/audit/read/cloudformation.ts';
import { readCfnText } from '../../src/audit/read/cfn-yaml.ts';
import { readServerless } from '../../src/audit/read/serverless.ts';
import { readTerraform, tfFiles } from '../../src/audit/read/terraform.ts';
import { prefetchHclFiles } from '../../src/audit/read/hcl-json.ts';
import { deriveStack } from '../../src/audit/stack-document.ts';
import { iacTargets } from '../../src/audit/targets.ts';
import type { AuditModel } from '../../src/audit/model.ts';
import { audit } from '../../src/audit/audit.ts';
import { formatAuditSummary } from '../../src/audit/render/text.ts';
import { embeddedPriceBook } from '../../src/pricing/loader.ts';
import { cloudFormationPatch } from '../../src/tune/patch-cloudformation.ts';
import { terraformPatch } from '../../src/tune/patch-terraform.ts';
import { serverlessPatch } from '../../src/tune/patch-serverless.ts';
import { cleanFailure, rngFor, type Rng } from '../scenario/fuzz-inputs.ts';
import { corpusSources } from './corpus-sources.ts';

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];

/** What CloudFormation leaves open until deploy time, and values of the wrong type. */
const CFN_OPEN: unknown[] = [
  { Ref: 'FuzzParameter' },
  { 'Fn::ImportValue': 'fuzz-export' },
  { 'Fn::Select': [{ Ref: 'FuzzParameter' }, [1, 2]] },
  { 'Fn::GetAtt': ['NoSuchResource', 'Arn'] },
  { 'Fn::Sub': '${FuzzParameter}' },
  { 'Fn::If': ['FuzzCondition', 5, { Ref: 'AWS::NoValue' }] },
  { 'Fn::Join': ['', [{ Ref: 'FuzzParameter' }]] },
  { 'Fn::FindInMap': ['NoMap', { Ref: 'FuzzParameter' }, 'x'] },
];
const WRONG: unknown[] = [null, [], {}, -1, 0, 1e308, '', 'fuzz', true, [1, 2], { a: 1 }];

/** A copy of `v` with scalars (and now and then a whole map or list) replaced at rate `p`. */
function mutate(v: unknown, rng: Rng, p: number, open: readonly unknown[]): unknown {
  if (rng() < p / 4 && v && typeof v === 'object') return structuredClone(pick(rng, rng() < 0.7 ? open : WRONG));
  if (Array.isArray(v)) return v.map((x) => mutate(x, rng, p, open));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mutate(x, rng, p, open)]));
  if (rng() < p) return structuredClone(pick(rng, rng() < 0.7 ? open : WRONG));
  return v;
}

const SAYS_NOTHING = /undefined|NaN|\[object Object\]|Symbol\(/;

/** What a reader's model is used for: `dowsim audit` (rules, priced risk, its summary), each API's derived stack, and tune's patches onto its source with every setting changed. */
function use(model: AuditModel): void {
  const summary = formatAuditSummary(audit([model], { scenarios: [], bookFor: (region) => embeddedPriceBook(region) }));
  if (SAYS_NOTHING.test(summary)) throw new Error(`the audit summary says: ${/.{0,80}(undefined|NaN|\[object Object\]|Symbol\().{0,40}/.exec(summary)![0]}`);
  for (const api of model.apis) {
    const { stack } = deriveStack(model, api);
    const targets = iacTargets(model, api);
    const tuned = structuredClone(stack);
    tuned.api.stage = { rate: 7, burst: 14 };
    for (const key of Object.keys(tuned.api.routes)) tuned.api.routes[key] = tuned.api.routes[key] ? null : { rate: 1, burst: 2 };
    tuned.lambda.reservedConcurrency = stack.lambda.reservedConcurrency === undefined ? 9 : undefined;
    if (stack.api.kind === 'rest') tuned.waf = { rules: Math.max(1, stack.waf?.rules ?? 0), rateLimit: { limit: 100, windowSeconds: 60, key: 'ip', delaySeconds: 30 } };
    const sls = targets?.serverless ? [serverlessPatch(stack, tuned, { ...targets, serverless: targets.serverless })] : [];
    for (const p of [cloudFormationPatch(stack, tuned, targets), terraformPatch(stack, tuned, targets), ...sls]) {
      if (SAYS_NOTHING.test(p)) throw new Error(`a patch of ${api.id} says: ${/.*(undefined|NaN|\[object Object\]|Symbol\().*/.exec(p)![0]}`);
    }
  }
}

/** Runs `read` and `use` on its model; a failure other than a clean InputError is a line of the answer. */
function attempt(label: string, read: () => AuditModel): string | undefined {
  try {
    use(read());
    return undefined;
  } catch (err) {
    const bad = cleanFailure(err);
    return bad ? `${label}: ${bad.slice(0, 600)}` : undefined;
  }
}

const sources = corpusSources().filter((s) => !s.endsWith('.output.json'));
const VARIANTS = Number(process.env.FUZZ_VARIANTS ?? 12);

describe('fuzz: IaC sources with values left open or of the wrong type', () => {
  it('CloudFormation, SAM and CDK templates: no crash; audited, derived and patched with every value said', () => {
    const failures: string[] = [];
    let runs = 0;
    for (const src of sources.filter((s) => /\.(ya?ml|json)$/.test(s) && !s.endsWith('serverless.yml'))) {
      const { data } = readCfnText(readFileSync(src, 'utf8'), src);
      for (let seed = 0; seed < VARIANTS; seed++) {
        const rng = rngFor(seed * 7919 + src.length);
        const resources = mutate(data.Resources, rng, 0.08, CFN_OPEN);
        const text = JSON.stringify({ ...data, Resources: resources });
        runs++;
        const bad = attempt(`${src} seed ${seed}`, () => readCloudFormation(text, src));
        if (bad) failures.push(bad);
      }
    }
    expect(runs).toBeGreaterThan(500);
    expect(failures.slice(0, 3)).toEqual([]);
  });

  it('Serverless Framework services: no crash; audited, derived and patched with every value said', () => {
    const failures: string[] = [];
    const open = ['${env:FUZZ}', '${ssm:/fuzz/value}', '${opt:fuzz}', '${self:custom.nothing}', '${file(./nothing.yml)}', '${cf:other.Output}'];
    // the corpus, and a service with the plugins the reader knows (throttles, web ACL)
    for (const src of [...sources.filter((s) => s.endsWith('serverless.yml')), 'test/audit/fixtures/sls-plugins/serverless.yml']) {
      const doc = parseYaml(readFileSync(src, 'utf8')) as Record<string, unknown>;
      for (let seed = 0; seed < VARIANTS * 4; seed++) {
        const text = stringify(mutate(doc, rngFor(seed * 104729 + src.length), 0.12, open));
        const bad = attempt(`${src} seed ${seed}`, () => readServerless(text, src));
        if (bad) failures.push(bad);
      }
    }
    expect(failures.slice(0, 3)).toEqual([]);
  });

  it('Terraform configurations: no crash; audited, derived and patched with every value said', () => {
    // text-level: an argument's literal becomes a variable, a data source's attribute or a wrong type
    const open = ['var.fuzz', 'data.aws_caller_identity.current.account_id', 'local.nothing', 'module.m.out', '"${var.fuzz}"', 'null', '[]', '{}', '-1', '"fuzz"', 'true'];
    const variants: { label: string; dir: string }[] = [];
    const files: { file: string; text: string }[] = [];
    // the corpus, and a configuration with every setting the readers take a number from (WAF rules, plans, method settings)
    const dense = fileURLToPath(new URL('./fixtures/tf-throttled', import.meta.url));
    for (const src of [...sources.filter((s) => !/\.(ya?ml|json)$/.test(s)), dense]) {
      const originals = tfFiles(src).map((f) => ({ name: f.slice(f.lastIndexOf('/') + 1), text: readFileSync(f, 'utf8') }));
      for (let seed = 0; seed < (src === dense ? VARIANTS * 6 : VARIANTS); seed++) {
        const rng = rngFor(seed * 15485863 + src.length);
        const dir = mkdtempSync(join(tmpdir(), 'dowsim-tf-fuzz-'));
        for (const o of originals) {
          const text = o.text.replace(/^(\s*[a-z_]+\s*=\s*)("[^"\n]*"|-?\d+(\.\d+)?|true|false)\s*$/gm, (whole, lhs: string) => (rng() < 0.25 ? `${lhs}${pick(rng, open)}` : whole));
          writeFileSync(join(dir, o.name), text);
          files.push({ file: join(dir, o.name), text });
        }
        variants.push({ label: `${src} seed ${seed}`, dir });
      }
    }
    prefetchHclFiles(files); // one parser process for all of them
    const failures = variants.map((v) => attempt(v.label, () => readTerraform(v.dir))).filter((x): x is string => x !== undefined);
    expect(variants.length).toBeGreaterThan(50);
    expect(failures.slice(0, 3)).toEqual([]);
  });
});
