/**
 * When the stack was read from the user's own template or configuration (`--stack
 * template.yaml#OrdersApi`, `--stack infra/`), tune's patches name the user's resources: their
 * SAM API, stage, deployment, function, usage plan and web ACL, by logical id or address. Each
 * patch is merged into the real source the way its header tells a person to (test/support/iac-merge.ts),
 * and the project's own audit must read the merged source back to the tuned settings while the
 * user's other settings (logging, metrics, code) stay. Expected values are written by hand.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';
import { readCloudFormation } from '../../src/audit/read/cloudformation.ts';
import { parse as parseHcl } from '@cdktf/hcl2json';
import { loadIacStack } from '../../src/audit/stack-source.ts';
import { readSource } from '../../src/audit/read/source.ts';
import { iacTargets } from '../../src/audit/targets.ts';
import { corpusSources } from '../audit/corpus-sources.ts';
import { deriveStack } from '../../src/audit/stack-document.ts';
import type { Stack } from '../../src/stack/types.ts';
import { cloudFormationPatch } from '../../src/tune/patch-cloudformation.ts';
import { terraformPatch } from '../../src/tune/patch-terraform.ts';
import { mergeCfnPatch, readMergedCfn, readMergedSls, readMergedTf } from '../support/iac-merge.ts';
import { serverlessPatch } from '../../src/tune/patch-serverless.ts';
import { apiReadBack, fromCloudFormation, fromTerraform } from '../support/tune-readback.ts';
import { makeStack } from '../support/stacks.ts';

const SAM_ORDERS = 'test/tune/fixtures/sam-orders.yaml';
const CORPUS = 'test/fixtures/iac-corpus';
const TF_DOCS = `${CORPUS}/terraform/tf-provider-aws-docs`;

function source(arg: string) {
  const r = loadIacStack(arg);
  if (!r?.targets) throw new Error(`no targets for ${arg}`);
  return { stack: r.stack, targets: r.targets };
}

/** A file of its own in a fresh folder. */
function written(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'dowsim-source-')), name);
  writeFileSync(path, text);
  return path;
}

/** The derived stack document of API `id` in a model read back. */
const readBack = apiReadBack;

/** A REST API `Shop` with GET /items (a template's first lines). */
const SHOP_API = [
  'Resources:',
  '  Shop:',
  '    Type: AWS::ApiGateway::RestApi',
  '  Items:',
  '    Type: AWS::ApiGateway::Resource',
  '    Properties: { RestApiId: !Ref Shop, ParentId: !GetAtt Shop.RootResourceId, PathPart: items }',
  '  GetItems:',
  '    Type: AWS::ApiGateway::Method',
  '    Properties: { RestApiId: !Ref Shop, ResourceId: !Ref Items, HttpMethod: GET, AuthorizationType: NONE }',
];

/** A SAM template: an HTTP API `HttpOrders` with these property lines, and function `Search` serving GET /search (and GET /items with `items`). */
function samHttpApi(properties: string[], items = false): string {
  return [
    'Transform: AWS::Serverless-2016-10-31',
    'Resources:',
    '  HttpOrders:',
    '    Type: AWS::Serverless::HttpApi',
    '    Properties:',
    ...properties.map((l) => `      ${l}`),
    '  Search:',
    '    Type: AWS::Serverless::Function',
    '    Properties:',
    '      Runtime: nodejs20.x',
    '      Handler: search.handler',
    '      Events:',
    '        Search: { Type: HttpApi, Properties: { ApiId: !Ref HttpOrders, Path: /search, Method: get } }',
    ...(items ? ['        Items: { Type: HttpApi, Properties: { ApiId: !Ref HttpOrders, Path: /items, Method: get } }'] : []),
    '',
  ].join('\n');
}

const rateRule = { limit: 100, windowSeconds: 60, key: 'ip' as const, delaySeconds: 30 };

describe('patches written onto the CloudFormation/SAM template the stack was read from', () => {
  it('an AWS::Serverless::Api: MethodSettings on OrdersApi, ReservedConcurrentExecutions on SearchFunction, a web ACL on the stage SAM makes', () => {
    const { stack, targets } = source(`${SAM_ORDERS}#OrdersApi`);
    const tuned = structuredClone(stack);
    tuned.api.stage = { rate: 50, burst: 100 };
    tuned.api.routes['GET /search'] = { rate: 1.5, burst: 2 };
    tuned.functions!.find((f) => f.name === 'SearchFunction')!.reservedConcurrency = 5;
    tuned.waf = { rules: 1, rateLimit: rateRule };
    const patch = cloudFormationPatch(stack, tuned, targets);
    const r = (parseYaml(patch) as { Resources: Record<string, any> }).Resources;
    expect(r.OrdersApi).toEqual({
      Type: 'AWS::Serverless::Api',
      Properties: {
        MethodSettings: [
          { ResourcePath: '/*', HttpMethod: '*', ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
          { ResourcePath: '/~1search', HttpMethod: 'GET', ThrottlingRateLimit: 1.5, ThrottlingBurstLimit: 2 },
        ],
      },
    });
    expect(r.SearchFunction).toEqual({ Type: 'AWS::Serverless::Function', Properties: { ReservedConcurrentExecutions: 5 } });
    // SAM names the stage it makes <Api logical id><StageName>Stage; the association must wait for it
    expect(r.RateLimitWebAclAssociation.DependsOn).toBe('OrdersApiprodStage');
    expect(r.RateLimitWebAclAssociation.Properties.ResourceArn['Fn::Sub']).toBe('arn:aws:apigateway:${AWS::Region}::/restapis/${OrdersApi}/stages/prod');
    // no placeholder the user would have to rename
    expect(Object.keys(r).sort()).toEqual(['OrdersApi', 'RateLimitWebAcl', 'RateLimitWebAclAssociation', 'SearchFunction']);
    expect(patch).toContain('# note: written onto your own OrdersApi, SearchFunction: only the properties shown change; keep the others');

    const text = readFileSync(SAM_ORDERS, 'utf8');
    const merged = mergeCfnPatch(text, patch);
    expect(merged.Resources.SearchFunction.Properties).toMatchObject({ Handler: 'search.handler', MemorySize: 1024, ReservedConcurrentExecutions: 5 });
    const doc = readBack(readMergedCfn(text, patch), 'OrdersApi');
    expect(doc.api.stage).toEqual({ rate: 50, burst: 100 });
    expect(doc.api.routes['GET /search']).toMatchObject({ rate: 1.5, burst: 2 });
    expect(doc.api.routes['GET /items']).toEqual({});
    expect(doc.functions).toEqual([expect.objectContaining({ name: 'SearchFunction', reservedConcurrency: 5 })]);
    expect(doc.lambda.reservedConcurrency).toBeUndefined();
    expect(doc.waf).toEqual({ rules: 1, rateLimit: { limit: 100, window: '60s' } });
  });

  it("SAM's implicit API: Globals.Api.MethodSettings keeps the template's logging entry and adds the throttles (the root path is \"/\")", () => {
    const file = `${CORPUS}/sam-translator/api_with_method_settings.input.yaml`;
    const { stack, targets } = source(`${file}#ServerlessRestApi`);
    const tuned = structuredClone(stack);
    tuned.api.stage = { rate: 50, burst: 100 };
    tuned.api.routes['GET /'] = { rate: 5, burst: 10 };
    const patch = cloudFormationPatch(stack, tuned, targets);
    const p = parseYaml(patch) as Record<string, any>;
    expect(p.Resources).toBeUndefined();
    // the template's ExplicitApi sets no MethodSettings of its own: Globals reach it too
    expect(patch).toContain('# note: Globals.Api applies to ExplicitApi too, unless they set these properties themselves');
    // the template: Globals.Api.MethodSettings [{LoggingLevel: INFO, MetricsEnabled: true, DataTraceEnabled: true, ResourcePath: /*, HttpMethod: '*'}]
    expect(p.Globals).toEqual({
      Api: {
        MethodSettings: [
          { LoggingLevel: 'INFO', MetricsEnabled: true, DataTraceEnabled: true, ResourcePath: '/*', HttpMethod: '*', ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
          { ResourcePath: '/', HttpMethod: 'GET', ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 },
        ],
      },
    });
    const model = readMergedCfn(readFileSync(file, 'utf8'), patch);
    const doc = readBack(model, 'ServerlessRestApi');
    expect(doc.api.stage).toEqual({ rate: 50, burst: 100 });
    expect(doc.api.routes['GET /']).toMatchObject({ rate: 5, burst: 10 });
    // the logging entry is still there: the audit still finds its data trace
    expect(model.apis.find((a) => a.id === 'ServerlessRestApi')!.dataTrace).toBeDefined();
  });

  it("a CDK app's synthesized Stage and UsagePlan: their logical ids, the Stage's access logs and logging level kept", () => {
    const file = `${CORPUS}/cdk/apilam-deployFunction.template.json`;
    const { stack, targets } = source(file);
    const stageId = 'testapigatewaylambdaLambdaRestApiDeploymentStageprod4EBF7247';
    const planId = 'testapigatewaylambdaLambdaRestApiUsagePlan658131E3';
    const tuned = structuredClone(stack);
    tuned.api.stage = { rate: 40, burst: 80 };
    tuned.api.usagePlans[0].throttle = { rate: 2, burst: 4 };
    const patch = cloudFormationPatch(stack, tuned, targets);
    const r = (parseYaml(patch) as { Resources: Record<string, any> }).Resources;
    expect(Object.keys(r).sort()).toEqual([stageId, planId].sort());
    expect(r[stageId].Type).toBe('AWS::ApiGateway::Stage');
    // the template's one entry: {DataTraceEnabled: false, HttpMethod: '*', LoggingLevel: INFO, ResourcePath: '/*'}
    expect(r[stageId].Properties).toEqual({ MethodSettings: [{ DataTraceEnabled: false, HttpMethod: '*', LoggingLevel: 'INFO', ResourcePath: '/*', ThrottlingRateLimit: 40, ThrottlingBurstLimit: 80 }] });
    expect(r[planId]).toEqual({ Type: 'AWS::ApiGateway::UsagePlan', Properties: { Throttle: { RateLimit: 2, BurstLimit: 4 } } });
    const text = readFileSync(file, 'utf8');
    expect(mergeCfnPatch(text, patch).Resources[stageId].Properties.AccessLogSetting).toBeDefined();
    const doc = readBack(readMergedCfn(text, patch), stack.name);
    expect(doc.api.stage).toEqual({ rate: 40, burst: 80 });
    expect(doc.api.usagePlans[0].throttle).toEqual({ rate: 2, burst: 4 });
  });

  it("a SAM API's own usage plan (Auth.UsagePlan, PER_API): its throttle and quota on the API, its name, description and tags kept", () => {
    const file = `${CORPUS}/sam-translator/api_with_usageplans.input.yaml`;
    const { stack, targets } = source(`${file}#MyApiTwo`);
    // the template: UsagePlanName SomeRandomName, Throttle 1000/1000, Quota 10 a MONTH from day 11
    expect(stack.api.usagePlans).toEqual([{ name: 'SomeRandomName', throttle: { rate: 1000, burst: 1000 }, quota: { limit: 10, period: 'MONTH', offset: 10 } }]);
    const tuned = structuredClone(stack);
    tuned.api.usagePlans[0] = { name: 'SomeRandomName', throttle: { rate: 2, burst: 4 }, quota: { limit: 100, period: 'DAY', offset: 0 } };
    const patch = cloudFormationPatch(stack, tuned, targets);
    expect((parseYaml(patch) as any).Resources).toEqual({
      MyApiTwo: { Type: 'AWS::Serverless::Api', Properties: { Auth: { UsagePlan: { Throttle: { RateLimit: 2, BurstLimit: 4 }, Quota: { Limit: 100, Period: 'DAY', Offset: 0 } } } } },
    });
    const text = readFileSync(file, 'utf8');
    expect(mergeCfnPatch(text, patch).Resources.MyApiTwo.Properties.Auth.UsagePlan).toMatchObject({ CreateUsagePlan: 'PER_API', UsagePlanName: 'SomeRandomName', Description: 'Description for usage plan' });
    const doc = readBack(readMergedCfn(text, patch), 'MyApiTwo');
    expect(doc.api.usagePlans).toEqual([{ name: 'SomeRandomName', throttle: { rate: 2, burst: 4 }, quota: { limit: 100, period: 'DAY', offset: 0 } }]);
    // dropping the plan's throttle is a line to act on: a merge cannot remove a key
    const dropped = structuredClone(stack);
    dropped.api.usagePlans[0] = { name: 'SomeRandomName', quota: { limit: 100, period: 'DAY', offset: 0 } };
    expect(cloudFormationPatch(stack, dropped, targets)).toContain('# note: MyApiTwo Auth.UsagePlan: remove Throttle: the tuned plan has none');
  });

  it('what a merge cannot remove is a note naming the resource: reserved concurrency, an HTTP stage or route throttle', () => {
    const sam = source(`${SAM_ORDERS}#OrdersApi`);
    const reserved = structuredClone(sam.stack);
    reserved.lambda.reservedConcurrency = 4;
    const none = structuredClone(sam.stack);
    expect(cloudFormationPatch(reserved, none, sam.targets)).toContain('# note: ItemsFunction: remove ReservedConcurrentExecutions (4 now): the tuned stack reserves none');
    expect(cloudFormationPatch(reserved, none, sam.targets)).not.toContain('Resources:');

    const http = samHttpApi(['DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 }', "RouteSettings: { 'GET /search': { ThrottlingRateLimit: 2, ThrottlingBurstLimit: 4 } }"], true);
    const { stack, targets } = source(written('template.yaml', http));
    expect(stack.api.routes['GET /search']).toEqual({ rate: 2, burst: 4 });
    const tuned = structuredClone(stack);
    delete tuned.api.stage;
    tuned.api.routes['GET /search'] = null;
    tuned.api.routes['GET /items'] = { rate: 9, burst: 18 };
    const patch = cloudFormationPatch(stack, tuned, targets);
    expect(patch).toContain("# note: HttpOrders: remove DefaultRouteSettings' ThrottlingRateLimit and ThrottlingBurstLimit: the tuned stack has no stage throttle");
    expect(patch).toContain(`# note: HttpOrders: remove RouteSettings' "GET /search" throttle: the tuned stack does not throttle it`);
    expect((parseYaml(patch) as any).Resources.HttpOrders.Properties).toEqual({ RouteSettings: { 'GET /items': { ThrottlingRateLimit: 9, ThrottlingBurstLimit: 18 } } });
  });

  it('a template `cdk synth` wrote (a CDKMetadata resource): the patch says the change belongs in the CDK app', () => {
    const text = `${readFileSync(SAM_ORDERS, 'utf8')}  CDKMetadata:\n    Type: AWS::CDK::Metadata\n    Properties: { Analytics: v2 }\n`;
    const { stack, targets } = source(`${written('OrdersStack.template.yaml', text)}#OrdersApi`);
    const tuned = structuredClone(stack);
    tuned.api.stage = { rate: 50, burst: 100 };
    expect(cloudFormationPatch(stack, tuned, targets)).toContain('# note: this template is synthesized by the AWS CDK: make the change in the CDK app');
    expect(cloudFormationPatch(stack, tuned, source(`${SAM_ORDERS}#OrdersApi`).targets)).not.toContain('AWS CDK');
  });

  it("a Deployment's StageDescription: the stage throttle is its own, a route throttle the tuned stack drops leaves the entry's metrics", () => {
    const text = [
      ...SHOP_API,
      '  ShopDeployment:',
      '    Type: AWS::ApiGateway::Deployment',
      '    Properties:',
      '      RestApiId: !Ref Shop',
      '      StageName: live',
      '      StageDescription:',
      '        ThrottlingRateLimit: 10',
      '        ThrottlingBurstLimit: 20',
      '        MethodSettings:',
      '          - { ResourcePath: /~1items, HttpMethod: GET, ThrottlingRateLimit: 1, ThrottlingBurstLimit: 2, MetricsEnabled: true }',
      '',
    ].join('\n');
    const { stack, targets } = source(written('template.yaml', text));
    expect(stack.api.stage).toEqual({ rate: 10, burst: 20 });
    expect(stack.api.routes['GET /items']).toEqual({ rate: 1, burst: 2 });
    const tuned = structuredClone(stack);
    tuned.api.stage = { rate: 30, burst: 60 };
    tuned.api.routes['GET /items'] = null;
    const r = (parseYaml(cloudFormationPatch(stack, tuned, targets)) as { Resources: Record<string, any> }).Resources;
    expect(r).toEqual({
      ShopDeployment: {
        Type: 'AWS::ApiGateway::Deployment',
        Properties: { StageDescription: { ThrottlingRateLimit: 30, ThrottlingBurstLimit: 60, MethodSettings: [{ ResourcePath: '/~1items', HttpMethod: 'GET', MetricsEnabled: true }] } },
      },
    });
    const doc = readBack(readMergedCfn(text, cloudFormationPatch(stack, tuned, targets)), 'Shop');
    expect(doc.api.stage).toEqual({ rate: 30, burst: 60 });
    expect(doc.api.routes['GET /items']).toEqual({});
  });

  it("a Stage's MethodSettings: an entry that was only a throttle goes, one the template computes stays as written; a Deployment loses its stage throttle by a note", () => {
    const stage = (settings: string[]) =>
      [
        ...SHOP_API,
        '  Live:',
        '    Type: AWS::ApiGateway::Stage',
        '    Properties:',
        '      RestApiId: !Ref Shop',
        '      StageName: live',
        '      MethodSettings:',
        ...settings.map((l) => `        ${l}`),
        '',
      ].join('\n');
    const text = stage([
      '- { ResourcePath: /~1items, HttpMethod: GET, ThrottlingRateLimit: 1, ThrottlingBurstLimit: 2 }',
      "- { ResourcePath: !Sub '/~1${Prefix}', HttpMethod: GET, LoggingLevel: INFO }",
    ]);
    const { stack, targets } = source(written('template.yaml', text));
    const tuned = structuredClone(stack);
    tuned.api.routes['GET /items'] = null;
    tuned.api.stage = { rate: 5, burst: 10 };
    const r = (parseYaml(cloudFormationPatch(stack, tuned, targets)) as { Resources: Record<string, any> }).Resources;
    // the throttle-only entry has nothing left to say; the computed one is the template's own
    expect(r.Live.Properties.MethodSettings).toEqual([
      { ResourcePath: { 'Fn::Sub': '/~1${Prefix}' }, HttpMethod: 'GET', LoggingLevel: 'INFO' },
      { ResourcePath: '/*', HttpMethod: '*', ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 },
    ]);

    // a list the template computes cannot be merged entry by entry: the patch's replaces it, and says so
    const computed = stage(["!If [Throttled, [{ ResourcePath: /~1items, HttpMethod: GET, ThrottlingRateLimit: 1, ThrottlingBurstLimit: 2 }], !Ref 'AWS::NoValue']"]);
    const c = source(written('template.yaml', computed));
    const patch = cloudFormationPatch(c.stack, tuned, c.targets);
    expect(patch).toContain('# note: the MethodSettings of Live could not be read as a list: the list below replaces it; add your other entries to it');
    expect((parseYaml(patch) as any).Resources.Live.Properties.MethodSettings).toEqual([{ ResourcePath: '/*', HttpMethod: '*', ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 }]);

    const deployment = [...SHOP_API, '  ShopDeployment:', '    Type: AWS::ApiGateway::Deployment', '    Properties:', '      RestApiId: !Ref Shop', '      StageName: live', '      StageDescription: { ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 }', ''].join('\n');
    const d = source(written('template.yaml', deployment));
    const unthrottled = structuredClone(d.stack);
    delete unthrottled.api.stage;
    unthrottled.api.routes['GET /items'] = { rate: 3, burst: 6 };
    expect(cloudFormationPatch(d.stack, unthrottled, d.targets)).toContain(
      "# note: ShopDeployment: remove StageDescription's ThrottlingRateLimit and ThrottlingBurstLimit if it has them: the tuned stack has no stage throttle",
    );
  });

  it('an API the template gives no stage: ApiStage is new, and a note says so (REST: to point at the deployment)', () => {
    const rest = source(written('template.yaml', [...SHOP_API, ''].join('\n')));
    const tunedRest = structuredClone(rest.stack);
    tunedRest.api.stage = { rate: 5, burst: 10 };
    const restPatch = cloudFormationPatch(rest.stack, tunedRest, rest.targets);
    expect(restPatch).toMatch(/# note: \S*template\.yaml defines no stage of Shop: ApiStage is new; point its DeploymentId at your deployment of Shop\n/);
    expect((parseYaml(restPatch) as any).Resources.ApiStage.Properties.RestApiId).toEqual({ Ref: 'Shop' });
    const http = [
      'Resources:',
      '  Orders:',
      '    Type: AWS::ApiGatewayV2::Api',
      '    Properties: { Name: orders, ProtocolType: HTTP }',
      '  Search:',
      '    Type: AWS::ApiGatewayV2::Route',
      "    Properties: { ApiId: !Ref Orders, RouteKey: 'GET /search' }",
      '',
    ].join('\n');
    const h = source(written('template.yaml', http));
    const tunedHttp = structuredClone(h.stack);
    tunedHttp.api.stage = { rate: 5, burst: 10 };
    const httpPatch = cloudFormationPatch(h.stack, tunedHttp, h.targets);
    expect(httpPatch).toMatch(/# note: \S*template\.yaml defines no stage of Orders: ApiStage is new\n/);
    expect((parseYaml(httpPatch) as any).Resources.ApiStage.Properties).toMatchObject({ ApiId: { Ref: 'Orders' }, DefaultRouteSettings: { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 } });
  });

  it('an AWS::Serverless::HttpApi: DefaultRouteSettings and RouteSettings on it, its other route settings kept', () => {
    const text = samHttpApi(['DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200, DetailedMetricsEnabled: true }']);
    const { stack, targets } = source(written('template.yaml', text));
    const tuned = structuredClone(stack);
    tuned.api.stage = { rate: 20, burst: 40 };
    tuned.api.routes['GET /search'] = { rate: 2, burst: 4 };
    const patch = cloudFormationPatch(stack, tuned, targets);
    expect((parseYaml(patch) as any).Resources).toEqual({
      HttpOrders: {
        Type: 'AWS::Serverless::HttpApi',
        Properties: { DefaultRouteSettings: { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 }, RouteSettings: { 'GET /search': { ThrottlingRateLimit: 2, ThrottlingBurstLimit: 4 } } },
      },
    });
    expect(mergeCfnPatch(text, patch).Resources.HttpOrders.Properties.DefaultRouteSettings).toEqual({ ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40, DetailedMetricsEnabled: true });
    const doc = readBack(readMergedCfn(text, patch), 'HttpOrders');
    expect(doc.api.stage).toEqual({ rate: 20, burst: 40 });
    expect(doc.api.routes['GET /search']).toMatchObject({ rate: 2, burst: 4 });
  });
});

describe("the rate rule in the user's own web ACL", () => {
  const template = (rules: string[]) =>
    [
      ...SHOP_API,
      '  ShopStage:',
      '    Type: AWS::ApiGateway::Stage',
      '    Properties: { RestApiId: !Ref Shop, DeploymentId: !Ref ShopDeployment, StageName: live }',
      '  ShopDeployment:',
      '    Type: AWS::ApiGateway::Deployment',
      '    Properties: { RestApiId: !Ref Shop }',
      '  Guard:',
      '    Type: AWS::WAFv2::WebACL',
      '    Properties:',
      '      Scope: REGIONAL',
      '      DefaultAction: { Allow: {} }',
      '      VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: guard }',
      '      Rules:',
      ...rules.map((r) => `        - ${r}`),
      '  GuardOnStage:',
      '    Type: AWS::WAFv2::WebACLAssociation',
      '    Properties: { ResourceArn: !Sub "arn:aws:apigateway:${AWS::Region}::/restapis/${Shop}/stages/live", WebACLArn: !GetAtt Guard.Arn }',
      '',
    ].join('\n');
  const managed = '{ Name: common, Priority: 0, OverrideAction: { None: {} }, Statement: { ManagedRuleGroupStatement: { VendorName: AWS, Name: AWSManagedRulesCommonRuleSet } }, VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: common } }';
  const theirRate = '{ Name: throttle-ips, Priority: 3, Action: { Block: {} }, Statement: { RateBasedStatement: { Limit: 2000, AggregateKeyType: IP } }, VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: throttle-ips } }';

  it('their rate rule (throttle-ips, priority 3) is replaced in place, their other rule kept; dropping it names it', () => {
    const text = template([managed, theirRate]);
    const { stack, targets } = source(written('template.yaml', text));
    expect(stack.waf).toEqual({ rules: 2, rateLimit: { limit: 2000, windowSeconds: 300, key: 'ip', delaySeconds: 30 } });
    const tuned = structuredClone(stack);
    tuned.waf = { rules: 2, rateLimit: rateRule };
    const patch = cloudFormationPatch(stack, tuned, targets);
    const r = (parseYaml(patch) as { Resources: Record<string, any> }).Resources;
    expect(Object.keys(r)).toEqual(['Guard']);
    expect(r.Guard.Properties.Rules).toEqual([
      expect.objectContaining({ Name: 'throttle-ips', Priority: 3, Statement: { RateBasedStatement: { Limit: 100, EvaluationWindowSec: 60, AggregateKeyType: 'IP' } } }),
    ]);
    expect(patch).toContain('# Guard: only its rate-based rule "throttle-ips" is shown; keep the web ACL\'s 1 other rule(s) beside it');
    // as the note says: the list replaces theirs, and their other rule is kept beside it
    const merged = mergeCfnPatch(text, patch);
    merged.Resources.Guard.Properties.Rules.push(parseYaml(managed));
    const doc = readBack(readCloudFormation(stringify(merged), '/repo/template.yaml'), 'Shop');
    expect(doc.waf).toEqual({ rules: 2, rateLimit: { limit: 100, window: '60s' } });

    const dropped = structuredClone(stack);
    dropped.waf = { rules: 1 };
    expect(cloudFormationPatch(stack, dropped, targets)).toContain("# delete: Guard rule throttle-ips — the rule with the rate-based statement; the web ACL's 1 other rule(s) stay as they are");
  });

  it('their only rule is the rate rule: no note about other rules; one whose priority the template computes is not a slot to take', () => {
    const only = source(written('template.yaml', template([theirRate])));
    const tuned = structuredClone(only.stack);
    tuned.waf = { rules: 1, rateLimit: rateRule };
    const patch = cloudFormationPatch(only.stack, tuned, only.targets);
    expect((parseYaml(patch) as any).Resources.Guard.Properties.Rules).toEqual([expect.objectContaining({ Name: 'throttle-ips', Priority: 3 })]);
    expect(patch).not.toContain('other rule(s)');
    expect(terraformPatch(only.stack, tuned, only.targets)).not.toContain('other rule(s)');

    // Priority: !Ref RatePriority: theirs cannot be replaced in place; ours takes priority 0 under its own name
    const computed = source(written('template.yaml', template([theirRate.replace('Priority: 3', 'Priority: !Ref RatePriority')])));
    const t2 = structuredClone(computed.stack);
    t2.waf = { rules: 1, rateLimit: rateRule };
    expect((parseYaml(cloudFormationPatch(computed.stack, t2, computed.targets)) as any).Resources.Guard.Properties.Rules).toEqual([
      expect.objectContaining({ Name: 'rate-limit-per-ip', Priority: 0 }),
    ]);
  });

  it('a web ACL whose rule has priority 0 and no rate rule: the rate rule comes after it, and a note says what that means', () => {
    const { stack, targets } = source(written('template.yaml', template([managed])));
    const tuned = structuredClone(stack);
    tuned.waf = { rules: 2, rateLimit: rateRule };
    const patch = cloudFormationPatch(stack, tuned, targets);
    expect((parseYaml(patch) as any).Resources.Guard.Properties.Rules).toEqual([expect.objectContaining({ Name: 'rate-limit-per-ip', Priority: 1 })]);
    expect(patch).toContain('# note: Guard: the rate rule comes after your other rules (priority 1, as 0 is taken)');
  });
});

describe('patches written onto the Terraform configuration the stack was read from', () => {
  it('the aws_api_gateway_method_settings the user has ("all", "path_specific"): their logging and metrics kept, the stage referred to', () => {
    const dir = `${TF_DOCS}/api_gateway_method_settings`;
    const { stack, targets } = source(dir);
    const tuned = structuredClone(stack);
    tuned.api.stage = { rate: 50, burst: 100 };
    tuned.api.routes['GET /path1'] = { rate: 5, burst: 10 };
    const patch = terraformPatch(stack, tuned, targets);
    expect(patch).toContain(
      [
        'resource "aws_api_gateway_method_settings" "all" {',
        '  rest_api_id = aws_api_gateway_rest_api.example.id',
        '  stage_name  = aws_api_gateway_stage.example.stage_name',
        '  method_path = "*/*"',
      ].join('\n'),
    );
    expect(patch).toContain('resource "aws_api_gateway_method_settings" "path_specific" {');
    // main.tf writes "path1/GET"; API Gateway keeps the setting under "~1path1/GET" (the AWS CLI's get-stages example)
    expect(patch).toContain('  method_path = "~1path1/GET"\n');
    expect(patch).toContain('# note: aws_api_gateway_method_settings.path_specific: method_path "path1/GET" becomes "~1path1/GET"');
    expect(patch).not.toMatch(/aws_api_gateway_rest_api\.api\b/);
    const { model, text } = readMergedTf(readFileSync(`${dir}/main.tf`, 'utf8'), patch);
    // the user's settings beside the throttles (main.tf: metrics_enabled = true; logging_level "ERROR" / "INFO")
    expect(text).toMatch(/method_path = "\*\/\*"\n\n? {2}settings \{\n {4}metrics_enabled = true\n {4}logging_level {3}= "ERROR"\n {4}throttling_rate_limit {2}= 50\n {4}throttling_burst_limit = 100\n {2}\}/);
    expect(text).toContain('logging_level   = "INFO"');
    const doc = readBack(model, 'aws_api_gateway_rest_api.example');
    expect(doc.api.stage).toEqual({ rate: 50, burst: 100 });
    expect(doc.api.routes['GET /path1']).toMatchObject({ rate: 5, burst: 10 });
  });

  it("the user's web ACL on the stage gets the rate rule (aws_wafv2_web_acl.example); a new one is associated through the stage's arn", () => {
    const dir = `${TF_DOCS}/wafv2_web_acl_association`;
    const { stack, targets } = source(dir);
    expect(stack.waf).toEqual({ rules: 0 });
    const tuned = structuredClone(stack);
    tuned.waf = { rules: 1, rateLimit: rateRule };
    const patch = terraformPatch(stack, tuned, targets);
    expect(patch).toContain('resource "aws_wafv2_web_acl" "example" {\n  rule {');
    expect(patch).not.toContain('"rate_limit"');
    const doc = readBack(readMergedTf(readFileSync(`${dir}/main.tf`, 'utf8'), patch).model, 'aws_api_gateway_rest_api.example');
    expect(doc.waf).toEqual({ rules: 1, rateLimit: { limit: 100, window: '60s' } });

    // no web ACL yet: a new one, associated with aws_api_gateway_stage.example.arn (no region lookup)
    const plain = `${TF_DOCS}/api_gateway_method_settings`;
    const s2 = source(plain);
    const t2 = structuredClone(s2.stack);
    t2.waf = { rules: 1, rateLimit: rateRule };
    const p2 = terraformPatch(s2.stack, t2, s2.targets);
    expect(p2).toContain('  resource_arn = aws_api_gateway_stage.example.arn\n');
    expect(p2).not.toContain('data "aws_region"');
    const d2 = readBack(readMergedTf(readFileSync(`${plain}/main.tf`, 'utf8'), p2).model, 'aws_api_gateway_rest_api.example');
    expect(d2.waf).toEqual({ rules: 1, rateLimit: { limit: 100, window: '60s' } });
  });

  it("an HTTP API's aws_apigatewayv2_stage: default_route_settings merged into theirs (detailed metrics kept), route_settings added", () => {
    const config = [
      'resource "aws_apigatewayv2_api" "orders" {',
      '  name          = "orders"',
      '  protocol_type = "HTTP"',
      '}',
      '',
      'resource "aws_apigatewayv2_route" "search" {',
      '  api_id    = aws_apigatewayv2_api.orders.id',
      '  route_key = "GET /search"',
      '}',
      '',
      'resource "aws_apigatewayv2_stage" "live" {',
      '  api_id      = aws_apigatewayv2_api.orders.id',
      '  name        = "live"',
      '  auto_deploy = true',
      '  default_route_settings {',
      '    detailed_metrics_enabled = true',
      '    throttling_rate_limit    = 100',
      '    throttling_burst_limit   = 200',
      '  }',
      '}',
      '',
    ].join('\n');
    const dir = mkdtempSync(join(tmpdir(), 'dowsim-tf-http-'));
    writeFileSync(join(dir, 'main.tf'), config);
    const { stack, targets } = source(dir);
    expect(stack.api.stage).toEqual({ rate: 100, burst: 200 });
    const tuned = structuredClone(stack);
    tuned.api.stage = { rate: 20, burst: 40 };
    tuned.api.routes['GET /search'] = { rate: 2, burst: 4 };
    const patch = terraformPatch(stack, tuned, targets);
    expect(patch).toContain('resource "aws_apigatewayv2_stage" "live" {\n  api_id = aws_apigatewayv2_api.orders.id\n  name   = "live"\n');
    expect(patch).toContain('# note: written onto your own aws_apigatewayv2_stage.live: only the arguments shown change; keep the others');
    const { model, text } = readMergedTf(config, patch);
    expect(text).toContain('auto_deploy = true');
    expect(text).toMatch(/default_route_settings \{\n {4}detailed_metrics_enabled = true\n {4}throttling_rate_limit {2}= 20\n {4}throttling_burst_limit = 40\n {2}\}/);
    const doc = readBack(model, 'aws_apigatewayv2_api.orders');
    expect(doc.api.stage).toEqual({ rate: 20, burst: 40 });
    expect(doc.api.routes['GET /search']).toMatchObject({ rate: 2, burst: 4 });
  });

  it('what a merge cannot remove is a note naming the block: a plan\'s throttle and quota, reserved concurrency, an HTTP stage or route throttle', () => {
    // the provider docs' usage plan: quota 20 per WEEK, throttle 10/5
    const plan = source(`${TF_DOCS}/api_gateway_usage_plan`);
    const bare = structuredClone(plan.stack);
    delete bare.api.usagePlans[0].throttle;
    delete bare.api.usagePlans[0].quota;
    const planPatch = terraformPatch(plan.stack, bare, plan.targets);
    expect(planPatch).toContain('# note: aws_api_gateway_usage_plan.example: remove throttle_settings: the tuned plan has none');
    expect(planPatch).toContain('# note: aws_api_gateway_usage_plan.example: remove quota_settings: the tuned plan has none');

    const config = [
      'resource "aws_apigatewayv2_api" "orders" {',
      '  name          = "orders"',
      '  protocol_type = "HTTP"',
      '}',
      'resource "aws_lambda_function" "search" {',
      '  function_name                  = "search"',
      '  reserved_concurrent_executions = 4',
      '}',
      'resource "aws_apigatewayv2_integration" "search" {',
      '  api_id           = aws_apigatewayv2_api.orders.id',
      '  integration_type = "AWS_PROXY"',
      '  integration_uri  = aws_lambda_function.search.invoke_arn',
      '}',
      'resource "aws_apigatewayv2_route" "search" {',
      '  api_id    = aws_apigatewayv2_api.orders.id',
      '  route_key = "GET /search"',
      '  target    = "integrations/${aws_apigatewayv2_integration.search.id}"',
      '}',
      'resource "aws_apigatewayv2_stage" "live" {',
      '  api_id = aws_apigatewayv2_api.orders.id',
      '  name   = "live"',
      '  default_route_settings {',
      '    throttling_rate_limit  = 100',
      '    throttling_burst_limit = 200',
      '  }',
      '  route_settings {',
      '    route_key              = "GET /search"',
      '    throttling_rate_limit  = 2',
      '    throttling_burst_limit = 4',
      '  }',
      '}',
      '',
    ].join('\n');
    const dir = written('main.tf', config).replace(/\/main\.tf$/, '');
    const { stack, targets } = source(dir);
    expect(stack.api.routes['GET /search']).toEqual({ rate: 2, burst: 4 });
    expect(stack.lambda.reservedConcurrency).toBe(4);
    const tuned = structuredClone(stack);
    delete tuned.api.stage;
    delete tuned.lambda.reservedConcurrency;
    tuned.api.routes['GET /search'] = null;
    const patch = terraformPatch(stack, tuned, targets);
    expect(patch).toContain("# note: aws_apigatewayv2_stage.live: remove default_route_settings' throttling_rate_limit and throttling_burst_limit: the tuned stack has no stage throttle");
    expect(patch).toContain('# note: aws_apigatewayv2_stage.live: remove the route_settings block of "GET /search": the tuned stack does not throttle it');
    expect(patch).toContain('# note: aws_lambda_function.search: remove reserved_concurrent_executions (4 now): the tuned stack reserves none');
    // nothing is written for the function: a block without the argument would change nothing
    expect(patch).not.toContain('resource "aws_lambda_function"');
  });

  it.each([
    { meta: 'for_each', written: 'for_each      = local.envs', expr: 'local.envs', each: 'aws_api_gateway_stage.s[each.key]', one: 'values(aws_api_gateway_stage.s)[0]' },
    { meta: 'count', written: 'count         = var.enabled ? 1 : 0', expr: 'var.enabled ? 1 : 0', each: 'aws_api_gateway_stage.s[count.index]', one: 'aws_api_gateway_stage.s[0]' },
  ])('a stage with $meta: blocks of ours made for it repeat it and name the instance (Terraform refuses a bare aws_api_gateway_stage.s.arn), and read back', async ({ written: line, expr, each, one }) => {
    const config = [
      'variable "enabled" {',
      '  default = true',
      '}',
      'locals {',
      '  envs = { prod = "v1" }',
      '}',
      'resource "aws_api_gateway_rest_api" "api" {',
      '  name = "shop"',
      '}',
      'resource "aws_api_gateway_resource" "search" {',
      '  rest_api_id = aws_api_gateway_rest_api.api.id',
      '  parent_id   = aws_api_gateway_rest_api.api.root_resource_id',
      '  path_part   = "search"',
      '}',
      'resource "aws_api_gateway_method" "search" {',
      '  rest_api_id      = aws_api_gateway_rest_api.api.id',
      '  resource_id      = aws_api_gateway_resource.search.id',
      '  http_method      = "GET"',
      '  authorization    = "NONE"',
      '  api_key_required = true',
      '}',
      'resource "aws_api_gateway_deployment" "d" {',
      '  rest_api_id = aws_api_gateway_rest_api.api.id',
      '}',
      'resource "aws_api_gateway_stage" "s" {',
      `  ${line}`,
      '  rest_api_id   = aws_api_gateway_rest_api.api.id',
      '  deployment_id = aws_api_gateway_deployment.d.id',
      '  stage_name    = "prod"',
      '}',
      'resource "aws_api_gateway_usage_plan" "basic" {',
      '  name = "basic"',
      '  api_stages {',
      '    api_id = aws_api_gateway_rest_api.api.id',
      `    stage  = ${one}.stage_name`,
      '  }',
      '}',
      '',
    ].join('\n');
    const dir = written('main.tf', config).replace(/\/main\.tf$/, '');
    const { stack, targets } = source(dir);
    expect(targets.stage?.repeat).toEqual({ meta: line.split(' ')[0], expr });
    const tuned = structuredClone(stack);
    tuned.api.stage = { rate: 50, burst: 100 };
    tuned.api.routes['GET /search'] = { rate: 5, burst: 10 };
    tuned.api.usagePlans[0].throttle = { rate: 2, burst: 4 };
    tuned.waf = { rules: 1, rateLimit: { limit: 100, windowSeconds: 300, key: 'ip', delaySeconds: 30 } };
    const patch = terraformPatch(stack, tuned, targets);
    const meta = line.split(' ')[0];
    // one association and one method settings block per instance of the stage
    expect(patch).toContain(`resource "aws_wafv2_web_acl_association" "rate_limit" {\n  ${meta.padEnd(12)} = ${expr}\n  resource_arn = ${each}.arn\n`);
    expect(patch).toContain(`resource "aws_api_gateway_method_settings" "get_search" {\n  ${meta.padEnd(11)} = ${expr}\n  rest_api_id = aws_api_gateway_rest_api.api.id\n  stage_name  = ${each}.stage_name\n  method_path = "~1search/GET"\n`);
    // the user's own plan keeps its api_stages as written (only its throttle changes)
    expect(patch).toContain('resource "aws_api_gateway_usage_plan" "basic" {\n  name = "basic"\n  throttle_settings {');
    expect(patch).not.toContain('api_stages');
    expect(patch).not.toMatch(/aws_api_gateway_stage\.s\.(arn|stage_name)/);
    // a per-method throttle of the plan is written in api_stages: there a single reference names one instance, and says so
    const perMethod = structuredClone(tuned);
    perMethod.api.usagePlans[0].routes = { 'GET /search': { rate: 1, burst: 2 } };
    const planPatch = terraformPatch(stack, perMethod, targets);
    expect(planPatch).toContain(`    stage  = ${one}.stage_name\n`);
    expect(planPatch).toContain(`# note: aws_api_gateway_stage.s has ${meta}: basic's api_stages names its first instance (${one}); add an api_stages block for each other instance the plan covers`);
    await parseHcl('patch.tf', patch);
    const doc = readBack(readMergedTf(config, patch).model, 'aws_api_gateway_rest_api.api');
    expect(doc.api.stage).toEqual({ rate: 50, burst: 100 });
    expect(doc.api.routes['GET /search']).toMatchObject({ rate: 5, burst: 10 });
    expect(doc.api.usagePlans[0].throttle).toEqual({ rate: 2, burst: 4 });
    expect(doc.waf).toMatchObject({ rules: 1, rateLimit: { limit: 100, window: '300s' } });
  });

  it('an API with count and a stage whose for_each is written over several lines with a comment: blocks name the API by instance and keep the expression whole (the comment swallowed a flattened line)', async () => {
    const config = [
      'variable "on" {',
      '  default = true',
      '}',
      'locals {',
      '  envs = { prod = "v1" }',
      '}',
      'resource "aws_api_gateway_rest_api" "api" {',
      '  count = var.on ? 1 : 0',
      '  name  = "shop"',
      '}',
      'resource "aws_api_gateway_resource" "search" {',
      '  count       = var.on ? 1 : 0',
      '  rest_api_id = aws_api_gateway_rest_api.api[0].id',
      '  parent_id   = aws_api_gateway_rest_api.api[0].root_resource_id',
      '  path_part   = "search"',
      '}',
      'resource "aws_api_gateway_method" "search" {',
      '  count         = var.on ? 1 : 0',
      '  rest_api_id   = aws_api_gateway_rest_api.api[0].id',
      '  resource_id   = aws_api_gateway_resource.search[0].id',
      '  http_method   = "GET"',
      '  authorization = "NONE"',
      '}',
      'resource "aws_api_gateway_stage" "s" {',
      '  for_each = {',
      '    # one stage per environment',
      '    for k, v in local.envs : k => v',
      '  }',
      '  rest_api_id   = aws_api_gateway_rest_api.api[0].id',
      '  deployment_id = "abc"',
      '  stage_name    = each.key',
      '}',
      '',
    ].join('\n');
    const dir = written('main.tf', config).replace(/\/main\.tf$/, '');
    const { stack, targets } = source(dir);
    expect(targets.api.repeat).toEqual({ meta: 'count', expr: 'var.on ? 1 : 0' });
    const tuned = structuredClone(stack);
    tuned.api.routes['GET /search'] = { rate: 5, burst: 10 };
    const patch = terraformPatch(stack, tuned, targets);
    // the API repeats otherwise than the stage: its first instance, said so
    expect(patch).toContain('  rest_api_id = aws_api_gateway_rest_api.api[0].id\n  stage_name  = aws_api_gateway_stage.s[each.key].stage_name\n');
    expect(patch).toContain('# note: aws_api_gateway_rest_api.api has count: the blocks below refer to its first instance (aws_api_gateway_rest_api.api[0])');
    expect(patch).toContain('# one stage per environment');
    await parseHcl('patch.tf', patch);
    const doc = readBack(readMergedTf(config, patch).model, 'aws_api_gateway_rest_api.api');
    expect(doc.api.routes['GET /search']).toMatchObject({ rate: 5, burst: 10 });
  });

  it("the user's usage plan (aws_api_gateway_usage_plan.example) gets the throttle, its quota (20 per WEEK, offset 2) kept", () => {
    const dir = `${TF_DOCS}/api_gateway_usage_plan`;
    const { stack, targets } = source(dir);
    const tuned = structuredClone(stack);
    tuned.api.usagePlans[0].throttle = { rate: 2, burst: 4 };
    const patch = terraformPatch(stack, tuned, targets);
    expect(patch).toContain('resource "aws_api_gateway_usage_plan" "example" {\n  name = "my-usage-plan"');
    // its two api_stages (development, production) stay as written: a patch's list would replace them
    expect(patch).not.toContain('api_stages');
    const merged = readMergedTf(readFileSync(`${dir}/main.tf`, 'utf8'), patch);
    expect(merged.text).toContain('stage  = aws_api_gateway_stage.development.stage_name');
    expect(merged.text).toContain('stage  = aws_api_gateway_stage.production.stage_name');
    const doc = readBack(merged.model, 'aws_api_gateway_rest_api.example');
    expect(doc.api.usagePlans).toEqual([{ name: 'my-usage-plan', throttle: { rate: 2, burst: 4 }, quota: { limit: 20, period: 'WEEK', offset: 2 } }]);
  });
});

describe("SAM's own names for the stages it makes", () => {
  it("a new web ACL's association waits for the stage the SAM translator makes (its output in the corpus): <Api><Stage>Stage, or <Api>Stage for a name given by a parameter (it named GetHtmlApiProductionStage, which does not exist)", () => {
    const dir = `${CORPUS}/sam-translator`;
    let checked = 0;
    let byParameter = 0;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.input.yaml'))) {
      const output = JSON.parse(readFileSync(`${dir}/${file.replace('.input.yaml', '.output.json')}`, 'utf8')) as { Resources: Record<string, { Type: string; Properties?: { RestApiId?: { Ref?: string }; StageName?: unknown } }> };
      const model = readCloudFormation(readFileSync(`${dir}/${file}`, 'utf8'), `${dir}/${file}`);
      for (const api of model.apis.filter((a) => model.types[a.id] === 'AWS::Serverless::Api' && a.kind === 'rest')) {
        const { stack, targets } = source(`${dir}/${file}#${api.id}`);
        const tuned = structuredClone(stack);
        tuned.waf = { rules: 1, rateLimit: { limit: 100, windowSeconds: 300, key: 'ip', delaySeconds: 30 } };
        if (stack.waf) continue; // a web ACL of theirs: no new association
        const patch = parseYaml(cloudFormationPatch(stack, tuned, targets).split('\n').filter((l) => !l.startsWith('#')).join('\n')) as { Resources: Record<string, { DependsOn?: string; Properties: { ResourceArn: { 'Fn::Sub': string } } }> };
        const assoc = patch.Resources.RateLimitWebAclAssociation;
        if (!assoc?.DependsOn) continue;
        // the stage the translator made for this API
        const made = Object.entries(output.Resources).filter(([, r]) => r.Type === 'AWS::ApiGateway::Stage' && r.Properties?.RestApiId?.Ref === api.id);
        expect(made.map(([id]) => id), `${file}#${api.id}`).toContain(assoc.DependsOn);
        const stageName = made.find(([id]) => id === assoc.DependsOn)![1].Properties!.StageName as { Ref?: string } | string;
        if (typeof stageName === 'object' && stageName.Ref) {
          byParameter++;
          expect(assoc.Properties.ResourceArn['Fn::Sub']).toMatch(new RegExp(`/stages/\\$\\{${stageName.Ref}\\}$`));
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
    expect(byParameter).toBeGreaterThan(0);
  });
});

describe('every API of the corpus', () => {
  it('gets patches (every setting changed) that parse as YAML and HCL, name only resources its source has or the patch adds, and merge back to the tuned settings', async () => {
    let apis = 0;
    let named = 0;
    let slsApis = 0;
    for (const src of corpusSources().filter((f) => !f.endsWith('.output.json'))) {
      const model = readSource(src);
      for (const api of model.apis.filter((a) => a.kind !== 'function-url')) {
        const { stack } = deriveStack(model, api);
        const targets = iacTargets(model, api);
        apis++;
        const tuned = structuredClone(stack);
        tuned.api.stage = { rate: 7, burst: 14 };
        tuned.lambda.reservedConcurrency = 9;
        if (stack.api.kind === 'rest') tuned.waf = { rules: Math.max(1, stack.waf?.rules ?? 0), rateLimit: rateRule };
        const cfn = cloudFormationPatch(stack, tuned, targets);
        const tf = terraformPatch(stack, tuned, targets);
        for (const p of [cfn, tf]) expect(p, `${src}#${api.id}`).not.toMatch(/undefined|NaN|\[object Object\]/);
        const doc = parseYaml(cfn) as { Resources?: Record<string, any>; Globals?: Record<string, any> };
        await parseHcl('patch.tf', tf);
        if (targets?.language === 'cloudformation') {
          named++;
          // every resource the patch writes is the template's (same type) or one it adds whole
          for (const [id, r] of Object.entries(doc.Resources ?? {})) {
            if (model.types[id]) expect(r.Type, `${src}: ${id}`).toBe(model.types[id]);
            // (`Function` only where the source does not define the API's function)
            else expect(['RateLimitWebAcl', 'RateLimitWebAclAssociation', 'ApiStage', ...(targets.functions.lambda ? [] : ['Function'])], `${src}: ${id}`).toContain(id);
          }
          const back = readMergedCfn(readFileSync(src, 'utf8'), cfn, src);
          const again = back.apis.find((a) => a.id === api.id)!;
          expect(again.stage, `${src}#${api.id}`).toEqual({ rate: 7, burst: 14 });
        }
        if (targets?.language === 'serverless') {
          named++;
          slsApis++;
          const sls = serverlessPatch(stack, tuned, { ...targets, serverless: targets.serverless! });
          expect(sls, `${src}#${api.id}`).not.toMatch(/undefined|NaN|\[object Object\]/);
          const back = readMergedSls(readFileSync(src, 'utf8'), sls, src);
          const again = back.apis.find((a) => a.id === api.id)!;
          expect(again.stage, `${src}#${api.id}`).toEqual({ rate: 7, burst: 14 });
          const doc = deriveStack(back, again).document as Record<string, any>;
          expect(doc.lambda.reservedConcurrency, `${src}#${api.id}`).toBe(9);
          if (stack.api.kind === 'rest') expect(doc.waf?.rateLimit, `${src}#${api.id}`).toEqual({ limit: 100, window: '60s' });
        }
        if (targets?.language === 'terraform') {
          named++;
          for (const m of tf.matchAll(/^resource "([^"]+)" "([^"]+)" \{$/gm)) {
            expect(m[1], src).toMatch(/^aws_[a-z0-9_]+$/); // never a module or another provider's type
            expect(m[2], src).toMatch(/^[A-Za-z_][A-Za-z0-9_-]*$/);
          }
        }
      }
    }
    // the corpus has many APIs, most of them in sources a patch can name
    expect(apis).toBeGreaterThan(40);
    expect(named).toBeGreaterThan(apis / 2);
    // the Serverless Framework services among them
    expect(slsApis).toBeGreaterThanOrEqual(6);
  });
});

describe("the root resource's method settings", () => {
  it('CloudFormation ResourcePath "/" and Terraform method_path "~1/GET", both read back as GET /', () => {
    const base = makeStack();
    const tuned = makeStack({ api: { routes: { 'GET /': { rate: 3, burst: 6 }, 'GET /items': null } } });
    // AWS::ApiGateway::Stage MethodSetting: "To specify the root path, use only a slash (/)"
    const cfn = (parseYaml(cloudFormationPatch(base, tuned)) as any).Resources.ApiStage.Properties.MethodSettings;
    expect(cfn).toEqual([{ ResourcePath: '/', HttpMethod: 'GET', ThrottlingRateLimit: 3, ThrottlingBurstLimit: 6 }]);
    // the provider sends "/<method_path>/throttling/…": the root's "/" is escaped, as in API Gateway's patch paths
    const tf = terraformPatch(base, tuned);
    expect(tf).toContain('  method_path = "~1/GET"\n');
    expect(fromCloudFormation(cloudFormationPatch(base, tuned)).api.routes['GET /']).toMatchObject({ rate: 3, burst: 6 });
    expect(fromTerraform(tf).api.routes['GET /']).toMatchObject({ rate: 3, burst: 6 });
  });
});

describe('a nested resource\'s method settings in Terraform', () => {
  /** A REST API with GET /items/{id}, its stage, and the user's method settings for it at `methodPath`. */
  const config = (methodPath: string) =>
    [
      'resource "aws_api_gateway_rest_api" "shop" {',
      '  name = "shop"',
      '}',
      'resource "aws_api_gateway_resource" "items" {',
      '  rest_api_id = aws_api_gateway_rest_api.shop.id',
      '  parent_id   = aws_api_gateway_rest_api.shop.root_resource_id',
      '  path_part   = "items"',
      '}',
      'resource "aws_api_gateway_resource" "item" {',
      '  rest_api_id = aws_api_gateway_rest_api.shop.id',
      '  parent_id   = aws_api_gateway_resource.items.id',
      '  path_part   = "{id}"',
      '}',
      'resource "aws_api_gateway_method" "get_item" {',
      '  rest_api_id   = aws_api_gateway_rest_api.shop.id',
      '  resource_id   = aws_api_gateway_resource.item.id',
      '  http_method   = "GET"',
      '  authorization = "NONE"',
      '}',
      'resource "aws_api_gateway_stage" "prod" {',
      '  rest_api_id   = aws_api_gateway_rest_api.shop.id',
      '  stage_name    = "prod"',
      '  deployment_id = "d1"',
      '}',
      'resource "aws_api_gateway_method_settings" "item" {',
      '  rest_api_id = aws_api_gateway_rest_api.shop.id',
      '  stage_name  = aws_api_gateway_stage.prod.stage_name',
      `  method_path = "${methodPath}"`,
      '  settings {',
      '    metrics_enabled        = true',
      '    throttling_rate_limit  = 50',
      '    throttling_burst_limit = 100',
      '  }',
      '}',
      '',
    ].join('\n');

  it('read as GET /items/{id} either way; the patch writes "~1items~1{id}/GET" onto the user\'s block, with a note when theirs was unescaped', () => {
    for (const [written_, note] of [
      ['~1items~1{id}/GET', false],
      ['items/{id}/GET', true],
    ] as const) {
      const dir = written('main.tf', config(written_)).replace(/\/main\.tf$/, '');
      const { stack, targets } = source(dir);
      expect(stack.api.routes['GET /items/{id}'], written_).toMatchObject({ rate: 50, burst: 100 });
      const tuned = structuredClone(stack);
      tuned.api.routes['GET /items/{id}'] = { rate: 4, burst: 8 };
      const patch = terraformPatch(stack, tuned, targets);
      // one block, the user's, at the key `aws apigateway get-stages` lists ("~1resource~1subresource/POST")
      expect(patch.match(/resource "aws_api_gateway_method_settings"/g)).toHaveLength(1);
      expect(patch).toContain('resource "aws_api_gateway_method_settings" "item" {');
      expect(patch).toContain('  method_path = "~1items~1{id}/GET"\n');
      expect(patch.includes('method_path "items/{id}/GET" becomes "~1items~1{id}/GET"'), written_).toBe(note);
      const { model, text } = readMergedTf(config(written_), patch);
      expect(text).toContain('metrics_enabled        = true');
      expect(readBack(model, 'aws_api_gateway_rest_api.shop').api.routes['GET /items/{id}']).toMatchObject({ rate: 4, burst: 8 });
    }
  });

  it('an ANY method is every method of its resource: method_path "~1items/*" (HttpMethod "*" in CloudFormation), read back as ANY /items', () => {
    const base = makeStack({ api: { routes: { 'ANY /items': null } } });
    const tuned = makeStack({ api: { routes: { 'ANY /items': { rate: 3, burst: 6 } } } });
    const tf = terraformPatch(base, tuned);
    expect(tf).toContain('  method_path = "~1items/*"\n');
    expect(fromTerraform(tf).api.routes['ANY /items']).toMatchObject({ rate: 3, burst: 6 });
    const cfn = cloudFormationPatch(base, tuned);
    expect((parseYaml(cfn) as any).Resources.ApiStage.Properties.MethodSettings).toEqual([{ ResourcePath: '/~1items', HttpMethod: '*', ThrottlingRateLimit: 3, ThrottlingBurstLimit: 6 }]);
    expect(fromCloudFormation(cfn).api.routes['ANY /items']).toMatchObject({ rate: 3, burst: 6 });
  });

  it('a route the tuned stack no longer throttles: the note names the user\'s block and its method_path as written', () => {
    const dir = written('main.tf', config('items/{id}/GET')).replace(/\/main\.tf$/, '');
    const { stack, targets } = source(dir);
    const tuned = structuredClone(stack);
    tuned.api.routes['GET /items/{id}'] = null;
    expect(terraformPatch(stack, tuned, targets)).toContain(
      '# note: aws_api_gateway_method_settings.item: remove throttling_rate_limit and throttling_burst_limit (or the resource): the tuned stack does not throttle items/{id}/GET',
    );
  });
});

describe('sources a patch cannot name', () => {
  it('a stack file keeps the placeholders (Api, ApiStage, Function); so do the CloudFormation and Terraform patches of a Serverless Framework service, saying so (its own patch: patch-serverless.test.ts)', () => {
    expect(loadIacStack('stacks/rest-unprotected.yaml')).toBeUndefined();
    const sls = loadIacStack(`${CORPUS}/serverless/docs-v3-apikeys-usageplan`)!;
    expect(sls.targets?.language).toBe('serverless');
    const tuned = structuredClone(sls.stack);
    tuned.api.stage = { rate: 5, burst: 10 };
    const cfn = cloudFormationPatch(sls.stack, tuned, sls.targets);
    expect(cfn.split('\n')[0]).toContain('(the API is written for the Serverless Framework: this is the same change for a CloudFormation template of it, the names to be matched)');
    expect((parseYaml(cfn) as any).Resources.ApiStage.Properties.RestApiId).toEqual({ Ref: 'Api' });
    expect(terraformPatch(sls.stack, tuned, sls.targets).split('\n')[0]).toContain('(the API is written for the Serverless Framework: this is the same change for a Terraform configuration of it, the names to be matched)');
  });

  it('a template whose file name holds a line break: the header stays one comment line, the patch stays the YAML it was', () => {
    const file = written('orders\nResources: {}\n.yaml', readFileSync(SAM_ORDERS, 'utf8'));
    const { stack, targets } = source(`${file}#OrdersApi`);
    const tuned = structuredClone(stack);
    tuned.api.routes['GET /search'] = { rate: 1.5, burst: 2 };
    const patch = cloudFormationPatch(stack, tuned, targets);
    expect(patch.split('\n').filter((l) => l.includes('orders'))).toHaveLength(1);
    expect(patch.split('\n')[0]).toMatch(/^# dowsim tune: .*orders Resources: \{\} \.yaml/);
    expect(Object.keys((parseYaml(patch) as any).Resources)).toEqual(['OrdersApi']);
  });

  it('logical ids and plan names that are Object.prototype keys ("toString", "__proto__") are named like any other', () => {
    const text = readFileSync(SAM_ORDERS, 'utf8')
      .replace(/SearchFunction/g, 'toString')
      .replace('  OrdersApi:\n    Type: AWS::Serverless::Api\n    Properties:\n', "  OrdersApi:\n    Type: AWS::Serverless::Api\n    Properties:\n      Auth: { UsagePlan: { CreateUsagePlan: PER_API, UsagePlanName: __proto__, Throttle: { RateLimit: 50, BurstLimit: 100 } } }\n");
    const { stack, targets } = source(`${written('template.yaml', text)}#OrdersApi`);
    expect(stack.api.usagePlans.map((p) => p.name)).toEqual(['__proto__']);
    const tuned = structuredClone(stack);
    tuned.functions!.find((f) => f.name === 'toString')!.reservedConcurrency = 5;
    tuned.api.usagePlans[0].throttle = { rate: 2, burst: 4 };
    const r = (parseYaml(cloudFormationPatch(stack, tuned, targets)) as any).Resources;
    expect(Object.keys(r).sort()).toEqual(['OrdersApi', 'toString']);
    expect(r.toString).toEqual({ Type: 'AWS::Serverless::Function', Properties: { ReservedConcurrentExecutions: 5 } });
    expect(r.OrdersApi.Properties.Auth.UsagePlan.Throttle).toEqual({ RateLimit: 2, BurstLimit: 4 });
  });

  it("the other language's patch says it is for the same API written in that language", () => {
    const sam = source(`${SAM_ORDERS}#OrdersApi`);
    const t1 = structuredClone(sam.stack);
    t1.api.stage = { rate: 50, burst: 100 };
    expect(terraformPatch(sam.stack, t1, sam.targets).split('\n')[0]).toBe(
      '# dowsim tune: the changed settings of OrdersApi; merge into your configuration (the API is written in CloudFormation: this is the same change for a Terraform configuration of it, the names to be matched)',
    );
    const tf = source(`${TF_DOCS}/api_gateway_method_settings`);
    const t2 = structuredClone(tf.stack);
    t2.api.stage = { rate: 50, burst: 100 };
    expect(cloudFormationPatch(tf.stack, t2, tf.targets).split('\n')[0]).toMatch(/; merge into your template \(the API is written in Terraform: this is the same change for a CloudFormation template of it, the names to be matched\)$/);
    // a stack file: neither
    expect(terraformPatch(makeStack(), makeStack({ api: { stage: { rate: 5, burst: 10 } } })).split('\n')[0]).toMatch(/; merge into your configuration$/);
  });

  it('the same tuned stack without targets writes the placeholders, with them none', () => {
    const { stack, targets } = source(`${SAM_ORDERS}#OrdersApi`);
    const tuned: Stack = structuredClone(stack);
    tuned.api.routes['GET /search'] = { rate: 1.5, burst: 2 };
    tuned.lambda.reservedConcurrency = 3;
    const without = parseYaml(cloudFormationPatch(stack, tuned)) as { Resources: Record<string, any> };
    expect(Object.keys(without.Resources).sort()).toEqual(['ApiStage', 'Function']);
    const withTargets = parseYaml(cloudFormationPatch(stack, tuned, targets)) as { Resources: Record<string, any> };
    expect(Object.keys(withTargets.Resources).sort()).toEqual(['ItemsFunction', 'OrdersApi']);
  });
});
