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
});
