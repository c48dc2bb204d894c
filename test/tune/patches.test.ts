import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { parse as parseHcl } from '@cdktf/hcl2json';
import { makeStack } from '../support/stacks.ts';
import { cloudFormationPatch } from '../../src/tune/patch-cloudformation.ts';
import { terraformPatch } from '../../src/tune/patch-terraform.ts';
import { stackFileYaml } from '../../src/tune/stack-file.ts';
import { parseStack } from '../../src/stack/parse.ts';
import type { Stack } from '../../src/stack/types.ts';

type Cfn = { Resources: Record<string, { Type: string; Properties: Record<string, any> }> };
const cfn = (base: Stack, tuned: Stack) => parseYaml(cloudFormationPatch(base, tuned)) as Cfn;
const hcl = async (base: Stack, tuned: Stack) => (await parseHcl('patch.tf', terraformPatch(base, tuned))) as any;

describe('patches say the tuned settings as CloudFormation and Terraform would', () => {
  it('REST stage and route throttles: MethodSettings "/*" and "/~1items~1{id}"; aws_api_gateway_method_settings "*/*" and "~1items~1{id}/GET"', async () => {
    const base = makeStack();
    const tuned = makeStack({ api: { stage: { rate: 120, burst: 240 }, routes: { 'ANY /{proxy+}': null, 'GET /items/{id}': { rate: 5, burst: 10 } } } });
    const r = cfn(base, tuned).Resources.ApiStage;
    expect(r.Type).toBe('AWS::ApiGateway::Stage');
    expect(r.Properties.StageName).toBe('prod');
    // AWS docs (AWS::ApiGateway::Stage MethodSettings): "/*" with HttpMethod "*" for all methods; slashes encoded as ~1
    expect(r.Properties.MethodSettings).toEqual([
      { ResourcePath: '/*', HttpMethod: '*', ThrottlingRateLimit: 120, ThrottlingBurstLimit: 240 },
      { ResourcePath: '/~1items~1{id}', HttpMethod: 'GET', ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 },
    ]);
    const tf = await hcl(base, tuned);
    const ms = tf.resource.aws_api_gateway_method_settings;
    expect(ms.all[0]).toMatchObject({ method_path: '*/*', stage_name: 'prod', settings: [{ throttling_rate_limit: 120, throttling_burst_limit: 240 }] });
    // the AWS CLI's examples (update-stage, get-stages): a method's settings live under "~1resource~1subresource/POST"
    expect(Object.values(ms).map((v: any) => v[0].method_path)).toContain('~1items~1{id}/GET');
  });

  it('a route throttle on a route the API does not have says to create the route first, in both patches; a declared route does not', async () => {
    // GET /search reaches ANY /{proxy+} in the stack as given: the tuned stack throttles it as a route of its own
    const base = makeStack({ api: { routes: { 'ANY /{proxy+}': null, 'GET /items': null } } });
    const tuned = makeStack({ api: { routes: { 'ANY /{proxy+}': null, 'GET /items': { rate: 3, burst: 6 }, 'GET /search': { rate: 1, burst: 2 } } } });
    const note = '# note: GET /search is a route of its own only in the tuned stack (ANY /{proxy+} serves it now): create it first (a GET method on a /search resource, with the same integration) if your API does not have it';
    for (const patch of [cloudFormationPatch(base, tuned), terraformPatch(base, tuned)]) {
      expect(patch).toContain(note);
      expect(patch).not.toContain('# note: GET /items');
    }
    // still a valid document of its kind, the settings as before
    expect(cfn(base, tuned).Resources.ApiStage.Properties.MethodSettings).toContainEqual({ ResourcePath: '/~1search', HttpMethod: 'GET', ThrottlingRateLimit: 1, ThrottlingBurstLimit: 2 });
    expect(Object.values((await hcl(base, tuned)).resource.aws_api_gateway_method_settings).map((v: any) => v[0].method_path)).toContain('~1search/GET');
    // a stack that declares no routes (every path exists), and an HTTP API: the route key to create
    const http = (routes: Record<string, { rate: number; burst: number } | null>) => makeStack({ api: { kind: 'http', integrationTimeout: 30, routes } });
    const added = terraformPatch(http({}), http({ 'ANY /{proxy+}': null, 'POST /orders': { rate: 2, burst: 4 } }));
    expect(added).toContain('# note: POST /orders is a route of its own only in the tuned stack (the stack declares no routes): create it first (the route "POST /orders", with the same integration)');
    // the catch-all the tuned stack keeps beside it carries no throttle: nothing to create for it
    expect(added).not.toContain('# note: ANY');
  });

  it('HTTP API: AWS::ApiGatewayV2::Stage DefaultRouteSettings and RouteSettings; aws_apigatewayv2_stage route_settings', async () => {
    const base = makeStack({ api: { kind: 'http', integrationTimeout: 30 } });
    const tuned = makeStack({ api: { kind: 'http', integrationTimeout: 30, stage: { rate: 50, burst: 100 }, routes: { 'ANY /{proxy+}': null, 'GET /search': { rate: 2, burst: 4 } } } });
    const p = cfn(base, tuned).Resources.ApiStage;
    expect(p.Type).toBe('AWS::ApiGatewayV2::Stage');
    expect(p.Properties.DefaultRouteSettings).toEqual({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 });
    expect(p.Properties.RouteSettings).toEqual({ 'GET /search': { ThrottlingRateLimit: 2, ThrottlingBurstLimit: 4 } });
    const stage = (await hcl(base, tuned)).resource.aws_apigatewayv2_stage.api[0];
    expect(stage.default_route_settings[0]).toMatchObject({ throttling_rate_limit: 50, throttling_burst_limit: 100 });
    expect(stage.route_settings[0]).toMatchObject({ route_key: 'GET /search', throttling_rate_limit: 2, throttling_burst_limit: 4 });
  });

  it('usage plan throttle and quota, and reserved concurrency, as complete resources', async () => {
    const plan = { name: 'basic', quota: { limit: 100_000, period: 'DAY' as const, offset: 0 } };
    const base = makeStack({ api: { apiKeyRequired: true, usagePlans: [plan] } });
    const tuned = makeStack({ api: { apiKeyRequired: true, usagePlans: [{ ...plan, throttle: { rate: 2, burst: 4 } }] }, lambda: { reservedConcurrency: 40 } });
    const res = cfn(base, tuned).Resources;
    expect(res.UsagePlanBasic.Type).toBe('AWS::ApiGateway::UsagePlan');
    expect(res.UsagePlanBasic.Properties).toMatchObject({ UsagePlanName: 'basic', Throttle: { RateLimit: 2, BurstLimit: 4 }, Quota: { Limit: 100_000, Period: 'DAY', Offset: 0 } });
    expect(res.Function).toEqual({ Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'test-stack', MemorySize: 512, ReservedConcurrentExecutions: 40 } });
    expect(res.ApiStage).toBeUndefined(); // stage and routes untouched: no stage resource
    const tf = (await hcl(base, tuned)).resource;
    expect(tf.aws_api_gateway_usage_plan.basic[0]).toMatchObject({ name: 'basic', throttle_settings: [{ rate_limit: 2, burst_limit: 4 }], quota_settings: [{ limit: 100_000, period: 'DAY' }] });
    expect(tf.aws_lambda_function.function[0]).toMatchObject({ function_name: 'test-stack', reserved_concurrent_executions: 40 });
  });

  it('a forwarded-IP rule says FORWARDED_IP with its header; text that looks like HCL interpolation stays literal', async () => {
    const base = makeStack({ deployed: { apiName: 'api-${evil}', apiId: 'x', stage: 'prod', functionName: 'f' } });
    const tuned: Stack = { ...base, waf: { rules: 1, rateLimit: { limit: 500, windowSeconds: 120, key: 'forwarded-ip', delaySeconds: 30 } } };
    const rbs = cfn(base, tuned).Resources.RateLimitWebAcl.Properties.Rules[0].Statement.RateBasedStatement;
    expect(rbs).toEqual({ Limit: 500, EvaluationWindowSec: 120, AggregateKeyType: 'FORWARDED_IP', ForwardedIPConfig: { HeaderName: 'X-Forwarded-For', FallbackBehavior: 'MATCH' } });
    const acl = (await hcl(base, tuned)).resource.aws_wafv2_web_acl.rate_limit[0];
    // a WAFv2 name is letters, digits, "_" and "-" (^[\w\-]+$): "${" and "}" become "-", so nothing
    // in it can read as an HCL interpolation either
    expect(terraformPatch(base, tuned)).toContain('name  = "api---evil--rate-limit"');
    expect(acl.name).toBe('api---evil--rate-limit');
    expect(cfn(base, tuned).Resources.RateLimitWebAcl.Properties.Name).toBe('api---evil--rate-limit');
    // an API read from Terraform is named by its address, whose "." WAFv2 refuses
    const fromTf = makeStack({ deployed: { apiName: 'aws_api_gateway_rest_api.api', apiId: 'x', stage: 'prod', functionName: 'f' } });
    expect(terraformPatch(fromTf, { ...fromTf, waf: tuned.waf })).toContain('name  = "aws_api_gateway_rest_api-api-rate-limit"');
    // the provider's rate_based_statement: forwarded_ip_config { header_name, fallback_behavior }, as CloudFormation's ForwardedIPConfig
    expect(acl.rule[0].statement[0].rate_based_statement[0]).toMatchObject({
      limit: 500,
      evaluation_window_sec: 120,
      aggregate_key_type: 'FORWARDED_IP',
      forwarded_ip_config: [{ header_name: 'X-Forwarded-For', fallback_behavior: 'MATCH' }],
    });
    // the association: the stage's ARN from the REST API's own ("arn:aws:apigateway:<region>::/restapis/<id>"),
    // no aws_region data source (its `name` is deprecated in provider v6, its `region` missing in v5)
    const doc = await hcl(base, tuned);
    expect(doc.resource.aws_wafv2_web_acl_association.rate_limit[0].resource_arn).toBe('${aws_api_gateway_rest_api.api.arn}/stages/prod');
    expect(doc.data).toBeUndefined();
  });

  it('a throttle or reservation the tuned stack drops: the Terraform patch says what goes, it is no "no change"', async () => {
    const base = makeStack({ api: { stage: { rate: 50, burst: 100 }, routes: { 'GET /a': { rate: 5, burst: 10 } } }, lambda: { reservedConcurrency: 10 } });
    const tuned = makeStack({ api: { routes: { 'GET /a': null } } });
    const tf = terraformPatch(base, tuned);
    expect(tf).not.toContain('no change');
    expect(tf).toContain('# delete: aws_api_gateway_method_settings.all (method_path "*/*"');
    expect(tf).toContain('# delete: aws_api_gateway_method_settings.get_a (method_path "~1a/GET"');
    expect(tf).toContain('# note: aws_lambda_function.function: no reserved_concurrent_executions (remove yours, 10 now)');
    // still HCL: the function's block, the rest comments
    expect((await hcl(base, tuned)).resource.aws_lambda_function.function[0]).not.toHaveProperty('reserved_concurrent_executions');
  });

  it('no change: both patches are a comment, still valid YAML and HCL', async () => {
    const s = makeStack();
    expect(parseYaml(cloudFormationPatch(s, s))).toBeNull();
    expect(await hcl(s, s)).toEqual({});
  });

  it('a stack with several functions, route functions, alarms and budgets reads back the same', () => {
    const s = parseStack(`
name: orders
api:
  kind: rest
  stage: { rate: 100, burst: 200 }
  routes:
    "POST /orders": { rate: 20, burst: 40, function: orders }
    "GET /items": {}
lambda: { memoryMb: 512, reservedConcurrency: 10 }
functions:
  - { name: orders, memoryMb: 1024, architecture: arm64, duration: 200ms, reservedConcurrency: 50, functionName: orders-fn }
alarms:
  - { name: traffic, metric: Count, period: 5m, threshold: 100000, delay: 90s }
budgets:
  - { name: monthly, limitUsd: 500, thresholdPercent: 80 }
`);
    expect(parseStack(stackFileYaml(s, ['test']))).toEqual(s);
  });

  it('reserved concurrency of a second function: its own AWS::Lambda::Function and aws_lambda_function', async () => {
    const base = parseStack('name: two\napi: { kind: rest }\nlambda: { memoryMb: 512 }\nfunctions: [ { name: orders, memoryMb: 1024, functionName: orders-fn } ]');
    const tuned = structuredClone(base);
    tuned.functions![0].reservedConcurrency = 30;
    const res = cfn(base, tuned).Resources;
    expect(res.FunctionOrders).toEqual({ Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'orders-fn', MemorySize: 1024, ReservedConcurrentExecutions: 30 } });
    expect(res.Function).toBeUndefined();
    expect((await hcl(base, tuned)).resource.aws_lambda_function.orders[0]).toMatchObject({ function_name: 'orders-fn', reserved_concurrent_executions: 30 });
  });

  it('the recommended stack file reads back through the stack parser to the same stack', () => {
    const s = makeStack({
      api: { stage: { rate: 120, burst: 240 }, routes: { 'ANY /{proxy+}': null, 'GET /search': { rate: 1, burst: 1 } }, apiKeyRequired: true, usagePlans: [{ name: 'basic', throttle: { rate: 2, burst: 4 }, quota: { limit: 1000, period: 'WEEK', offset: 1 }, routes: { 'GET /search': { rate: 0.5, burst: 1 } } }] },
      waf: { rules: 2, rateLimit: { limit: 100, windowSeconds: 60, key: 'ip', delaySeconds: 30 } },
      lambda: { reservedConcurrency: 40, duration: { p50: 0.08, p99: 0.9 } },
    });
    expect(parseStack(stackFileYaml(s, ['test']))).toEqual(s);
  });
});
