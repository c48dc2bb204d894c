/**
 * A usage plan's per-method throttles, read from CloudFormation (ApiStages[].Throttle, keyed
 * "/path/METHOD") and Terraform (api_stages { throttle { path … } }), carried into the derived
 * stack, and priced: the audit's attacker holds a key of the plan, so the method throttle is what
 * holds the flood. Served counts are hand computations; readers, simulator and prices are real.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit } from '../../src/audit/audit.ts';
import { standardScenario } from '../../src/audit/attack-scenario.ts';
import { readCloudFormation } from '../../src/audit/read/cloudformation.ts';
import { readSource } from '../../src/audit/read/source.ts';
import { deriveStack } from '../../src/audit/stack-document.ts';
import type { AuditModel } from '../../src/audit/model.ts';
import { simulate } from '../../src/simulate/engine.ts';
import { embeddedPriceBook } from '../../src/pricing/loader.ts';
import { cfnRestTemplate } from '../support/cfn-rest.ts';

/** A REST API with GET /search and GET /items, both needing a key; plan "partner" at 50/100 per key, and `methods` in its ApiStages entry. */
function template(methods: string): string {
  return cfnRestTemplate({
    paths: ['search', 'items'],
    apiKeyRequired: true,
    stageProps: '',
    memoryMb: 1024,
    resources: `  Plan:
    Type: AWS::ApiGateway::UsagePlan
    Properties:
      UsagePlanName: partner
      Throttle: { RateLimit: 50, BurstLimit: 100 }
      ApiStages:
        - { ApiId: !Ref Api, Stage: !Ref Stage${methods} }
`,
  });
}

const WITH = template(', Throttle: { "/search/GET": { RateLimit: 5, BurstLimit: 10 }, "/items/GET": { RateLimit: 5, BurstLimit: 10 }, "//GET": { RateLimit: 1, BurstLimit: 1 } }');
const read = (text: string): AuditModel => readCloudFormation(text, '/repo/template.yaml');

describe("audit: a usage plan's per-method throttles", () => {
  it('CloudFormation: ApiStages[].Throttle "/search/GET" is the plan\'s throttle of GET /search; the root\'s "//GET" is GET /', () => {
    const m = read(WITH);
    expect(m.apis[0].usagePlans[0]).toMatchObject({ name: 'partner', throttle: { rate: 50, burst: 100 }, routes: { 'GET /search': { rate: 5, burst: 10 }, 'GET /items': { rate: 5, burst: 10 }, 'GET /': { rate: 1, burst: 1 } } });
    // the stack keeps those on routes the API has, and says the other is left out
    const { stack, assumptions } = deriveStack(m, m.apis[0]);
    expect(stack.api.usagePlans[0].routes).toEqual({ 'GET /search': { rate: 5, burst: 10 }, 'GET /items': { rate: 5, burst: 10 } });
    expect(assumptions.map((a) => a.message)).toContain("usage plan partner's throttle of GET /: the API has no such method; it is left out");
  });

  it('the flood of one route with a partner key: 10 + 5 × 3,600 served, not the plan\'s 100 + 50 × 3,600', () => {
    const m = read(WITH);
    const { stack } = deriveStack(m, m.apis[0]);
    const scenario = standardScenario(stack, m.apis[0]);
    const bots = scenario.cohorts.find((c) => c.role === 'attack')!;
    expect(bots.apiKey).toBe('partner');
    const tl = simulate(scenario, stack, { horizonSeconds: 3600, throttled: true });
    const search = tl.routes!['GET /search'];
    // users: 20 rps over 100 keys (0.2 each) all served; bots: one key held to 5 rps after 10
    expect(search.succeeded).toBe(20 * 3600 + 10 + 5 * 3600);

    // the audit prices the spread over both routes, 2 × 18,010 of the bots' requests served; without
    // the method throttles the plan's 100 + 50 × 3,600 = 180,100: with the users' 72,000, 108,020
    // requests billed against 252,100 (the 429s' bytes out are the same in both), over twice the bill
    const risk = (text: string) => audit([read(text)], { bookFor: embeddedPriceBook, now: new Date('2026-01-01T00:00:00Z') }).stacks[0].risk;
    expect(risk(WITH).scenario).toBe('account-limit-spread');
    expect(risk(template('')).perHour.throttled).toBeGreaterThan(2 * risk(WITH).perHour.throttled);
  });

  it('a quota offset that names no day of its period is read as 0, with an assumption (DAY ignores it)', () => {
    const withQuota = (q: string) => read(template('').replace('      Throttle: { RateLimit: 50, BurstLimit: 100 }', `      Quota: ${q}`));
    const week = withQuota('{ Limit: 1000, Period: WEEK, Offset: 9 }');
    const d = deriveStack(week, week.apis[0]);
    expect(d.stack.api.usagePlans[0].quota).toEqual({ limit: 1000, period: 'WEEK', offset: 0 });
    expect(d.assumptions.map((a) => a.message)).toContain("usage plan partner's quota offset 9 is not a day of its WEEK period; 0 is assumed");
    const saturday = withQuota('{ Limit: 1000, Period: WEEK, Offset: 6 }');
    expect(deriveStack(saturday, saturday.apis[0]).stack.api.usagePlans[0].quota).toEqual({ limit: 1000, period: 'WEEK', offset: 6 });
  });

  it('Terraform: api_stages { throttle { path = "/search/GET" … } } is the same', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plan-methods-'));
    writeFileSync(
      join(dir, 'main.tf'),
      `resource "aws_api_gateway_rest_api" "api" {
  name = "partners"
}
resource "aws_api_gateway_resource" "search" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_rest_api.api.root_resource_id
  path_part   = "search"
}
resource "aws_api_gateway_method" "search" {
  rest_api_id      = aws_api_gateway_rest_api.api.id
  resource_id      = aws_api_gateway_resource.search.id
  http_method      = "GET"
  authorization    = "NONE"
  api_key_required = true
}
resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  stage_name    = "prod"
  deployment_id = "abc"
}
resource "aws_api_gateway_usage_plan" "partner" {
  name = "partner"
  api_stages {
    api_id = aws_api_gateway_rest_api.api.id
    stage  = aws_api_gateway_stage.prod.stage_name
    throttle {
      path        = "/search/GET"
      rate_limit  = 5
      burst_limit = 10
    }
  }
  throttle_settings {
    rate_limit  = 50
    burst_limit = 100
  }
}
`,
    );
    const m = readSource(dir);
    expect(m.apis[0].usagePlans[0]).toMatchObject({ name: 'partner', throttle: { rate: 50, burst: 100 }, routes: { 'GET /search': { rate: 5, burst: 10 } } });
    expect(deriveStack(m, m.apis[0]).stack.api.usagePlans[0].routes).toEqual({ 'GET /search': { rate: 5, burst: 10 } });
  });
});
