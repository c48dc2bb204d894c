/** Source kinds beyond single files: a CDK cloud assembly, Serverless variables, a folder without IaC. */
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSource } from '../../src/audit/read/source.ts';
import { InputError } from '../../src/model/errors.ts';
import { at } from './corpus-sources.ts';

describe('sources', () => {
  it("a cdk.out folder: every CloudFormation stack its manifest.json lists, read as one CDK source", () => {
    const dir = mkdtempSync(join(tmpdir(), 'cdk.out-'));
    copyFileSync(at('cdk/wafapi-no-arguments.template.json'), join(dir, 'WafStack.template.json'));
    copyFileSync(at('cdk/apilam-no-usage-plan.template.json'), join(dir, 'LambdaStack.template.json'));
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({
      version: '36.0.0',
      artifacts: {
        WafStack: { type: 'aws:cloudformation:stack', environment: 'aws://unknown-account/unknown-region', properties: { templateFile: 'WafStack.template.json' } },
        LambdaStack: { type: 'aws:cloudformation:stack', environment: 'aws://unknown-account/unknown-region', properties: { templateFile: 'LambdaStack.template.json' } },
        Tree: { type: 'cdk:tree', properties: { file: 'tree.json' } },
      },
    }));
    const m = readSource(dir);
    expect(m.format).toBe('cdk');
    expect(m.apis.map((a) => [a.loc.file.endsWith('WafStack.template.json') ? 'waf' : 'lambda', a.kind, a.waf?.rules ?? 0])).toEqual([
      ['waf', 'rest', 7],
      ['lambda', 'rest', 0],
    ]);
  });

  it('numbers a template or configuration leaves open (a parameter, a variable) are assumptions, never a crash', () => {
    const dir = mkdtempSync(join(tmpdir(), 'open-'));
    const sam = join(dir, 'template.yaml');
    writeFileSync(
      sam,
      [
        'Transform: AWS::Serverless-2016-10-31',
        'Parameters: { L: { Type: Number } }',
        'Resources:',
        '  Api:',
        '    Type: AWS::Serverless::Api',
        '    Properties:',
        '      StageName: live',
        '      Auth: { UsagePlan: { CreateUsagePlan: PER_API, Quota: { Limit: !Ref L, Period: DAY, Offset: !Ref L } } }',
        '  Guard:',
        '    Type: AWS::WAFv2::WebACL',
        '    Properties:',
        '      Scope: REGIONAL',
        '      DefaultAction: { Allow: {} }',
        '      Rules:',
        '        - { Name: per-ip, Priority: !Ref L, Action: { Block: {} }, Statement: { RateBasedStatement: { Limit: !Ref L, AggregateKeyType: IP } } }',
        '  Assoc:',
        '    Type: AWS::WAFv2::WebACLAssociation',
        '    Properties: { ResourceArn: !Sub "arn:aws:apigateway:${AWS::Region}::/restapis/${Api}/stages/live", WebACLArn: !GetAtt Guard.Arn }',
        '',
      ].join('\n'),
    );
    const m = readSource(sam);
    const api = m.apis.find((a) => a.id === 'Api')!;
    expect(api.usagePlans[0].quota).toBeUndefined();
    expect(api.waf).toMatchObject({ rules: 1, priorities: [] });
    expect(api.waf?.rateLimit).toBeUndefined();
    expect(m.assumptions.map((a) => `${a.line} ${a.message}`)).toEqual(
      expect.arrayContaining([
        "8 the usage plan's Quota cannot be determined from the template; no quota is assumed",
        '14 the limit of rate-based rule per-ip cannot be determined from the template; it is read as no rate rule',
      ]),
    );
  });

  it("serverless.yml: an event whose path is left open (${env:…}) or not text names no route, and says so", () => {
    const dir = mkdtempSync(join(tmpdir(), 'sls-'));
    const file = join(dir, 'serverless.yml');
    writeFileSync(
      file,
      [
        'service: orders',
        'provider: { name: aws }',
        'functions:',
        '  list:',
        '    handler: h.list',
        '    events:',
        '      - http: { path: items, method: get }',
        '      - http: { path: "${env:SEARCH_PATH}", method: get }',
        '      - httpApi: { path: { nested: true }, method: post }',
        '',
      ].join('\n'),
    );
    const m = readSource(file);
    expect(m.apis.flatMap((a) => a.routes.map((r) => r.key))).toEqual(['GET /items']);
    expect(m.assumptions.map((a) => `${a.line} ${a.message}`)).toEqual([
      "8 the http event's method or path cannot be determined from the file; the route is left out",
      "9 the httpApi event's method or path cannot be determined from the file; the route is left out",
    ]);
  });

  it('serverless.yml: ${self:…} and ${opt:…, default} resolve, ${env:…} is an assumption with its line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sls-'));
    const file = join(dir, 'serverless.yml');
    writeFileSync(
      file,
      [
        'service: orders',
        'custom:',
        '  memory: 2048',
        '  rate: ${opt:rate, 25}',
        'provider:',
        '  name: aws',
        '  region: ${opt:region, "eu-central-1"}',
        '  apiGateway:',
        '    usagePlan:',
        '      throttle:',
        '        rateLimit: ${self:custom.rate}',
        '        burstLimit: 50',
        'functions:',
        '  create:',
        '    handler: h.create',
        '    memorySize: ${self:custom.memory}',
        '    reservedConcurrency: ${env:RESERVED}',
        '    events:',
        '      - http: POST orders',
        '      - http:',
        "          path: 'orders/{id}'",
        '          method: get',
        '          private: true',
        '',
      ].join('\n'),
    );
    const m = readSource(file);
    expect(m.region).toBe('eu-central-1');
    expect(m.functions).toMatchObject([{ id: 'create', memoryMb: 2048 }]);
    expect(m.functions[0].reservedConcurrency).toBeUndefined();
    expect(m.assumptions).toMatchObject([{ line: 17, resource: 'create' }]);
    expect(m.apis[0].usagePlans[0].throttle).toEqual({ rate: 25, burst: 50 });
    expect(m.apis[0].routes.map((r) => [r.key, r.apiKeyRequired])).toEqual([
      ['POST /orders', false],
      ['GET /orders/{id}', true],
    ]);
  });

  it('a folder with no template, Terraform, cdk.out or serverless.yml is an input error naming it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'empty-'));
    expect(() => readSource(dir)).toThrow(InputError);
    expect(() => readSource(join(dir, 'missing.yaml'))).toThrow(/no such file or folder/);
  });

  it("SAM concatenates Globals.Api's MethodSettings with an API's own: a stage throttle set in Globals holds beside the API's logging entry", () => {
    // samtranslator's globals.py: "List merging is simply a concatenation = global + local"
    const dir = mkdtempSync(join(tmpdir(), 'sam-'));
    writeFileSync(
      join(dir, 'template.yaml'),
      [
        'Transform: AWS::Serverless-2016-10-31',
        'Globals:',
        '  Api:',
        '    MethodSettings: [{ ResourcePath: "/*", HttpMethod: "*", ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 }]',
        '  Function:',
        '    Architectures: [x86_64]',
        'Resources:',
        '  Api:',
        '    Type: AWS::Serverless::Api',
        '    Properties:',
        '      StageName: prod',
        '      MethodSettings: [{ ResourcePath: "/*", HttpMethod: "*", LoggingLevel: INFO, MetricsEnabled: true }]',
        '  Fn:',
        '    Type: AWS::Serverless::Function',
        '    Properties:',
        '      Runtime: nodejs20.x',
        '      Handler: index.handler',
        '      Architectures: [arm64]',
        '      Events:',
        '        Get: { Type: Api, Properties: { RestApiId: !Ref Api, Path: /items, Method: get } }',
        '',
      ].join('\n'),
    );
    const m = readSource(join(dir, 'template.yaml'));
    const api = m.apis.find((a) => a.id === 'Api')!;
    expect(api.stage).toEqual({ rate: 100, burst: 200 });
    // a patch writes the API's own list, and knows Globals' entries come first
    expect(api.stageAt).toMatchObject({ via: 'sam-api', methodSettings: [{ ResourcePath: '/*', HttpMethod: '*', LoggingLevel: 'INFO', MetricsEnabled: true }], globalMethodSettings: true });
    // one architecture: the function's own replaces Globals'
    expect(m.functions.find((f) => f.id === 'Fn')?.architecture).toBe('arm64');
  });

  it("a SAM API's MethodSettings / RouteSettings throttle a route its function's event defines (read with the API, before the event)", () => {
    const dir = mkdtempSync(join(tmpdir(), 'sam-'));
    const fn = (name: string, event: string) =>
      [`  ${name}:`, '    Type: AWS::Serverless::Function', '    Properties:', '      Runtime: nodejs20.x', '      Handler: index.handler', '      Events:', `        E: ${event}`].join('\n');
    writeFileSync(
      join(dir, 'template.yaml'),
      [
        'Transform: AWS::Serverless-2016-10-31',
        'Globals:',
        '  Api:',
        '    MethodSettings: [{ ResourcePath: /~1implicit, HttpMethod: GET, ThrottlingRateLimit: 3, ThrottlingBurstLimit: 6 }]',
        'Resources:',
        '  Rest:',
        '    Type: AWS::Serverless::Api',
        '    Properties:',
        '      StageName: prod',
        '      MethodSettings: [{ ResourcePath: /~1search, HttpMethod: GET, ThrottlingRateLimit: 1.5, ThrottlingBurstLimit: 2 }]',
        '  Http:',
        '    Type: AWS::Serverless::HttpApi',
        '    Properties:',
        "      RouteSettings: { 'GET /items': { ThrottlingRateLimit: 4, ThrottlingBurstLimit: 8 } }",
        fn('Search', '{ Type: Api, Properties: { RestApiId: !Ref Rest, Path: /search, Method: get } }'),
        fn('Items', '{ Type: HttpApi, Properties: { ApiId: !Ref Http, Path: /items, Method: get } }'),
        fn('Implicit', '{ Type: Api, Properties: { Path: /implicit, Method: get } }'),
        '',
      ].join('\n'),
    );
    const m = readSource(join(dir, 'template.yaml'));
    const route = (api: string, key: string) => m.apis.find((a) => a.id === api)?.routes.find((r) => r.key === key);
    expect(route('Rest', 'GET /search')).toMatchObject({ function: 'Search', throttle: { rate: 1.5, burst: 2 } });
    expect(route('Http', 'GET /items')).toMatchObject({ function: 'Items', throttle: { rate: 4, burst: 8 } });
    expect(route('ServerlessRestApi', 'GET /implicit')).toMatchObject({ function: 'Implicit', throttle: { rate: 3, burst: 6 } });
  });
});

describe('a folder holding several kinds of source', () => {
  it('is read as one; the others in it are named in an assumption, not skipped silently', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mixed-'));
    writeFileSync(join(dir, 'main.tf'), 'resource "aws_api_gateway_rest_api" "api" {\n  name = "demo"\n}\n');
    writeFileSync(join(dir, 'serverless.yml'), 'service: s\nprovider: { name: aws }\n');
    writeFileSync(join(dir, 'template.yaml'), 'Resources: {}\n');
    const m = readSource(dir);
    expect(m.format).toBe('terraform');
    expect(m.assumptions.map((a) => a.message)).toContain('read as terraform; also in this folder and not read: serverless.yml, template.yaml (audit each by naming it: dowsim audit <file>)');
  });
});
