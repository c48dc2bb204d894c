import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parse as parseHcl } from '@cdktf/hcl2json';
import { runCli } from '../support/cli.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { parseStack } from '../../src/stack/parse.ts';
import { simulate } from '../../src/simulate/engine.ts';
import { priceVariant } from '../../src/cost/stack-result.ts';
import { loadPriceBook } from '../../src/pricing/loader.ts';
import type { ResultDocument } from '../../src/model/result.ts';
import type { TuneDocument } from '../../src/tune/document.ts';

const FIX = 'test/tune/fixtures';
const SLO = 0.999;

async function tuneJson(args: string[]): Promise<{ doc: TuneDocument; out: string }> {
  const out = mkdtempSync(join(tmpdir(), 'dowsim-tune-'));
  const r = await runCli(['tune', ...args, '--json', '--out', out], { timeoutMs: 240_000 });
  expect(r.stderr).not.toMatch(/internal error/);
  expect(r.code).toBe(0);
  return { doc: JSON.parse(r.stdout) as TuneDocument, out };
}

/** The recommended stack, simulated again by the CLI's own `simulate` over the scenario's 10 minutes. */
async function resimulate(scenario: string, stackFile: string): Promise<{ perHour: number; users: number }> {
  const r = await runCli(['simulate', scenario, '--stack', stackFile, '--horizon', '10m', '--json']);
  expect(r.code).toBe(0);
  const doc = JSON.parse(r.stdout) as ResultDocument;
  const users = doc.stacks[0].throttled.cohorts.users.totals;
  return { perHour: doc.stacks[0].throttled.bill.perHour, users: users.succeeded / users.offered };
}

const paths = (doc: TuneDocument) => doc.best!.changes.map((c) => c.path);

describe('dowsim tune finds the optimum known by construction', () => {
  it('fixed-IP attackers 2,000× above a user per IP: a per-IP WAF rate rule, at least as cheap as an exhaustive WAF limit × stage rate grid', async () => {
    const { doc, out } = await tuneJson([`${FIX}/fixed-ip-flood.yaml`, '--stack', `${FIX}/rest-open.yaml`, '--cost-tolerance', '0']);
    // Users send 0.1 rps per IP (6 a minute, 30 per 5 minutes); each bot IP 200 rps. A WAF rule
    // between the two blocks every bot IP ~30 s after it starts and no user; a stage or route
    // throttle shares one bucket between users and bots, so any throttle that cuts the 1,000 rps
    // flood turns users away too (20 of 1,020 rps get through a full bucket pro rata).
    expect(doc.best).not.toBeNull();
    expect(paths(doc)).toContain('waf.rateLimit.limit');
    expect(paths(doc)).not.toContain('api.stage.rate');
    expect(doc.best!.legitSuccess).toBeGreaterThanOrEqual(SLO);
    expect(doc.best!.perHour).toBeLessThan(doc.baseline.perHour / 3);

    // The exhaustive grid, built here from stack text and run through simulate() without tune's code.
    const scenario = loadScenario(`${FIX}/fixed-ip-flood.yaml`);
    const book = loadPriceBook('us-east-1');
    let gridBest = Infinity;
    for (const waf of [undefined, 10, 100, 1_000, 100_000]) {
      for (const window of waf === undefined ? ['5m'] : ['1m', '5m']) {
        for (const rate of [undefined, 10, 20, 25, 50, 100, 500, 1_000, 5_000]) {
          const text = [
            'name: grid',
            'api:',
            '  kind: rest',
            ...(rate === undefined ? [] : [`  stage: { rate: ${rate}, burst: ${rate} }`]),
            ...(waf === undefined ? [] : ['waf:', `  rateLimit: { limit: ${waf}, window: ${window} }`]),
            'lambda: { memoryMb: 512, duration: 120ms, initDuration: 400ms, timeout: 10s }',
          ].join('\n');
          const stack = parseStack(text);
          const priced = priceVariant(simulate(scenario, stack, { horizonSeconds: 600, bucketSeconds: 600 }), stack, book, 600);
          const users = priced.cohorts.users.totals;
          if (users.succeeded / users.offered >= SLO) gridBest = Math.min(gridBest, priced.bill.perHour);
        }
      }
    }
    expect(gridBest).toBeLessThan(Infinity);
    expect(doc.best!.perHour).toBeLessThanOrEqual(gridBest * (1 + 1e-9));

    // The recommended stack file, simulated again through the CLI, keeps users within the SLO at the promised price.
    const again = await resimulate(`${FIX}/fixed-ip-flood.yaml`, join(out, 'rest-open-tuned.yaml'));
    expect(again.users).toBeGreaterThanOrEqual(SLO);
    expect(again.perHour).toBeCloseTo(doc.best!.perHour, 9);
    expect(again.perHour).toBeLessThanOrEqual(gridBest * (1 + 1e-9));

    // …and the change comes as CloudFormation and Terraform saying the same limit and window.
    const limit = doc.best!.changes.find((c) => c.path === 'waf.rateLimit.limit')!.to;
    const windowSec = Number(String(doc.best!.changes.find((c) => c.path === 'waf.rateLimit.window')!.to).replace('s', ''));
    const cfn = parseYaml(readFileSync(join(out, 'patch-cloudformation.yaml'), 'utf8')) as { Resources: Record<string, { Type: string; Properties: any }> };
    const acl = Object.values(cfn.Resources).find((r) => r.Type === 'AWS::WAFv2::WebACL')!;
    expect(acl.Properties.Rules[0].Statement.RateBasedStatement).toMatchObject({ Limit: limit, EvaluationWindowSec: windowSec, AggregateKeyType: 'IP' });
    expect(Object.values(cfn.Resources).some((r) => r.Type === 'AWS::WAFv2::WebACLAssociation')).toBe(true);
    const tf = (await parseHcl('patch.tf', readFileSync(join(out, 'patch.tf'), 'utf8'))) as any;
    const rbs = tf.resource.aws_wafv2_web_acl.rate_limit[0].rule[0].statement[0].rate_based_statement[0];
    expect(rbs).toMatchObject({ limit, evaluation_window_sec: windowSec, aggregate_key_type: 'IP' });
    expect(doc.patches!.cloudformation).toBe(readFileSync(join(out, 'patch-cloudformation.yaml'), 'utf8'));
  });

  it('a flood from rotating IPs on one route: a throttle on that route, no WAF, users untouched', async () => {
    const { doc, out } = await tuneJson([`${FIX}/rotating-route-flood.yaml`, '--stack', `${FIX}/rest-open.yaml`]);
    // No bot IP sends more than 10 requests (WAF's lowest limit) before it rotates, so no rate rule
    // can catch them; users never call GET /search, so a throttle there costs them nothing, while
    // a stage throttle would share its bucket between 20 rps of users and 2,000 rps of bots.
    expect(doc.best).not.toBeNull();
    expect(paths(doc)).toContain('api.routes["GET /search"].rate');
    expect(paths(doc).some((p) => p.startsWith('waf.'))).toBe(false);
    expect(paths(doc)).not.toContain('api.stage.rate');
    const route = doc.best!.changes.find((c) => c.path === 'api.routes["GET /search"].rate')!;
    // the tightest route throttle tune offers: 1 rps (no legit traffic needs more there)
    expect(route.to).toBe(1);
    // Reserved concurrency could shave a few hundredths of a percent more by throttling users' cold
    // starts; within the default 1 % cost tolerance the configuration that keeps every user wins.
    expect(paths(doc)).not.toContain('lambda.reservedConcurrency');
    expect(doc.best!.legitSuccess).toBe(1);
    // 2,000 rps × 9 min unthrottled vs ~1 rps: well under a tenth of the bill as given
    expect(doc.best!.perHour).toBeLessThan(doc.baseline.perHour / 10);

    const again = await resimulate(`${FIX}/rotating-route-flood.yaml`, join(out, 'rest-open-tuned.yaml'));
    expect(again.users).toBeGreaterThanOrEqual(SLO);
    expect(again.perHour).toBeCloseTo(doc.best!.perHour, 9);
    const cfn = parseYaml(doc.patches!.cloudformation) as { Resources: Record<string, { Type: string; Properties: any }> };
    // AWS::ApiGateway::Stage MethodSettings: "/resource/subresource must be encoded as /~1resource~1subresource"
    expect(cfn.Resources.ApiStage.Properties.MethodSettings).toContainEqual(expect.objectContaining({ ResourcePath: '/~1search', HttpMethod: 'GET', ThrottlingRateLimit: 1 }));
    const tf = (await parseHcl('patch.tf', doc.patches!.terraform)) as any;
    const settings = Object.values(tf.resource.aws_api_gateway_method_settings).map((v: any) => v[0]);
    // Terraform: method_path is the stage's key of the method, "/search" escaped as "~1search" (the AWS CLI's update-stage example: "~1resourceName/GET")
    expect(settings).toContainEqual(expect.objectContaining({ method_path: '~1search/GET', settings: [expect.objectContaining({ throttling_rate_limit: 1 })] }));
  });
});
