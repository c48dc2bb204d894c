/**
 * A WAF rate-based rule blocks only when its action does: with `Count` (CloudFormation
 * `Action: { Count: {} }`, Terraform `action { count {} }`) it counts matching requests and lets
 * them through (AWS WAF rule actions). Such a web ACL has no working rate rule, though WAF still
 * bills its rules: the audit reads no rate limit, says why, and reports the missing rate rule.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCloudFormation } from '../../src/audit/read/cloudformation.ts';
import { readSource } from '../../src/audit/read/source.ts';
import { audit } from '../../src/audit/audit.ts';
import { embeddedPriceBook } from '../../src/pricing/loader.ts';
import { cfnRateAcl, cfnRestTemplate } from '../support/cfn-rest.ts';

const cfn = (action: string) => `Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersApi:
    Type: AWS::Serverless::Api
    Properties: { StageName: prod }
  OrdersFn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Events: { Get: { Type: Api, Properties: { RestApiId: !Ref OrdersApi, Path: /orders, Method: get } } }
${cfnRateAcl('!Sub arn:aws:apigateway:${AWS::Region}::/restapis/${OrdersApi}/stages/prod', action)}`;

const tf = (action: string) => `resource "aws_api_gateway_rest_api" "api" {
  name = "orders"
}
resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  stage_name    = "prod"
  deployment_id = "abc"
}
resource "aws_wafv2_web_acl" "acl" {
  name  = "acl"
  scope = "REGIONAL"
  default_action {
    allow {}
  }
  rule {
    name     = "rate"
    priority = 0
    action {
      ${action} {}
    }
    statement {
      rate_based_statement {
        limit              = 500
        aggregate_key_type = "IP"
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "rate"
      sampled_requests_enabled   = true
    }
  }
  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = "acl"
    sampled_requests_enabled   = true
  }
}
resource "aws_wafv2_web_acl_association" "prod" {
  resource_arn = aws_api_gateway_stage.prod.arn
  web_acl_arn  = aws_wafv2_web_acl.acl.arn
}
`;

function fromTf(text: string) {
  const dir = mkdtempSync(join(tmpdir(), 'waf-action-'));
  writeFileSync(join(dir, 'main.tf'), text);
  return readSource(dir);
}

describe('a rate-based rule that counts does not block', () => {
  it('CloudFormation: Action Block is a rate limit of 500; Action Count is none, with an assumption; both are one billed rule', () => {
    const block = readCloudFormation(cfn('{ Block: {} }'), '/repo/t.yaml');
    expect(block.apis[0].waf).toMatchObject({ rules: 1, rateLimit: { limit: 500, windowSeconds: 300 } });
    const count = readCloudFormation(cfn('{ Count: {} }'), '/repo/t.yaml');
    expect(count.apis[0].waf).toMatchObject({ rules: 1 });
    expect(count.apis[0].waf!.rateLimit).toBeUndefined();
    expect(count.assumptions.map((a) => a.message)).toContain('rate-based rule rate counts, it does not block (Action: Count); it is read as no rate rule');
  });

  it('Terraform: action { block {} } is a rate limit of 500; action { count {} } is none, with an assumption', () => {
    expect(fromTf(tf('block')).apis[0].waf).toMatchObject({ rules: 1, rateLimit: { limit: 500, windowSeconds: 300 } });
    const count = fromTf(tf('count'));
    expect(count.apis[0].waf).toMatchObject({ rules: 1 });
    expect(count.apis[0].waf!.rateLimit).toBeUndefined();
    expect(count.assumptions.map((a) => a.message)).toContain('rate-based rule rate counts, it does not block (action count); it is read as no rate rule');
  });
});

describe('what the reader cannot see is said, not guessed', () => {
  it('a web ACL the source does not define: an assumption that its rules are unknown (CloudFormation and Terraform)', () => {
    const cfnText = cfn('{ Block: {} }').replace('WebACLArn: !GetAtt Acl.Arn', 'WebACLArn: arn:aws:wafv2:us-east-1:123456789012:regional/webacl/shared/abc');
    const m = readCloudFormation(cfnText, '/repo/t.yaml');
    expect(m.apis[0].waf).toMatchObject({ rules: 0 });
    expect(m.assumptions.map((a) => a.message)).toContain("the web ACL that Assoc associates is not defined in this template: its rules are unknown, so it is read as a web ACL without a rate-based rule (WAF's per-request price is counted, no rule's)");
    const t = fromTf(tf('block').replace('web_acl_arn  = aws_wafv2_web_acl.acl.arn', 'web_acl_arn  = aws_wafv2_web_acl.elsewhere.arn'));
    expect(t.assumptions.map((a) => a.message)).toContain("the web ACL that aws_wafv2_web_acl_association.prod associates is not defined in this configuration: its rules are unknown, so it is read as a web ACL without a rate-based rule (WAF's per-request price is counted, no rule's)");
  });

  it('Terraform: a method_path built from expressions names one method, not the stage: its throttle is left out, with an assumption', () => {
    const m = fromTf(`resource "aws_api_gateway_rest_api" "api" {
  name = "orders"
}
resource "aws_api_gateway_resource" "items" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_rest_api.api.root_resource_id
  path_part   = "items"
}
resource "aws_api_gateway_method" "get" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.items.id
  http_method   = "GET"
  authorization = "NONE"
}
resource "aws_api_gateway_method_settings" "items" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = "prod"
  method_path = "\${trimprefix(aws_api_gateway_resource.items.path, "/")}/\${aws_api_gateway_method.get.http_method}"
  settings {
    throttling_rate_limit  = 3
    throttling_burst_limit = 6
  }
}
`);
    expect(m.apis[0].stage).toBeUndefined();
    expect(m.assumptions.map((a) => a.message)).toContain('method_path cannot be determined from the configuration; the throttle of aws_api_gateway_method_settings.items applies to one method the audit cannot name, and is left out');
  });
});

describe('DOW004 says when its fix costs more than it saves', () => {
  it('a stage-throttled API under the 10,000 rps flood: a WAF rule bills every request it inspects, so the fix says it would cost more', () => {
    const text = cfnRestTemplate({ stageProps: ', MethodSettings: [ { ResourcePath: "/*", HttpMethod: "*", ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 } ]' });
    const doc = audit([readCloudFormation(text, '/repo/t.yaml')], { bookFor: embeddedPriceBook, now: new Date('2026-01-01T00:00:00Z') });
    const f = doc.findings.find((x) => x.rule === 'DOW004')!;
    // 36 M requests inspected at $0.60 per million is $21.60 an hour, above the throttled API's risk
    expect(f.fix!.perHourAfterFix).toBeGreaterThan(21.6);
    expect(f.fix!.perHourAfterFix).toBeGreaterThan(f.atRisk!.perHour);
    expect(f.fix!.description).toMatch(/it would cost more than it saves: WAF bills each of the flood's requests it inspects/);
  });
});

describe('a web ACL protects the stage its association names, no other', () => {
  const cfnWith = (arn: string, extra = '') => cfn('{ Block: {} }').replace('ResourceArn: !Sub arn:aws:apigateway:${AWS::Region}::/restapis/${OrdersApi}/stages/prod', `ResourceArn: ${arn}`) + extra;
  const left = (id: string, named: string) => `${id} associates its web ACL with stage "${named}", not "prod", the stage the audit reads: it does not protect that one, and is left out`;

  it.each([
    ['Fn::Sub naming prod', '!Sub arn:aws:apigateway:${AWS::Region}::/restapis/${OrdersApi}/stages/prod', ''],
    ["Fn::Sub naming the SAM API's own stage (${OrdersApi.Stage})", '!Sub arn:aws:apigateway:${AWS::Region}::/restapis/${OrdersApi}/stages/${OrdersApi.Stage}', ''],
    ['Fn::Join ending in a parameter that holds prod', "!Join ['', ['arn:aws:apigateway:', !Ref AWS::Region, '::/restapis/', !Ref OrdersApi, '/stages/', !Ref Env]]", '\nParameters:\n  Env: { Type: String, Default: prod }\n'],
    ['a stage the template cannot name (an import): taken to be this one', "!Sub ['arn:aws:apigateway:${AWS::Region}::/restapis/${OrdersApi}/stages/${S}', { S: !ImportValue stage }]", ''],
  ])('CloudFormation, %s: the rate rule counts', (_, arn, extra) => {
    const m = readCloudFormation(cfnWith(arn, extra), '/repo/t.yaml');
    expect(m.apis[0].stageName).toBe('prod');
    expect(m.apis[0].waf).toMatchObject({ rules: 1, rateLimit: { limit: 500 } });
  });

  it.each([
    ['Fn::Sub naming dev', '!Sub arn:aws:apigateway:${AWS::Region}::/restapis/${OrdersApi}/stages/dev', '', 'dev'],
    ['Fn::Join ending in a parameter that holds dev', "!Join ['', ['arn:aws:apigateway:', !Ref AWS::Region, '::/restapis/', !Ref OrdersApi, '/stages/', !Ref Env]]", '\nParameters:\n  Env: { Type: String, Default: dev }\n', 'dev'],
  ])('CloudFormation, %s: no WAF on prod, and an assumption naming both stages', (_, arn, extra, named) => {
    const text = cfnWith(arn, extra);
    const m = readCloudFormation(text, '/repo/t.yaml');
    expect(m.apis[0].waf).toBeUndefined();
    expect(m.assumptions.map((a) => a.message)).toContain(left('Assoc', named));
  });

  it('Terraform: an association made per instance of the stage (for_each = aws_api_gateway_stage.prod, resource_arn = each.value.arn) protects it (it was dropped: the baseline priced without WAF)', () => {
    const text = tf('block')
      .replace('resource "aws_api_gateway_stage" "prod" {', 'resource "aws_api_gateway_stage" "prod" {\n  for_each      = toset(["prod"])')
      .replace('resource_arn = aws_api_gateway_stage.prod.arn', 'for_each     = aws_api_gateway_stage.prod\n  resource_arn = each.value.arn');
    const m = fromTf(text);
    expect(m.apis[0].waf).toMatchObject({ rules: 1, rateLimit: { limit: 500 } });
    expect(m.assumptions.map((a) => a.message).join('\n')).not.toMatch(/for_each cannot be determined/);
  });

  it('Terraform: an association with stage dev of an API whose stage is prod leaves prod without WAF', () => {
    const text = tf('block').replace('resource_arn = aws_api_gateway_stage.prod.arn', 'resource_arn = "arn:aws:apigateway:us-east-1::/restapis/${aws_api_gateway_rest_api.api.id}/stages/dev"');
    const m = fromTf(text);
    expect(m.apis[0].stageName).toBe('prod');
    expect(m.apis[0].waf).toBeUndefined();
    expect(m.assumptions.map((a) => a.message)).toContain(left('aws_wafv2_web_acl_association.prod', 'dev'));
    // naming prod, it protects prod
    const same = fromTf(tf('block').replace('resource_arn = aws_api_gateway_stage.prod.arn', 'resource_arn = "arn:aws:apigateway:us-east-1::/restapis/${aws_api_gateway_rest_api.api.id}/stages/prod"'));
    expect(same.apis[0].waf).toMatchObject({ rules: 1, rateLimit: { limit: 500 } });
  });
});
