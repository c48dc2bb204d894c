/**
 * Tune's patches, read back by the project's own audit readers (issue 14): the CloudFormation and
 * Terraform snippets are fragments, so each is wrapped here into the smallest template / folder
 * that holds the API, routes and function they refer to (`Api`, `ApiDeployment`, `Function`;
 * `aws_api_gateway_rest_api.api`, `aws_lambda_function.function`). The audit must then read the
 * same stage and route throttles, WAF rate limit and window, and reserved concurrency as the stack
 * the patch was written from.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { readCloudFormation } from '../../src/audit/read/cloudformation.ts';
import { readTerraform } from '../../src/audit/read/terraform.ts';
import { deriveStack } from '../../src/audit/stack-document.ts';
import type { AuditModel } from '../../src/audit/model.ts';
import { embeddedPriceBook } from '../../src/pricing/loader.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { loadStack } from '../../src/stack/load.ts';
import type { Stack } from '../../src/stack/types.ts';
import { cloudFormationPatch } from '../../src/tune/patch-cloudformation.ts';
import { terraformPatch } from '../../src/tune/patch-terraform.ts';
import { parseSlo } from '../../src/tune/slo.ts';
import { tune } from '../../src/tune/tune.ts';
import { makeStack } from '../support/stacks.ts';

const FIX = 'test/tune/fixtures';

/** GET /items and GET /items/{id} on a REST API `Api`, both invoking `Function` (the patch supplies Function itself). */
const CFN_REST_BASE = {
  Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'orders' } },
  Items: { Type: 'AWS::ApiGateway::Resource', Properties: { RestApiId: { Ref: 'Api' }, ParentId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] }, PathPart: 'items' } },
  Item: { Type: 'AWS::ApiGateway::Resource', Properties: { RestApiId: { Ref: 'Api' }, ParentId: { Ref: 'Items' }, PathPart: '{id}' } },
  ...Object.fromEntries(
    [['GetItems', 'Items'], ['GetItem', 'Item']].map(([id, res]) => [
      id,
      {
        Type: 'AWS::ApiGateway::Method',
        Properties: {
          RestApiId: { Ref: 'Api' },
          ResourceId: { Ref: res },
          HttpMethod: 'GET',
          AuthorizationType: 'NONE',
          Integration: { Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST', Uri: { 'Fn::Sub': 'arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Function.Arn}/invocations' } },
        },
      },
    ]),
  ),
  ApiDeployment: { Type: 'AWS::ApiGateway::Deployment', Properties: { RestApiId: { Ref: 'Api' } } },
};

const TF_REST_BASE = `resource "aws_api_gateway_rest_api" "api" {
  name = "orders"
}
resource "aws_api_gateway_resource" "items" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_rest_api.api.root_resource_id
  path_part   = "items"
}
resource "aws_api_gateway_resource" "item" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_resource.items.id
  path_part   = "{id}"
}
resource "aws_api_gateway_method" "get_items" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.items.id
  http_method   = "GET"
  authorization = "NONE"
}
resource "aws_api_gateway_method" "get_item" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.item.id
  http_method   = "GET"
  authorization = "NONE"
}
resource "aws_api_gateway_integration" "get_items" {
  rest_api_id             = aws_api_gateway_rest_api.api.id
  resource_id             = aws_api_gateway_resource.items.id
  http_method             = aws_api_gateway_method.get_items.http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = aws_lambda_function.function.invoke_arn
}
resource "aws_api_gateway_integration" "get_item" {
  rest_api_id             = aws_api_gateway_rest_api.api.id
  resource_id             = aws_api_gateway_resource.item.id
  http_method             = aws_api_gateway_method.get_item.http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = aws_lambda_function.function.invoke_arn
}
`;

/** The one API's derived stack document, read back from a source. */
function readBack(model: AuditModel): Record<string, any> {
  expect(model.apis).toHaveLength(1);
  return deriveStack(model, model.apis[0]).document as Record<string, any>;
}

function fromCloudFormation(patch: string): Record<string, any> {
  const resources = (parseYaml(patch) as { Resources: Record<string, unknown> }).Resources;
  const text = stringify({ Resources: { ...CFN_REST_BASE, ...resources } }, { lineWidth: 0 });
  return readBack(readCloudFormation(text, '/repo/template.yaml'));
}

function fromTerraform(patch: string): Record<string, any> {
  const dir = mkdtempSync(join(tmpdir(), 'dowsim-readback-'));
  writeFileSync(join(dir, 'main.tf'), TF_REST_BASE);
  writeFileSync(join(dir, 'patch.tf'), patch);
  return readBack(readTerraform(dir));
}

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

  it('dowsim tune on leaked-key × rest-keyed: the quota it recommends reads back from both patches', () => {
    const stack = loadStack(`${FIX}/rest-keyed.yaml`);
    const scenarios = [loadScenario(`${FIX}/leaked-key.yaml`)];
    const { doc, recommended } = tune(stack, scenarios, { slo: parseSlo([], scenarios), book: embeddedPriceBook('us-east-1') });
    expect(recommended.api.usagePlans[0].quota).toBeDefined();
    const want = expected(recommended).usagePlans;
    expect(got(fromCloudFormation(doc.patches!.cloudformation)).usagePlans).toEqual(want);
    expect(got(fromTerraform(doc.patches!.terraform)).usagePlans).toEqual(want);
  });
});
