/**
 * Tune's patches, read back by the project's own audit readers (issue 14): the CloudFormation and
 * Terraform snippets are fragments, so each is wrapped here into the smallest template / folder
 * that holds the API, routes and function they refer to (`Api`, `ApiDeployment`, `Function`;
 * `aws_api_gateway_rest_api.api`, `aws_lambda_function.function`). The audit must then read the
 * same stage and route throttles, WAF rate limit and window, and reserved concurrency as the stack
 * the patch was written from.
 */
import { describe, expect, it } from 'vitest';
import { embeddedPriceBook } from '../../src/pricing/loader.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { loadStack } from '../../src/stack/load.ts';
import { parseStack } from '../../src/stack/parse.ts';
import type { Stack } from '../../src/stack/types.ts';
import { cloudFormationPatch } from '../../src/tune/patch-cloudformation.ts';
import { terraformPatch } from '../../src/tune/patch-terraform.ts';
import { parseSlo } from '../../src/tune/slo.ts';
import { tune } from '../../src/tune/tune.ts';
import { makeStack } from '../support/stacks.ts';
import { fromCloudFormation, fromCloudFormationOver, fromTerraform, fromTerraformOver, userCfnWaf, userTfWaf } from '../support/tune-readback.ts';

const FIX = 'test/tune/fixtures';

/** The settings a patch must carry, as a derived stack document says them. */
function expected(s: Stack) {
  return {
    stage: s.api.stage ? { rate: s.api.stage.rate, burst: s.api.stage.burst } : undefined,
    routes: Object.fromEntries(Object.entries(s.api.routes).filter(([, t]) => t).map(([k, t]) => [k, { rate: t!.rate, burst: t!.burst }])),
    waf: s.waf?.rateLimit ? { limit: s.waf.rateLimit.limit, window: `${s.waf.rateLimit.windowSeconds}s` } : undefined,
    reservedConcurrency: s.lambda.reservedConcurrency,
    usagePlans: s.api.usagePlans.map((p) => ({ name: p.name, throttle: p.throttle, quota: p.quota })),
  };
}

function got(doc: Record<string, any>) {
  return {
    stage: doc.api.stage,
    routes: Object.fromEntries(Object.entries(doc.api.routes as Record<string, any>).filter(([, t]) => t.rate !== undefined).map(([k, t]) => [k, { rate: t.rate, burst: t.burst }])),
    waf: doc.waf?.rateLimit,
    reservedConcurrency: doc.lambda.reservedConcurrency,
    usagePlans: ((doc.api.usagePlans ?? []) as Record<string, any>[]).map((p) => ({ name: p.name, throttle: p.throttle, quota: p.quota })),
  };
}

describe("tune's patches read back by the audit to the same settings", () => {
  it('dowsim tune on fixed-ip-flood × rest-open: its CloudFormation and Terraform patches read back to the recommended settings', () => {
    const stack = loadStack(`${FIX}/rest-open.yaml`);
    const scenarios = [loadScenario(`${FIX}/fixed-ip-flood.yaml`)];
    const { doc, recommended } = tune(stack, scenarios, { slo: parseSlo(['legit.success>=0.999'], scenarios), book: embeddedPriceBook('us-east-1'), maxEvaluations: 60 });
    expect(doc.patches).not.toBeNull();
    // the recommendation sets something the patches must say (a per-IP WAF rule wins by construction)
    expect(recommended.waf?.rateLimit).toBeDefined();
    const want = expected(recommended);
    expect(got(fromCloudFormation(doc.patches!.cloudformation))).toEqual(want);
    expect(got(fromTerraform(doc.patches!.terraform))).toEqual(want);
  });

  it('every setting at once (stage, a route with a path parameter, WAF 300 per 120 s, reserved concurrency 40)', () => {
    const base = makeStack();
    const tuned = makeStack({
      api: { stage: { rate: 120, burst: 240 }, routes: { 'GET /items': null, 'GET /items/{id}': { rate: 5, burst: 10 } } },
      waf: { rules: 1, rateLimit: { limit: 300, windowSeconds: 120, key: 'ip', delaySeconds: 30 } },
      lambda: { reservedConcurrency: 40 },
    });
    // hand-written expectation: what the tuned stack above sets
    const want = { stage: { rate: 120, burst: 240 }, routes: { 'GET /items/{id}': { rate: 5, burst: 10 } }, waf: { limit: 300, window: '120s' }, reservedConcurrency: 40, usagePlans: [] };
    expect(got(fromCloudFormation(cloudFormationPatch(base, tuned)))).toEqual(want);
    expect(got(fromTerraform(terraformPatch(base, tuned)))).toEqual(want);
  });

  it('a usage plan with a per-key throttle and a quota (AWS::ApiGateway::UsagePlan Throttle and Quota; aws_api_gateway_usage_plan throttle_settings and quota_settings)', () => {
    const base = makeStack({ api: { apiKeyRequired: true, usagePlans: [{ name: 'partner' }] } });
    const tuned = makeStack({
      api: { apiKeyRequired: true, usagePlans: [{ name: 'partner', throttle: { rate: 2, burst: 4 }, quota: { limit: 15_000, period: 'DAY', offset: 0 } }] },
    });
    // hand-written expectation: what the tuned stack above sets
    const plan = { name: 'partner', throttle: { rate: 2, burst: 4 }, quota: { limit: 15_000, period: 'DAY', offset: 0 } };
    expect(got(fromCloudFormation(cloudFormationPatch(base, tuned))).usagePlans).toEqual([plan]);
    expect(got(fromTerraform(terraformPatch(base, tuned))).usagePlans).toEqual([plan]);
  });

  it("a usage plan's per-method throttle stays in the complete plan both patches write (ApiStages[].Throttle \"/items/{id}/GET\"; api_stages throttle path)", () => {
    const routes = { 'GET /items': null, 'GET /items/{id}': null };
    const methods = { 'GET /items/{id}': { rate: 1, burst: 3 } };
    const base = makeStack({ api: { apiKeyRequired: true, routes, usagePlans: [{ name: 'partner', routes: methods }] } });
    const tuned = makeStack({ api: { apiKeyRequired: true, routes, usagePlans: [{ name: 'partner', throttle: { rate: 2, burst: 4 }, routes: methods }] } });
    const cfnText = cloudFormationPatch(base, tuned);
    expect(cfnText).toContain('/items/{id}/GET:');
    expect(terraformPatch(base, tuned)).toContain('path        = "/items/{id}/GET"');
    // hand-written expectation: what the tuned stack above sets
    const plan = { name: 'partner', throttle: { rate: 2, burst: 4 }, routes: { 'GET /items/{id}': { rate: 1, burst: 3 } } };
    const withRoutes = (doc: Record<string, any>) => (doc.api.usagePlans as Record<string, any>[]).map((p) => ({ name: p.name, throttle: p.throttle, routes: p.routes }));
    expect(withRoutes(fromCloudFormation(cfnText))).toEqual([plan]);
    expect(withRoutes(fromTerraform(terraformPatch(base, tuned)))).toEqual([plan]);
  });

  it('dowsim tune on leaked-key × rest-keyed: the quota it recommends reads back from both patches', () => {
    const stack = loadStack(`${FIX}/rest-keyed.yaml`);
    const scenarios = [loadScenario(`${FIX}/leaked-key.yaml`)];
    const { doc, recommended } = tune(stack, scenarios, { slo: parseSlo([], scenarios), book: embeddedPriceBook('us-east-1') });
    expect(recommended.api.usagePlans[0].quota).toBeDefined();
    const want = expected(recommended).usagePlans;
    expect(got(fromCloudFormation(doc.patches!.cloudformation)).usagePlans).toEqual(want);
    expect(got(fromTerraform(doc.patches!.terraform)).usagePlans).toEqual(want);
  });

  it('dowsim tune drops a WAF rule no rotating bot ever trips: both patches say to delete it, and read back without it', () => {
    const stack = parseStack(`
name: rest-waf-open
api: { kind: rest }
waf: { rules: 1, rateLimit: { limit: 2000, window: 5m } }
lambda: { memoryMb: 512, duration: 120ms, initDuration: 400ms, timeout: 10s }
`);
    const scenarios = [loadScenario(`${FIX}/rotating-route-flood.yaml`)];
    const { doc, recommended } = tune(stack, scenarios, { slo: parseSlo([], scenarios), book: embeddedPriceBook('us-east-1') });
    // no bot IP sends more than 10 requests before it rotates: the rule only adds WAF's price
    expect(recommended.waf).toBeUndefined();
    expect(doc.patches!.cloudformation).toMatch(/^# delete: RateLimitWebAcl — /m);
    expect(doc.patches!.terraform).toMatch(/^# delete: aws_wafv2_web_acl\.rate_limit — /m);
    expect(fromCloudFormationOver(userCfnWaf(stack, 0), doc.patches!.cloudformation).waf).toBeUndefined();
    expect(fromTerraformOver(userTfWaf(stack, 0), doc.patches!.terraform).waf).toBeUndefined();
  });

  describe('a WAF change on a stack that already has a web ACL: the user template with the patch acted on ("# delete:" lines, then its resources merged) reads back to the tuned settings', () => {
    const rule = { limit: 2_000, windowSeconds: 300, key: 'ip' as const, delaySeconds: 30 };
    const cases = [
      // the rate rule was the web ACL's only rule: web ACL and association go
      { name: 'rate rule removed, it was the only rule', base: { rules: 1, rateLimit: rule }, tuned: undefined },
      // two managed rule groups stay beside it
      { name: 'rate rule removed, 2 other rules stay', base: { rules: 3, rateLimit: rule }, tuned: { rules: 2 } },
      { name: 'rate rule tightened, 2 other rules stay', base: { rules: 3, rateLimit: rule }, tuned: { rules: 3, rateLimit: { ...rule, limit: 100, windowSeconds: 60 } } },
      { name: 'rate rule added to a web ACL with 2 other rules', base: { rules: 2 }, tuned: { rules: 3, rateLimit: { ...rule, limit: 100 } } },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const base = makeStack({ waf: c.base });
        const tuned = makeStack({});
        if (c.tuned) tuned.waf = c.tuned;
        else delete tuned.waf;
        const others = c.base.rules - (c.base.rateLimit ? 1 : 0);
        // what each read must say, by hand: the tuned stack's rule count and rate limit
        const want = c.tuned ? { rules: c.tuned.rules, ...(c.tuned.rateLimit ? { rateLimit: { limit: c.tuned.rateLimit.limit, window: `${c.tuned.rateLimit.windowSeconds}s` } } : {}) } : undefined;
        expect(fromCloudFormationOver(userCfnWaf(base, others), cloudFormationPatch(base, tuned)).waf).toEqual(want);
        expect(fromTerraformOver(userTfWaf(base, others), terraformPatch(base, tuned)).waf).toEqual(want);
      });
    }
  });
});

