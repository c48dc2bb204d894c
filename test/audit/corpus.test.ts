/**
 * Every file of the IaC corpus is read and every API in it becomes a stack the project's own
 * stack parser accepts. Expectations are written from reading the files and the corpus README
 * (test/fixtures/iac-corpus/README.md), not from dowsim's output. No pricing here: fast.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { readSource, prefetchSources } from '../../src/audit/read/source.ts';
import type { ApiModel, AuditModel } from '../../src/audit/model.ts';
import { deriveStack } from '../../src/audit/stack-document.ts';
import { at, corpusSources } from './corpus-sources.ts';

const models = new Map<string, AuditModel>();
function model(rel: string): AuditModel {
  const path = at(rel);
  if (!models.has(path)) models.set(path, readSource(path));
  return models.get(path)!;
}
function api(rel: string, id: string): ApiModel {
  const a = model(rel).apis.find((x) => x.id === id);
  if (!a) throw new Error(`${rel}: no API ${id}; have ${model(rel).apis.map((x) => x.id).join(', ')}`);
  return a;
}
function route(rel: string, id: string, key: string) {
  const r = api(rel, id).routes.find((x) => x.key === key);
  if (!r) throw new Error(`${rel} ${id}: no route ${key}; have ${api(rel, id).routes.map((x) => x.key).join(', ')}`);
  return r;
}
const fn = (rel: string, id: string) => model(rel).functions.find((f) => f.id === id)!;

// Files whose functions define no API at all (README: "Functions: concurrency, memory…", the
// S3/logging snippets), and the two whose every function sits under a condition that is false.
const NO_API = [
  'function_concurrency', 'function_managed_inline_policy', 'function_string_memorysize', 'function_with_architectures',
  'function_with_deployment_preference_all_parameters', 'function_with_intrinsic_architecture', 'globals_for_function',
  'implicit_api_with_auth_and_conditions_max', 'implicit_http_api_with_many_conditions',
  'checkov-S3BucketEncryption', 'lambda_function_logging', 'docs-v3-functions-concurrency',
];

beforeAll(() => prefetchSources(corpusSources()), 120_000);

describe('every corpus file', () => {
  it('is read without error, and every API in it is a stack the stack parser accepts', () => {
    const sources = corpusSources();
    expect(sources.length).toBe(48 * 2 + 5 + 9 + 7 + 8); // 48 SAM pairs, 5 CDK, 9 TF folders + 7 doc snippets, 8 serverless
    let apis = 0;
    for (const s of sources) {
      const m = readSource(s);
      const defines = !NO_API.some((n) => s.includes(n));
      expect(m.apis.length > 0, `${s} defines an API`).toBe(defines);
      for (const a of m.apis) {
        const d = deriveStack(m, a);
        expect(d.stack.api.kind).toBe(a.kind);
        apis++;
      }
    }
    expect(apis).toBeGreaterThan(120);
  });
});

describe('SAM and CloudFormation (translator input and output read alike)', () => {
  for (const ext of ['input.yaml', 'output.json']) {
    it(`api_with_usageplans.${ext}: only MyApiTwo's PER_API plan has a throttle (1000/1000) and a quota (10 per MONTH, offset 10)`, () => {
      const rel = `sam-translator/api_with_usageplans.${ext}`;
      expect(api(rel, 'MyApiTwo').usagePlans).toMatchObject([{ name: 'SomeRandomName', throttle: { rate: 1000, burst: 1000 }, quota: { limit: 10, period: 'MONTH', offset: 10 } }]);
      expect(api(rel, 'MyApiOne').usagePlans).toEqual([]); // CreateUsagePlan: NONE
      expect(api(rel, 'MyApiThree').usagePlans.map((p) => [p.name, p.throttle])).toEqual([['ServerlessUsagePlan', undefined]]);
      expect(api(rel, 'ServerlessRestApi').usagePlans.map((p) => p.name)).toEqual(['ServerlessUsagePlan']);
      expect(route(rel, 'MyApiOne', 'ANY /any/path/one').apiKeyRequired).toBe(true); // Globals ApiKeyRequired
    });
    it(`http_api_explicit_stage.${ext}: $default merges three levels into rate 0.7, burst 300`, () => {
      expect(route(`sam-translator/http_api_explicit_stage.${ext}`, 'MyApi', '$default').throttle).toEqual({ rate: 0.7, burst: 300 });
    });
    it(`http_api_def_uri.${ext}: Globals rate 100 + API burst 50 make MyApi's stage throttle`, () => {
      expect(api(`sam-translator/http_api_def_uri.${ext}`, 'MyApi').stage).toEqual({ rate: 100, burst: 50 });
      expect(api(`sam-translator/http_api_def_uri.${ext}`, 'MyApi').kind).toBe('http');
    });
    it(`globals_for_function.${ext}: Globals give 1024 MB / 50 reserved, the override 512 / 100`, () => {
      const rel = `sam-translator/globals_for_function.${ext}`;
      expect(fn(rel, 'MinimalFunction')).toMatchObject({ memoryMb: 1024, reservedConcurrency: 50, architecture: 'x86_64' });
      expect(fn(rel, 'FunctionWithOverrides')).toMatchObject({ memoryMb: 512, reservedConcurrency: 100 });
    });
    it(`function_with_function_url_config.${ext}: AuthType NONE, 1024 MB, a function-url API`, () => {
      const rel = `sam-translator/function_with_function_url_config.${ext}`;
      expect(model(rel).functionUrls.map((u) => u.authType)).toEqual(['NONE']);
      expect(model(rel).apis.map((a) => a.kind)).toEqual(['function-url']);
      expect(fn(rel, 'MyFunction').memoryMb).toBe(1024);
      expect(model(rel).permissions.some((p) => p.principal === '*')).toBe(true);
    });
    it(`function_with_function_url_config_with_iam_authorization_type.${ext}: AuthType AWS_IAM, no public permission`, () => {
      const rel = `sam-translator/function_with_function_url_config_with_iam_authorization_type.${ext}`;
      expect(model(rel).functionUrls.map((u) => u.authType)).toEqual(['AWS_IAM']);
      expect(model(rel).permissions.some((p) => p.principal === '*')).toBe(false);
    });
    it(`function_with_intrinsic_architecture.${ext}: arm64 from the parameter's default`, () => {
      expect(fn(`sam-translator/function_with_intrinsic_architecture.${ext}`, 'FunctionWithArchitecturesIntrinsic').architecture).toBe('arm64');
    });
    it(`api_with_default_aws_iam_auth_and_no_auth_route.${ext}: AWS_IAM by default, Authorizer NONE routes are public`, () => {
      const rel = `sam-translator/api_with_default_aws_iam_auth_and_no_auth_route.${ext}`;
      expect(route(rel, 'MyApiWithAwsIamAuth', 'POST /').auth).toBe('iam');
      expect(route(rel, 'MyApiWithAwsIamAuth', 'GET /').auth).toBe('none');
      expect(route(rel, 'MyApiWithAwsIamAuth', 'ANY /any/none').auth).toBe('none');
    });
    it(`api_with_auth_no_default.${ext}: authorizers without a default leave routes open`, () => {
      expect(route(`sam-translator/api_with_auth_no_default.${ext}`, 'MyApiWithCognitoAuth', 'GET /cognito').auth).toBe('none');
    });
  }
  it('function_with_architectures: arm64, 1024 MB; function_string_memorysize: "700" is 700 MB', () => {
    expect(fn('sam-translator/function_with_architectures.input.yaml', 'TestFunc')).toMatchObject({ memoryMb: 1024, architecture: 'arm64' });
    expect(fn('sam-translator/function_string_memorysize.input.yaml', 'MinimalFunction').memoryMb).toBe(700);
  });
  it('function_concurrency: 100 reserved; the one from a !Ref Number parameter without a default is an assumption with its line', () => {
    const m = model('sam-translator/function_concurrency.input.yaml');
    expect(fn('sam-translator/function_concurrency.input.yaml', 'ConcurrentFunction').reservedConcurrency).toBe(100);
    expect(fn('sam-translator/function_concurrency.input.yaml', 'AnotherFunction').reservedConcurrency).toBeUndefined();
    expect(m.assumptions).toHaveLength(1);
    expect(m.assumptions[0]).toMatchObject({ resource: 'AnotherFunction' });
    expect(m.assumptions[0].line).toBeGreaterThan(1);
  });
  it('api_with_method_settings: DataTraceEnabled on the implicit stage (Globals, line 3) and the explicit API', () => {
    expect(api('sam-translator/api_with_method_settings.input.yaml', 'ServerlessRestApi').dataTrace?.line).toBe(3);
    expect(api('sam-translator/api_with_method_settings.input.yaml', 'ExplicitApi').dataTrace).toBeDefined();
  });
  it('implicit_http_api: the implicit ServerlessHttpApi with its catch-all $default and path parameters, no auth', () => {
    const a = api('sam-translator/implicit_http_api.input.yaml', 'ServerlessHttpApi');
    expect(a.routes.map((r) => r.key).sort()).toEqual(['$default', 'POST /basic', 'POST /basic2', 'POST /get/{something}/with/{params}']);
    expect(a.routes.every((r) => r.auth === 'none')).toBe(true);
  });
});

describe('CDK synthesized templates', () => {
  it('apilam-deployFunction: a REST API, AWS_IAM on ANY methods, a usage plan with an empty throttle, a log group without retention', () => {
    const rel = 'cdk/apilam-deployFunction.template.json';
    const a = model(rel).apis[0];
    expect(a.kind).toBe('rest');
    expect(a.routes.map((r) => `${r.key} ${r.auth}`).sort()).toEqual(['ANY / iam', 'ANY /{proxy+} iam']);
    expect(a.usagePlans).toHaveLength(1);
    expect(a.usagePlans[0].throttle).toBeUndefined();
    expect(a.dataTrace).toBeUndefined(); // DataTraceEnabled: false
    expect(model(rel).logGroups.map((g) => g.retentionDays)).toEqual([undefined]);
  });
  it('apilam-no-usage-plan has no usage plan; wafapi-no-arguments has a 7-rule web ACL without a rate rule', () => {
    expect(model('cdk/apilam-no-usage-plan.template.json').apis[0].usagePlans).toEqual([]);
    const waf = model('cdk/wafapi-no-arguments.template.json').apis[0].waf;
    expect(waf?.rules).toBe(7);
    expect(waf?.rateLimit).toBeUndefined();
  });
  it('opilam-apiFromInlineDefinition: routes from the inline OpenAPI body, AWS_IAM, two functions', () => {
    const a = model('cdk/opilam-apiFromInlineDefinition.template.json').apis[0];
    expect(a.routes.map((r) => r.key).sort()).toEqual(['GET /messages', 'GET /photos', 'POST /messages', 'POST /photos']);
    expect(a.routes.every((r) => r.auth === 'iam')).toBe(true);
    expect(new Set(a.routes.map((r) => r.function)).size).toBe(2);
  });
});

describe('Terraform', () => {
  it('tfm-apigateway-v2-complete-http: HTTP API, stage 100/100, GET /some-route 80/40, eu-west-1, arm64 function', () => {
    const rel = 'terraform/tfm-apigateway-v2-complete-http';
    const a = api(rel, 'module.api_gateway');
    expect(a.kind).toBe('http');
    expect(a.stage).toEqual({ rate: 100, burst: 100 });
    expect(route(rel, 'module.api_gateway', 'GET /some-route').throttle).toEqual({ rate: 80, burst: 40 });
    expect(route(rel, 'module.api_gateway', 'GET /some-route-with-iam').auth).toBe('iam');
    expect(model(rel).region).toBe('eu-west-1');
    expect(fn(rel, 'module.lambda_function').architecture).toBe('arm64');
  });
  it('tfm-apigateway-v2-module: the optional() defaults give burst 500 / rate 1000 when the caller sets nothing', () => {
    expect(model('terraform/tfm-apigateway-v2-module').apis[0].stage).toEqual({ rate: 1000, burst: 500 });
  });
  it('tfm-lambda-module: 128 MB, reserved -1 is "unreserved", the function URL defaults to AuthType NONE', () => {
    const m = model('terraform/tfm-lambda-module');
    expect(m.functions[0]).toMatchObject({ memoryMb: 128 });
    expect(m.functions[0].reservedConcurrency).toBeUndefined();
    expect(m.functionUrls.map((u) => u.authType)).toEqual(['NONE']);
  });
  it('tfm-lambda-complete: the function URL is AWS_IAM', () => {
    expect(model('terraform/tfm-lambda-complete').functionUrls.map((u) => u.authType)).toEqual(['AWS_IAM']);
  });
  it('hashicorp-learn-lambda-api-gateway: HTTP API, GET /hello, no throttle, log groups kept 30 days, bucket without encryption', () => {
    const m = model('terraform/hashicorp-learn-lambda-api-gateway');
    expect(m.apis.map((a) => [a.kind, a.stage, a.routes.map((r) => r.key)])).toEqual([['http', undefined, ['GET /hello']]]);
    expect(m.apis[0].routes[0].function).toBe('aws_lambda_function.hello_world');
    expect(m.logGroups.map((g) => g.retentionDays)).toEqual([30, 30]);
    expect(m.buckets.map((b) => b.encrypted)).toEqual([false]);
  });
  it('cloudposse-api-gateway: throttling_rate_limit/-burst default -1 means no throttle', () => {
    expect(model('terraform/cloudposse-api-gateway').apis.map((a) => [a.kind, a.stage])).toEqual([['rest', undefined]]);
  });
  it('tf-provider-aws-docs/api_gateway_usage_plan: burst 5 / rate 10, quota 20 per WEEK, offset 2', () => {
    expect(model('terraform/tf-provider-aws-docs/api_gateway_usage_plan').apis[0].usagePlans).toMatchObject([{ name: 'my-usage-plan', throttle: { rate: 10, burst: 5 }, quota: { limit: 20, period: 'WEEK', offset: 2 } }]);
  });
  it('tf-provider-aws-docs/lambda_function_url: NONE on $LATEST, AWS_IAM on the alias', () => {
    expect(model('terraform/tf-provider-aws-docs/lambda_function_url').functionUrls.map((u) => u.authType)).toEqual(['NONE', 'AWS_IAM']);
  });
  it('checkov-APIProtectedByWAF: web ACLs on the regional and edge stages, none on no_assoc (as expected.yaml says)', () => {
    const m = model('terraform/checkov-APIProtectedByWAF');
    const withWaf = m.apis.filter((a) => a.waf).map((a) => a.id).sort();
    expect(withWaf).toEqual(['aws_api_gateway_rest_api.edge', 'aws_api_gateway_rest_api.regional']);
  });
  it("checkov-S3BucketEncryption: the buckets Checkov's expected.yaml fails have a missing or invalid algorithm; those it passes do not", () => {
    const rel = 'terraform/checkov-S3BucketEncryption';
    const expected = parseYaml(readFileSync(at(`${rel}/expected.yaml`), 'utf8')) as { pass: string[]; fail: string[] };
    const buckets = new Map(model(rel).buckets.map((b) => [b.loc.resource, b]));
    for (const name of expected.fail) expect(buckets.get(name)?.invalidAlgorithm, name).toBeDefined();
    for (const name of expected.pass) expect(buckets.get(name)?.invalidAlgorithm, name).toBeUndefined();
    // the one difference: a bucket with no configuration passes Checkov (S3 encrypts by default since 2023); dowsim notes it
    expect(buckets.get('aws_s3_bucket.default_encryption_bucket')?.encrypted).toBe(false);
  });
});

describe('Serverless Framework', () => {
  it('docs-v3-apikeys-usageplan: one plan, quota 5000 per MONTH (offset 2), throttle burst 200 / rate 100; the private GET needs a key', () => {
    const rel = 'serverless/docs-v3-apikeys-usageplan/serverless.yml';
    const a = model(rel).apis[0];
    expect(a.kind).toBe('rest');
    expect(a.usagePlans).toMatchObject([{ throttle: { rate: 100, burst: 200 }, quota: { limit: 5000, period: 'MONTH', offset: 2 } }]);
    expect(a.routes).toMatchObject([{ key: 'GET /user/create', apiKeyRequired: true }]);
  });
  it('docs-v3-multiple-usageplans: free 100/200 (5000 per MONTH) and paid 1000/2000 (50000 per MONTH, offset 1)', () => {
    expect(model('serverless/docs-v3-multiple-usageplans/serverless.yml').apis[0].usagePlans).toMatchObject([
      { name: 'free', throttle: { rate: 100, burst: 200 }, quota: { limit: 5000, period: 'MONTH' } },
      { name: 'paid', throttle: { rate: 1000, burst: 2000 }, quota: { limit: 50000, period: 'MONTH', offset: 1 } },
    ]);
  });
  it('examples-dynamic-image-resizer: the legacy provider.usagePlan, burst 100 / rate 50, quota 100', () => {
    expect(model('serverless/examples-dynamic-image-resizer/serverless.yml').apis[0].usagePlans).toMatchObject([{ throttle: { rate: 50, burst: 100 }, quota: { limit: 100, period: 'MONTH', offset: 2 } }]);
  });
  it('docs-v3-functions-concurrency: reservedConcurrency 5, memorySize 512, no events so no API', () => {
    const m = model('serverless/docs-v3-functions-concurrency/serverless.yml');
    expect(m.functions).toMatchObject([{ id: 'hello', memoryMb: 512, reservedConcurrency: 5 }]);
    expect(m.apis).toEqual([]);
  });
  it('offline-jwt-authorizer: an HTTP API behind JWT authorizers; provider arm64 and 1024 MB', () => {
    const m = model('serverless/offline-jwt-authorizer/serverless.yml');
    expect(m.apis.map((a) => a.kind)).toEqual(['http']);
    expect(m.apis[0].routes.every((r) => r.auth === 'authorizer')).toBe(true);
    expect(m.functions[0]).toMatchObject({ memoryMb: 1024, architecture: 'arm64' });
  });
  it('examples-auth0-cognito-custom-authorizers-api: the public GET is open, the private one has an authorizer', () => {
    const rel = 'serverless/examples-auth0-cognito-custom-authorizers-api/serverless.yml';
    expect(route(rel, 'ApiGatewayRestApi', 'GET /api/public').auth).toBe('none');
    expect(route(rel, 'ApiGatewayRestApi', 'GET /api/private').auth).toBe('authorizer');
  });
  it('examples-shared-gateway-users: the API lives in another stack, which is said as an assumption', () => {
    const m = model('serverless/examples-shared-gateway-users/serverless.yml');
    expect(m.assumptions.some((a) => /another stack/.test(a.message))).toBe(true);
  });
});
