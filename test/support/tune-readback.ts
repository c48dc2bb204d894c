/**
 * The smallest user templates tune's patches refer to (a REST API `Api` with GET /items and
 * GET /items/{id} invoking `Function`; the same in Terraform), and how a patch is applied to them
 * before the project's own audit readers read the result back (test/tune/patches-readback.test.ts).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';
import { readCloudFormation } from '../../src/audit/read/cloudformation.ts';
import { readTerraform } from '../../src/audit/read/terraform.ts';
import { deriveStack } from '../../src/audit/stack-document.ts';
import type { AuditModel } from '../../src/audit/model.ts';
import type { Stack } from '../../src/stack/types.ts';
import { cloudFormationPatch } from '../../src/tune/patch-cloudformation.ts';
import { terraformPatch } from '../../src/tune/patch-terraform.ts';
import { makeStack } from './stacks.ts';

/** GET /items and GET /items/{id} on a REST API `Api`, both invoking `Function` (the patch supplies Function itself). */
export const CFN_REST_BASE = {
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

export const TF_REST_BASE = `resource "aws_api_gateway_rest_api" "api" {
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

/** The derived stack document of API `id` in a model read back. */
export function apiReadBack(model: AuditModel, id: string): Record<string, any> {
  const api = model.apis.find((a) => a.id === id);
  expect(api, `API ${id} read back`).toBeDefined();
  return deriveStack(model, api!).document as Record<string, any>;
}

/** The one API's derived stack document, read back from a source. */
export function readBack(model: AuditModel): Record<string, any> {
  expect(model.apis).toHaveLength(1);
  return deriveStack(model, model.apis[0]).document as Record<string, any>;
}

export function fromCloudFormation(patch: string): Record<string, any> {
  const resources = (parseYaml(patch) as { Resources: Record<string, unknown> }).Resources;
  const text = stringify({ Resources: { ...CFN_REST_BASE, ...resources } }, { lineWidth: 0 });
  return readBack(readCloudFormation(text, '/repo/template.yaml'));
}

export function fromTerraform(patch: string): Record<string, any> {
  const dir = mkdtempSync(join(tmpdir(), 'dowsim-readback-'));
  writeFileSync(join(dir, 'main.tf'), TF_REST_BASE);
  writeFileSync(join(dir, 'patch.tf'), patch);
  return readBack(readTerraform(dir));
}


/** A web ACL the user wrote: tune's own for the stack's rate rule (or an empty one), with `others` managed rule groups beside it. */
export function userCfnWaf(base: Stack, others: number): Record<string, any> {
  const withRule = base.waf?.rateLimit ? base : makeStack({ waf: { rules: 1, rateLimit: { limit: 1_000, windowSeconds: 300, key: 'ip', delaySeconds: 30 } } });
  const res = (parseYaml(cloudFormationPatch(makeStack(), withRule)) as { Resources: Record<string, any> }).Resources;
  const acl = res.RateLimitWebAcl.Properties;
  if (!base.waf?.rateLimit) acl.Rules = [];
  for (let i = 1; i <= others; i++) {
    acl.Rules.push({ Name: `managed-${i}`, Priority: i, OverrideAction: { None: {} }, Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' } }, VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: `managed-${i}` } });
  }
  return res;
}

export function fromCloudFormationOver(userWaf: Record<string, any>, patch: string): Record<string, any> {
  const resources: Record<string, any> = structuredClone({ ...CFN_REST_BASE, ...userWaf });
  for (const m of patch.matchAll(/^# delete: (\S+)(?: rule (\S+))? — /gm)) {
    if (m[2]) resources[m[1]].Properties.Rules = resources[m[1]].Properties.Rules.filter((r: any) => r.Name !== m[2]);
    else delete resources[m[1]];
  }
  const patched = (parseYaml(patch) as { Resources?: Record<string, any> } | null)?.Resources ?? {};
  // the patch's web ACL stands for the user's: its rate rule replaces theirs, their other rules stay
  for (const [id, r] of Object.entries(patched)) {
    const mine = resources[id];
    if (r.Type === 'AWS::WAFv2::WebACL' && mine) {
      const kept = mine.Properties.Rules.filter((x: any) => !x.Statement.RateBasedStatement);
      resources[id] = { ...r, Properties: { ...r.Properties, Rules: [...r.Properties.Rules, ...kept] } };
    } else resources[id] = r;
  }
  const text = stringify({ Resources: resources }, { lineWidth: 0 });
  return readBack(readCloudFormation(text, '/repo/template.yaml'));
}

/** The same web ACL in Terraform: tune's own blocks, with `others` managed rule groups beside the rate rule. */
export function userTfWaf(base: Stack, others: number): string {
  const withRule = base.waf?.rateLimit ? base : makeStack({ waf: { rules: 1, rateLimit: { limit: 1_000, windowSeconds: 300, key: 'ip', delaySeconds: 30 } } });
  let text = terraformPatch(makeStack(), withRule);
  if (!base.waf?.rateLimit) text = dropBlock(text, /^ {2}rule \{$/, /^ {4}name +=/, '  }');
  const managed = Array.from({ length: others }, (_, i) =>
    [`  rule {`, `    name     = "managed-${i + 1}"`, `    priority = ${i + 1}`, `    override_action {`, `      none {}`, `    }`, `    statement {`, `      managed_rule_group_statement {`, `        name        = "AWSManagedRulesCommonRuleSet"`, `        vendor_name = "AWS"`, `      }`, `    }`, `    visibility_config {`, `      cloudwatch_metrics_enabled = true`, `      metric_name                = "managed-${i + 1}"`, `      sampled_requests_enabled   = true`, `    }`, `  }`].join('\n'),
  );
  return text.replace(/^( {2}default_action \{\n {4}allow \{\}\n {2}\}\n)/m, `$1${managed.map((m) => `${m}\n`).join('')}`);
}

export function fromTerraformOver(userWaf: string, patch: string): Record<string, any> {
  let waf = userWaf;
  for (const m of patch.matchAll(/^# delete: (\S+)(?: rule (\S+))? — /gm)) {
    const [type, name] = m[1].split('.');
    const header = new RegExp(`^resource "${type}" "${name}" \\{$`);
    if (m[2]) waf = dropRule(waf, header, m[2]);
    else waf = dropBlock(waf, header, /^/, '}');
  }
  // the patch's blocks replace the user's of the same address (the rate rule's web ACL keeps their other rules)
  let patchText = patch;
  for (const m of patch.matchAll(/^resource "(\S+)" "(\S+)" \{$/gm)) {
    const header = new RegExp(`^resource "${m[1]}" "${m[2]}" \\{$`);
    if (m[1] === 'aws_wafv2_web_acl' && header.test(waf.split('\n').find((l) => header.test(l)) ?? '')) {
      const kept = waf.match(/^ {2}rule \{\n {4}name += "managed-[\s\S]*?^ {2}\}\n/gm) ?? [];
      patchText = patchText.replace(/^( {2}default_action \{\n {4}allow \{\}\n {2}\}\n)/m, `$1${kept.join('')}`);
    }
    waf = dropBlock(waf, header, /^/, '}');
  }
  waf = waf.replace(/^data "aws_region" "current" \{\}$/m, patchText.includes('data "aws_region" "current"') ? '' : '$&');
  const dir = mkdtempSync(join(tmpdir(), 'dowsim-readback-'));
  writeFileSync(join(dir, 'main.tf'), TF_REST_BASE);
  writeFileSync(join(dir, 'waf.tf'), waf);
  writeFileSync(join(dir, 'patch.tf'), patchText);
  return readBack(readTerraform(dir));
}

/** Removes the block whose first line matches `header` (and whose next line matches `next`) up to the line `end`. */
function dropBlock(text: string, header: RegExp, next: RegExp, end: string): string {
  const lines = text.split('\n');
  const at = lines.findIndex((l, i) => header.test(l) && next.test(lines[i + 1] ?? ''));
  if (at < 0) return text;
  const to = lines.indexOf(end, at + 1);
  lines.splice(at, to - at + 1);
  return lines.join('\n');
}

/** Removes the `rule` block named `rule` from the resource block whose first line matches `header`. */
function dropRule(text: string, header: RegExp, rule: string): string {
  const lines = text.split('\n');
  const from = lines.findIndex((l) => header.test(l));
  const at = lines.findIndex((l, i) => i > from && l === '  rule {' && lines[i + 1].includes(`"${rule}"`));
  const to = lines.indexOf('  }', at + 1);
  lines.splice(at, to - at + 1);
  return lines.join('\n');
}
