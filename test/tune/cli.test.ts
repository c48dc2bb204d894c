import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.ts';
import type { TuneDocument } from '../../src/tune/document.ts';
import { parse as parseYaml } from 'yaml';
import { deriveStack } from '../../src/audit/stack-document.ts';
import { loadStack } from '../../src/stack/load.ts';
import { readMergedCfn, readMergedSls } from '../support/iac-merge.ts';

const FIX = 'test/tune/fixtures';

describe('dowsim tune — the command', () => {
  it('a bad --slo, an unknown cohort or two stacks: exit 1, the flag named, nothing written', async () => {
    const out = mkdtempSync(join(tmpdir(), 'dowsim-tune-bad-'));
    for (const [args, message] of [
      [['--slo', 'legit.latency<200'], /--slo: expected "<legit\|cohort>\.success>=<share>"/],
      [['--slo', 'robots.success>=0.9'], /--slo: no scenario has a cohort named "robots" \(cohorts: users, bots/],
      // an SLO keeps legit users whole: one on the attackers would keep the flood flowing
      [['--slo', 'bots.success>=0.9'], /--slo: "bots" is an attack cohort: an SLO says how much of the legit traffic must succeed \(legit cohorts: users; or "legit"\)/],
      [['--slo', 'legit.success>=1.5'], /--slo: expected a share between 0 and 1/],
      // an empty --slo (an unset shell variable) is refused, not taken for the default
      [['--slo', ''], /--slo: expected "<legit\|cohort>\.success>=<share>" like "legit\.success>=0\.999", got an empty expression ""/],
      [['--slo', ' , '], /--slo: .*got an empty expression " , "/],
      // a share is at most 1: "> 1" never holds (it ran the whole search and exited 3)
      [['--slo', 'legit.success>1'], /--slo: "legit\.success>1" can never hold: a share is at most 1 \(100%\); for every request to succeed write "legit\.success>=1"/],
      [['--slo', 'users.success>100%'], /--slo: "users\.success>100%" can never hold/],
      [['--stack', `${FIX}/rest-flaky.yaml`], /--stack: give exactly one stack to tune, got 2/],
      [['--max-candidates', 'lots'], /--max-candidates: expected a whole number/],
      [['--cost-tolerance', '150%'], /--cost-tolerance: expected a share like "1%"/],
    ] as const) {
      const r = await runCli(['tune', `${FIX}/fixed-ip-flood.yaml`, '--stack', `${FIX}/rest-open.yaml`, ...args, '--out', out]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    }
    expect(readdirSync(out)).toEqual([]);
  });

  it('a broken scenario file is named with its key path, exit 1', async () => {
    const r = await runCli(['tune', `${FIX}/rest-open.yaml`, '--stack', `${FIX}/rest-open.yaml`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/rest-open\.yaml/);
    expect(r.stderr).not.toMatch(/internal error/);
  });

  it('an SLO no configuration can meet: exit 3, the closest named, best null, no stack file written', async () => {
    // The handler fails 1 % of invocations: legit success can never pass 99 %, whatever the throttles.
    const out = mkdtempSync(join(tmpdir(), 'dowsim-tune-none-'));
    const r = await runCli(['tune', `${FIX}/fixed-ip-flood.yaml`, '--stack', `${FIX}/rest-flaky.yaml`, '--slo', 'users.success>=99.9%', '--json', '--out', out, '--max-candidates', '40']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/no configuration meets the SLO \(users\.success>=0\.999\) in every scenario; the closest costs .* with legit success 99\.000% in fixed-ip-flood/);
    const doc = JSON.parse(r.stdout) as TuneDocument;
    expect(doc.schema).toBe('dowsim.tune/1');
    expect(doc.best).toBeNull();
    expect(doc.patches).toBeNull();
    expect(doc.closest!.legitSuccess).toBeCloseTo(0.99, 6);
    expect(doc.evaluated).toBeLessThanOrEqual(40);
    expect(readdirSync(out).sort()).toEqual(['tune.html', 'tune.json']);
  });

  it('an exit-3 run into the folder of an earlier recommendation removes its stack file and patches: nothing there contradicts the report', async () => {
    const out = mkdtempSync(join(tmpdir(), 'dowsim-tune-stale-'));
    // the same stack with an SLO it can meet: a recommendation, its stack file and patches
    const ok = await runCli(['tune', `${FIX}/fixed-ip-flood.yaml`, '--stack', `${FIX}/rest-flaky.yaml`, '--slo', 'users.success>=98%', '--out', out, '--max-candidates', '40']);
    expect(ok.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['patch-cloudformation.yaml', 'patch.tf', 'rest-flaky-tuned.yaml', 'tune.html', 'tune.json']);
    const none = await runCli(['tune', `${FIX}/fixed-ip-flood.yaml`, '--stack', `${FIX}/rest-flaky.yaml`, '--slo', 'users.success>=99.9%', '--out', out, '--max-candidates', '40']);
    expect(none.code).toBe(3);
    expect(none.stderr).toMatch(/removed .*patch\.tf: an earlier recommendation, which this run does not make/);
    expect(readdirSync(out).sort()).toEqual(['tune.html', 'tune.json']);
  });

  it('legit requests no route serves: exit 3, and the closest, changing nothing, is not called the cheapest that meets the SLO', async () => {
    // fixed-ip-flood's users send GET /items; this API only has GET /hello: every legit request is
    // a 404 whatever the throttles, so nothing searched comes closer to the SLO than the stack as given
    const dir = mkdtempSync(join(tmpdir(), 'dowsim-tune-404-'));
    const stack = join(dir, 'hello-only.yaml');
    writeFileSync(stack, 'name: hello-only\nregion: us-east-1\napi:\n  kind: rest\n  routes:\n    "GET /hello": {}\nlambda:\n  memoryMb: 512\n');
    const out = join(dir, 'out');
    const r = await runCli(['tune', `${FIX}/fixed-ip-flood.yaml`, '--stack', stack, '--out', out, '--max-candidates', '20']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/cohort "users" \(legit\) sends GET \/items, which matches no route/);
    expect(r.stderr).toMatch(/legit success 0\.000% in fixed-ip-flood \(the stack as given\); not one legit request succeeds there: see the warnings above\n$/);
    expect(r.stdout).toMatch(/^closest .*legit success 0\.000% \(misses the SLO\)$/m);
    expect(r.stdout).toContain('  no change: no configuration searched comes closer to the SLO than the stack as given');
    expect(r.stdout).not.toContain('cheapest that meets the SLO');
    const html = readFileSync(join(out, 'tune.html'), 'utf8');
    expect(html).toContain('<p id="changes">No change: no configuration searched comes closer to the SLO than the stack as given.</p>');
  });

  it('--out: a self-contained HTML report with the front as inline SVG and no script; --json prints the document only', async () => {
    const out = mkdtempSync(join(tmpdir(), 'dowsim-tune-html-'));
    const r = await runCli(['tune', `${FIX}/fixed-ip-flood.yaml`, '--stack', `${FIX}/rest-open.yaml`, '--json', '--out', out, '--max-candidates', '60']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as TuneDocument; // stdout is the document and nothing else
    expect(Object.keys(doc)).toEqual(expect.arrayContaining(['schema', 'scenarios', 'slo', 'evaluated', 'best', 'front', 'patches']));
    expect(doc.slo).toEqual(['legit.success>=0.999']);
    expect(doc.front.length).toBeGreaterThan(1);
    // the front is Pareto-optimal: dearer points are strictly kinder to users
    for (let i = 1; i < doc.front.length; i++) {
      expect(doc.front[i].perHour).toBeGreaterThanOrEqual(doc.front[i - 1].perHour);
      expect(doc.front[i].legitSuccess).toBeGreaterThan(doc.front[i - 1].legitSuccess);
    }
    const html = readFileSync(join(out, 'tune.html'), 'utf8');
    expect(html).not.toMatch(/<script|\son[a-z]+=|https?:\/\/(?!www\.w3\.org)/i);
    expect(html).toMatch(/<svg[^>]*>[\s\S]*<circle[\s\S]*<\/svg>/);
    expect(html.match(/data-point="front"/g)!.length).toBe(doc.front.length);
    expect(html).toContain('waf.rateLimit.limit: none → ');
    expect(existsSync(join(out, 'rest-open-tuned.yaml'))).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'tune.json'), 'utf8')).best.perHour).toBe(doc.best!.perHour);
  });

  it('without --json: the best configuration and what changed, as "path: from → to"', async () => {
    const r = await runCli(['tune', `${FIX}/fixed-ip-flood.yaml`, '--stack', `${FIX}/rest-open.yaml`, '--max-candidates', '60']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^best +\$[\d.]+\/h \(−\d+\.\d%\), legit success 100\.000%$/m);
    expect(r.stdout).toMatch(/^ {2}waf\.rateLimit\.limit: none → \d+$/m);
    expect(r.stdout).toMatch(/[\d,]+ configurations in [\d.]+ s \([\d,]+\/s\)/);
    expect(r.stdout).toContain('CloudFormation / SAM:');
    expect(r.stdout).toContain('resource "aws_wafv2_web_acl" "rate_limit"');
  });

  it('--stack template.yaml#OrdersApi (SAM): the patch is written onto OrdersApi and its functions, and the template merged with it reads back to the recommended stack', async () => {
    const out = mkdtempSync(join(tmpdir(), 'dowsim-tune-sam-'));
    const template = `${FIX}/sam-orders.yaml`;
    const r = await runCli(['tune', 'botnet-flood', 'leech', '--stack', `${template}#OrdersApi`, '--json', '--out', out]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as TuneDocument;
    const patch = doc.patches!.cloudformation;
    expect(patch).toContain(`merge into ${template}`);
    // the user's own logical ids, never the placeholders a stack file gets
    expect(patch).not.toMatch(/^ {2}(ApiStage|Function|Api):$|Ref: Api(Deployment)?$/m);
    const resources = Object.keys((parseYaml(patch) as { Resources: Record<string, unknown> }).Resources);
    expect(resources.every((id) => ['OrdersApi', 'ItemsFunction', 'SearchFunction', 'RateLimitWebAcl', 'RateLimitWebAclAssociation'].includes(id))).toBe(true);
    // the recommended stack file (written by --out) and the merged template say the same settings
    const recommended = loadStack(join(out, 'ordersapi-tuned.yaml'));
    const model = readMergedCfn(readFileSync(template, 'utf8'), patch);
    const back = deriveStack(model, model.apis.find((a) => a.id === 'OrdersApi')!).stack;
    expect(back.api.stage).toEqual(recommended.api.stage);
    expect(back.api.routes).toEqual(recommended.api.routes);
    expect(back.waf?.rateLimit?.limit).toEqual(recommended.waf?.rateLimit?.limit);
    expect(back.lambda.reservedConcurrency).toEqual(recommended.lambda.reservedConcurrency);
    expect(back.functions?.map((f) => f.reservedConcurrency)).toEqual(recommended.functions?.map((f) => f.reservedConcurrency));
    // something was changed, so the comparison above is not between two untouched stacks
    expect(doc.best!.changes.length).toBeGreaterThan(0);
  });

  it('--stack serverless.yml: a serverless.yml patch (the throttling plugin, the function\'s events) printed, in the document and written by --out; merged, the file reads back to the recommended stack', async () => {
    const out = mkdtempSync(join(tmpdir(), 'dowsim-tune-sls-'));
    const service = `${FIX}/sls-shop/serverless.yml`;
    const r = await runCli(['tune', `${FIX}/sticky-route-flood.yaml`, '--stack', service, '--json', '--out', out]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as TuneDocument;
    const patch = doc.patches!.serverless!;
    expect(patch.split('\n')[0]).toBe(`# dowsim tune: the changed settings of ApiGatewayRestApi; merge into ${service} (key by key: maps merge, lists replace)`);
    expect(readFileSync(join(out, 'patch-serverless.yml'), 'utf8')).toBe(patch);
    expect(readFileSync(join(out, 'tune.html'), 'utf8')).toContain('<pre id="patch-serverless">');
    // the flood is on GET /search: its event is throttled through the plugin
    expect(doc.best!.changes.map((c) => c.path)).toContain('api.routes["GET /search"].rate');
    expect((parseYaml(patch) as { plugins: string[] }).plugins).toEqual(['serverless-offline', 'serverless-api-gateway-throttling']);
    const recommended = loadStack(join(out, 'apigatewayrestapi-tuned.yaml'));
    const model = readMergedSls(readFileSync(service, 'utf8'), patch);
    const back = deriveStack(model, model.apis.find((a) => a.id === 'ApiGatewayRestApi')!).stack;
    expect(back.api.routes['GET /search']).toEqual(recommended.api.routes['GET /search']);
    expect(back.api.routes['GET /items'] ?? null).toEqual(recommended.api.routes['GET /items'] ?? null);
    expect(back.lambda.reservedConcurrency).toEqual(recommended.lambda.reservedConcurrency);
    expect(back.functions?.map((f) => f.reservedConcurrency)).toEqual(recommended.functions?.map((f) => f.reservedConcurrency));
    // the terminal answer shows it first, before the CloudFormation and Terraform ones
    const text = await runCli(['tune', `${FIX}/sticky-route-flood.yaml`, '--stack', service]);
    expect(text.stdout.indexOf('Serverless Framework (serverless.yml):')).toBeGreaterThan(0);
    expect(text.stdout.indexOf('Serverless Framework (serverless.yml):')).toBeLessThan(text.stdout.indexOf('CloudFormation / SAM:'));
  });

  it('--help lists tune with its flags', async () => {
    const r = await runCli(['tune', '--help']);
    expect(r.code).toBe(0);
    for (const flag of ['--stack', '--slo', '--json', '--out', '--max-candidates']) expect(r.stdout).toContain(flag);
  });
});
