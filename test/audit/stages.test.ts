/**
 * Every stage of an API is an invoke URL of its own with its own throttles and web ACL (AWS: a
 * stage is "a named reference to a deployment", with its own settings; a WAF web ACL is
 * associated with one stage's ARN). A flood takes the least protected, so an API with several
 * stages is audited on that one, and the others are named.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit } from '../../src/audit/audit.ts';
import { readCloudFormation } from '../../src/audit/read/cloudformation.ts';
import { readSource } from '../../src/audit/read/source.ts';
import type { AuditModel } from '../../src/audit/model.ts';
import { embeddedPriceBook } from '../../src/pricing/loader.ts';
import { cfnRateAcl, cfnRestTemplate } from '../support/cfn-rest.ts';

const run = (m: AuditModel) => audit([m], { bookFor: embeddedPriceBook, now: new Date('2026-01-01T00:00:00Z') });
const rules = (m: AuditModel) => run(m).findings.map((f) => f.rule);
const messages = (m: AuditModel) => m.assumptions.map((a) => a.message);

const throttled = (rate: number) => `, MethodSettings: [{ ResourcePath: "/*", HttpMethod: "*", ThrottlingRateLimit: ${rate}, ThrottlingBurstLimit: ${2 * rate} }]`;
const dev = (props = '') => `  DevStage: { Type: AWS::ApiGateway::Stage, Properties: { RestApiId: !Ref Api, DeploymentId: !Ref Deployment, StageName: dev${props} } }\n`;
const association = (stage: string) => cfnRateAcl(`!Join ['', ['arn:aws:apigateway:', !Ref AWS::Region, '::/restapis/', !Ref Api, '/stages/', !Ref ${stage}]]`);

describe('an API with several stages is audited on the least protected', () => {
  it('CloudFormation: prod throttled 50/100 and dev with no throttle: dev is read, DOW001 fires, the assumption names both', () => {
    const m = readCloudFormation(cfnRestTemplate({ stageProps: throttled(50), resources: dev() }), '/repo/t.yaml');
    expect(m.apis[0].stageName).toBe('dev');
    expect(m.apis[0].stage).toBeUndefined();
    expect(m.apis[0].stageAt?.resource).toBe('DevStage');
    expect(messages(m)).toContain(
      'Api has 2 stages ("prod", "dev"), each an invoke URL of its own with its own throttles and web ACL; the audit reads "dev" (DevStage), the least protected (a route with no throttle, no web ACL), as a flood would choose it, and leaves Stage out',
    );
    expect(rules(m)).toContain('DOW001');
    // the one stage alone: throttled, no such finding, no such assumption
    const one = readCloudFormation(cfnRestTemplate({ stageProps: throttled(50) }), '/repo/t.yaml');
    expect(one.apis[0].stage).toEqual({ rate: 50, burst: 100 });
    expect(rules(one)).not.toContain('DOW001');
    expect(messages(one).join('\n')).not.toMatch(/stages \(/);
  });

  it('CloudFormation: a stage made by a Deployment with a StageName is named as such (deployed.stage was missing)', () => {
    const text = cfnRestTemplate({}).replace('Resources:\n', 'Resources:\n  Dep: { Type: AWS::ApiGateway::Deployment, Properties: { RestApiId: !Ref Api, StageName: live } }\n');
    expect(readCloudFormation(text, '/repo/t.yaml').apis[0].stageName).toBe('live');
  });

  it('CloudFormation: both throttled, the looser (dev, 200 rps) is read whichever is written first', () => {
    const m = readCloudFormation(cfnRestTemplate({ stageProps: throttled(50), resources: dev(throttled(200)) }), '/repo/t.yaml');
    expect(m.apis[0].stageName).toBe('dev');
    expect(m.apis[0].stage).toEqual({ rate: 200, burst: 400 });
    expect(messages(m).join('\n')).toContain('the least protected (its loosest route limited to 200 rps, no web ACL)');
    const reversed = readCloudFormation(cfnRestTemplate({ stageProps: throttled(200), resources: dev(throttled(50)) }), '/repo/t.yaml');
    expect(reversed.apis[0].stageName).toBe('prod');
    expect(reversed.apis[0].stage).toEqual({ rate: 200, burst: 400 });
  });

  it('CloudFormation: a stage-wide -1 ("throttling disabled") is no throttle: that stage is read (it counted as tighter than 100 rps)', () => {
    const m = readCloudFormation(cfnRestTemplate({ stageProps: throttled(-1).replace('ThrottlingBurstLimit: -2', 'ThrottlingBurstLimit: -1'), resources: dev(throttled(100)) }), '/repo/t.yaml');
    expect(m.apis[0].stageName).toBe('prod');
    expect(m.apis[0].stage).toBeUndefined();
    expect(rules(m)).toContain('DOW001');
  });

  it("CloudFormation: route throttles count: prod limits its one method to 10 rps, dev lets 5,000 through everywhere: dev is read (prod was, as 'no stage-wide throttle')", () => {
    const route = ', MethodSettings: [{ ResourcePath: "/~1items", HttpMethod: GET, ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 }]';
    const m = readCloudFormation(cfnRestTemplate({ stageProps: route, resources: dev(throttled(5000)) }), '/repo/t.yaml');
    expect(m.apis[0].stageName).toBe('dev');
    expect(m.apis[0].stage).toEqual({ rate: 5000, burst: 10000 });
    expect(m.apis[0].routes.find((r) => r.key === 'GET /items')?.throttle).toBeUndefined();
    expect(messages(m).join('\n')).toContain('the audit reads "dev" (DevStage), the least protected (its loosest route limited to 5000 rps, no web ACL)');
    // a stage-wide throttle a route of its own loosens: prod lets GET /items through at 900 over its 50 stage-wide
    const loosened = readCloudFormation(cfnRestTemplate({ stageProps: `${throttled(50).slice(0, -1)}, { ResourcePath: "/~1items", HttpMethod: GET, ThrottlingRateLimit: 900, ThrottlingBurstLimit: 900 }]`, resources: dev(throttled(500)) }), '/repo/t.yaml');
    expect(loosened.apis[0].stageName).toBe('prod');
  });

  it('CloudFormation: alike throttles, a web ACL on one: the other is read, and the association is left out for it', () => {
    const onProd = readCloudFormation(cfnRestTemplate({ stageProps: throttled(50), resources: dev(throttled(50)) + association('Stage') }), '/repo/t.yaml');
    expect(onProd.apis[0].stageName).toBe('dev');
    expect(onProd.apis[0].waf).toBeUndefined();
    expect(messages(onProd)).toContain('Assoc associates its web ACL with stage "prod", not "dev", the stage the audit reads: it does not protect that one, and is left out');
    expect(rules(onProd)).toContain('DOW004');
    const onDev = readCloudFormation(cfnRestTemplate({ stageProps: throttled(50), resources: dev(throttled(50)) + association('DevStage') }), '/repo/t.yaml');
    expect(onDev.apis[0].stageName).toBe('prod');
    expect(onDev.apis[0].waf).toBeUndefined();
  });

  it('CloudFormation: a stage whose name a parameter without a default leaves open is a stage all the same (it was dropped, and prod read as the only one)', () => {
    const open = cfnRestTemplate({ stageProps: throttled(50), resources: '  Extra: { Type: AWS::ApiGateway::Stage, Properties: { RestApiId: !Ref Api, DeploymentId: !Ref Deployment, StageName: !Ref StageParam } }\n' });
    const m = readCloudFormation(`Parameters:\n  StageParam: { Type: String }\n${open}`, '/repo/t.yaml');
    expect(m.apis[0].stage).toBeUndefined();
    expect(messages(m)).toContain(
      'Api has 2 stages ("prod", (a name left open)), each an invoke URL of its own with its own throttles and web ACL; the audit reads the one whose name is left open (Extra), the least protected (a route with no throttle, no web ACL), as a flood would choose it, and leaves Stage out',
    );
    expect(rules(m)).toContain('DOW001');
  });

  it("CloudFormation: a usage plan of the stage left out is not this stage's (a plan of dev's at 2,000 rps per key was priced on prod); one naming both stages is", () => {
    const plans = `  PlanDev:
    Type: AWS::ApiGateway::UsagePlan
    Properties: { ApiStages: [{ ApiId: !Ref Api, Stage: !Ref DevStage }], Throttle: { RateLimit: 2000, BurstLimit: 4000 } }
  PlanBoth:
    Type: AWS::ApiGateway::UsagePlan
    Properties: { ApiStages: [{ ApiId: !Ref Api, Stage: dev }, { ApiId: !Ref Api, Stage: prod }], Throttle: { RateLimit: 10, BurstLimit: 20 } }
`;
    const m = readCloudFormation(cfnRestTemplate({ stageProps: '', apiKeyRequired: true, resources: dev(throttled(100)) + plans }), '/repo/t.yaml');
    expect(m.apis[0].stageName).toBe('prod');
    expect(m.apis[0].usagePlans.map((u) => u.name)).toEqual(['PlanBoth']);
    expect(messages(m)).toContain('PlanDev applies to stage "dev" of the API, not "prod", the stage the audit reads (a key of it gets 403 there): left out');
    expect(messages(m).join('\n')).not.toMatch(/PlanBoth applies/);
  });

  it("SAM: the API's own stage is one of its stages: an unthrottled prod beside a beta stage resource at 10/20 is read, and SAM's throttles let go where beta is read", () => {
    const sam = (props: string, beta: string) => `Transform: AWS::Serverless-2016-10-31
Globals:
  Api:
    OpenApiVersion: '3.0.1'
Resources:
  MyApi:
    Type: AWS::Serverless::Api
    Properties: { StageName: prod${props} }
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: x
      Events: { Get: { Type: Api, Properties: { RestApiId: !Ref MyApi, Path: /items, Method: get } } }
  Beta:
    Type: AWS::ApiGateway::Stage
    Properties: { RestApiId: !Ref MyApi, DeploymentId: abc, StageName: beta${beta} }
`;
    const m = readCloudFormation(sam('', throttled(10)), '/repo/t.yaml');
    expect(m.apis[0].stageName).toBe('prod');
    expect(m.apis[0].stage).toBeUndefined();
    expect(messages(m).join('\n')).toContain('MyApi has 2 stages ("prod", "beta")');
    expect(rules(m)).toContain('DOW001');
    // SAM's stage throttled at 10/20 and beta open: beta is read, without the throttle SAM's stage gave the API
    const other = readCloudFormation(sam(throttled(10), ''), '/repo/t.yaml');
    expect(other.apis[0].stageName).toBe('beta');
    expect(other.apis[0].stage).toBeUndefined();
    expect(other.apis[0].stageAt?.resource).toBe('Beta');
    expect(rules(other)).toContain('DOW001');
  });

  it('SAM without OpenApiVersion: the "Stage" stage SAM deploys beside a throttled one is named (its translator output has it: a Deployment with StageName "Stage")', () => {
    const text = (extra: string) => `Transform: AWS::Serverless-2016-10-31
Resources:
  MyApi:
    Type: AWS::Serverless::Api
    Properties: { StageName: prod${throttled(50)}${extra} }
`;
    const said = 'SAM also deploys MyApi to a stage named "Stage" because OpenApiVersion is not set: an invoke URL of its own that none of prod\'s method settings throttle; the audit reads "prod" only. Set OpenApiVersion (e.g. \'3.0.1\') to remove that stage';
    expect(messages(readCloudFormation(text(''), '/repo/t.yaml'))).toContain(said);
    expect(messages(readCloudFormation(text(", OpenApiVersion: '3.0.1'"), '/repo/t.yaml'))).not.toContain(said);
  });

  it('Terraform: prod throttled by its method settings and dev with none: dev is read, the method settings of prod left out', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dowsim-stages-'));
    writeFileSync(
      join(dir, 'main.tf'),
      `resource "aws_api_gateway_rest_api" "api" {
  name = "orders"
}
resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = "abc"
  stage_name    = "prod"
}
resource "aws_api_gateway_stage" "dev" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = "abc"
  stage_name    = "dev"
}
resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "*/*"
  settings {
    throttling_rate_limit  = 50
    throttling_burst_limit = 100
  }
}
`,
    );
    const m = readSource(dir);
    expect(m.apis[0].stageName).toBe('dev');
    expect(m.apis[0].stage).toBeUndefined();
    expect(messages(m)).toContain(
      'aws_api_gateway_rest_api.api has 2 stages ("dev", "prod"), each an invoke URL of its own with its own throttles and web ACL; the audit reads "dev" (aws_api_gateway_stage.dev), the least protected (a route with no throttle, no web ACL), as a flood would choose it, and leaves aws_api_gateway_stage.prod out',
    );
    expect(rules(m)).toContain('DOW001');

    // throttling_rate_limit = -1 ("throttling disabled", the provider's default) on prod: prod is read
    writeFileSync(
      join(dir, 'main.tf'),
      readFileSync(join(dir, 'main.tf'), 'utf8').replace('throttling_rate_limit  = 50', 'throttling_rate_limit  = -1') +
        'resource "aws_api_gateway_method_settings" "dev" {\n  rest_api_id = aws_api_gateway_rest_api.api.id\n  stage_name  = "dev"\n  method_path = "*/*"\n  settings {\n    throttling_rate_limit  = 100\n    throttling_burst_limit = 200\n  }\n}\n',
    );
    const off = readSource(dir);
    expect(off.apis[0].stageName).toBe('prod');
    expect(off.apis[0].stage).toBeUndefined();

    // a usage plan of dev's (api_stages naming it by reference) is not prod's
    writeFileSync(
      join(dir, 'main.tf'),
      readFileSync(join(dir, 'main.tf'), 'utf8') +
        'resource "aws_api_gateway_usage_plan" "p" {\n  name = "p"\n  api_stages {\n    api_id = aws_api_gateway_rest_api.api.id\n    stage  = aws_api_gateway_stage.dev.stage_name\n  }\n  throttle_settings {\n    rate_limit  = 25\n    burst_limit = 50\n  }\n}\n',
    );
    const planned = readSource(dir);
    expect(planned.apis[0].usagePlans).toEqual([]);
    expect(messages(planned)).toContain('aws_api_gateway_usage_plan.p applies to stage "dev" of the API, not "prod", the stage the audit reads (a key of it gets 403 there): left out');
  });
});
